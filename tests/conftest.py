"""Shared test base: the directory loaded once per run, and named personas.

- ward_admin: unit administrator of Phường Bến Thành
- ward_clerk: clerk (văn thư) of Phường Bến Thành
- other_ward_admin: unit administrator of Phường Sài Gòn (another ward)
- city_leader: leader at the City People's Committee (sees every unit, changes none)
- centre_admin: platform administrator at the Digital Transformation Centre (city-wide)
- dispatcher: 1022 dispatcher at the Centre (routes reports of every unit; nothing else city-wide)
- citizen: a citizen account (never staff)
"""

import pytest
from django.utils import timezone

from thongsuot.accounts.models import Role, User
from thongsuot.directory.models import Organisation
from thongsuot.directory.services import directory_load


@pytest.fixture(autouse=True)
def _fresh_local_caches():
    """Every test starts with empty per-process reference caches (thongsuot.core.local_cache): a copy
    filled in an earlier test would outlive that test's rolled-back data."""
    from thongsuot.core.local_cache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        directory_load()


def make_staff(email, org, roles, *, full_name=None, position="Chuyên viên", password="Ph0ng-Test!2025"):
    user = User.objects.create(
        username=email,
        email=email,
        full_name=full_name or email.split("@")[0],
        organisation=org,
        position=position,
        kind=User.Kind.STAFF,
        activated_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


@pytest.fixture
def ben_thanh(db):
    return Organisation.objects.get(kind="commune", name="Phường Bến Thành")


@pytest.fixture
def sai_gon(db):
    return Organisation.objects.get(kind="commune", name="Phường Sài Gòn")


@pytest.fixture
def ward_admin(ben_thanh):
    return make_staff("quantri@benthanh.test", ben_thanh, ["unit_admin"], full_name="Lê Thị Quản Trị")


@pytest.fixture
def ward_clerk(ben_thanh):
    return make_staff("vanthu@benthanh.test", ben_thanh, ["clerk"], full_name="Trần Văn Thư")


@pytest.fixture
def other_ward_admin(sai_gon):
    return make_staff("quantri@saigon.test", sai_gon, ["unit_admin"], full_name="Phạm Sài Gòn")


@pytest.fixture
def city_leader(db):
    city = Organisation.objects.get(kind="city")
    return make_staff("lanhdao@thanhpho.test", city, ["leader"], full_name="Nguyễn Lãnh Đạo")


@pytest.fixture
def centre_admin(db):
    centre = Organisation.objects.get(code="000.05.05.H29")
    return make_staff("admin@cds.test", centre, ["platform_admin"], full_name="Võ Trung Tâm")


@pytest.fixture
def dispatcher(db):
    centre = Organisation.objects.get(code="000.05.05.H29")
    return make_staff("dieuphoi@cds.test", centre, ["feedback_dispatcher"], full_name="Đỗ Điều Phối")


@pytest.fixture
def citizen(db):
    user = User.objects.create(username="0901234567", phone="0901234567", full_name="Công Dân", kind=User.Kind.CITIZEN)
    user.set_password("Ph0ng-Test!2025")
    user.save()
    return user


@pytest.fixture
def login(client):
    """Sign a persona in (two-factor marked as passed where the persona needs it)."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if user.has_role("platform_admin"):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return _login
