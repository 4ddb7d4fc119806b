"""Two administrators apply the same staff list at the same moment: no account is duplicated."""

import threading

import pytest
from django.db import connection, connections

from thongsuot.accounts.models import Role, User
from thongsuot.accounts.services import provisioning_apply, provisioning_preview
from thongsuot.directory.models import Organisation
from thongsuot.directory.services import directory_load

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_concurrent_applies_of_the_same_list_create_each_account_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises all writers")
    from tests.conftest import make_staff

    if not Organisation.objects.exists():
        directory_load()
    assert Role.objects.filter(code="platform_admin").exists()
    centre = Organisation.objects.get(code="000.05.05.H29")
    admins = [make_staff(f"admin{i}@cds.test", centre, ["platform_admin"]) for i in range(2)]
    units = list(Organisation.objects.filter(kind="commune").order_by("seq")[:20])
    lines = ["Họ tên,Email,Vai trò,Đơn vị"]
    lines += [f"Cán bộ {i},canbo{i}@x.test,clerk,{units[i % 20].code}" for i in range(300)]
    data = "\n".join(lines).encode()
    batches = [provisioning_preview(uploader=a, data=data, filename="l.csv")[0] for a in admins]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(admin, batch):
        try:
            barrier.wait()
            results.append(provisioning_apply(actor=admin, batch=batch).summary)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(admins, batches, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert User.objects.filter(email__endswith="@x.test").count() == 300
    assert sorted(r["create"] for r in results) == [0, 300]
    assert sorted(r["unchanged"] for r in results) == [0, 300]
