"""The demo dossiers: made through the services, so each history follows the workflow table; nobody is
notified."""

from django.core import mail
from django.core.management import call_command

from thongsuot.core.notifications import sms
from thongsuot.procedures import testing
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import WORKFLOW


def test_the_demo_dossiers_follow_the_table(db, django_capture_on_commit_callbacks):
    for code in (testing.BIRTH, testing.MARRIAGE_STATUS, testing.CERTIFIED_COPY, testing.MOBILE_BIRTH):
        testing.procedure(code)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_dossiers", "--count", "25", "--days", "10")
    dossiers = list(Dossier.objects.prefetch_related("events"))
    assert len(dossiers) == 25
    assert len({d.status for d in dossiers}) >= 3
    for dossier in dossiers:
        events = list(dossier.events.all())
        for event in events:
            if event.from_status and event.to_status:
                assert WORKFLOW.allowed(event.from_status, event.to_status), (dossier.code, event.action)
        moves = [event for event in events if event.to_status]
        assert moves[-1].to_status == dossier.status, dossier.code
    assert not mail.outbox and not sms.outbox
    call_command("generate_dossiers", "--count", "5")  # dossiers exist: nothing added
    assert Dossier.objects.count() == 25
