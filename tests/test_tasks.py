"""The activation e-mail goes through the real database task backend and `db_worker`."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from thongsuot.accounts.tasks import activation_email_send


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_db_worker_sends_the_activation_email():
    # The worker closes database connections between jobs, so this runs outside a test transaction.
    from tests.conftest import make_staff
    from thongsuot.directory.models import Organisation

    ward = Organisation.objects.create(code="901.00.00.H29", name="Phường Thử Nghiệm", kind="commune")
    ward_clerk = make_staff("clerk@worker.test", ward, ["clerk"])
    ward_clerk.activated_at = None
    ward_clerk.save()
    activation_email_send.enqueue(user_id=ward_clerk.pk)
    assert DBTaskResult.objects.count() == 1 and not mail.outbox
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0)
    assert len(mail.outbox) == 1 and "/accounts/activate/" in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db
def test_activation_email_is_idempotent_for_activated_accounts(ward_clerk):
    assert activation_email_send.call(user_id=ward_clerk.pk) is False  # already activated: nothing sent
    assert not mail.outbox
