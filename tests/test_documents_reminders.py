"""Urgent documents notify at once (the clerks when they arrive, the handlers when directed, by SMS too);
the reminder sweep warns the handlers and the leader once before the deadline and once when overdue."""

import datetime

from django.core import mail
from django.core.management import call_command

from tests.test_documents_handling import _direct, arrive, registered, sg_lead, sg_leader, sg_support  # noqa: F401
from thongsuot.core import sweeps
from thongsuot.core.calendar import add_working_days
from thongsuot.core.notifications import sms
from thongsuot.core.notifications.models import Notification
from thongsuot.documents import services
from thongsuot.documents.models import Instruction
from thongsuot.documents.numbering import today_in_city


def _events(user):
    return list(Notification.objects.filter(recipient=user).values_list("event", flat=True))


def test_an_urgent_document_tells_the_clerk_on_arrival_and_the_handlers_when_directed(
    arrive,  # noqa: F811
    other_ward_clerk,
    ward_clerk,
    sg_leader,  # noqa: F811
    sg_lead,  # noqa: F811
    sg_support,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    other_ward_clerk.phone = "0903000111"
    other_ward_clerk.save()
    with django_capture_on_commit_callbacks(execute=True):
        urgent = arrive(summary="Về việc ứng phó bão số 9", urgency="hoa_toc")
        normal = arrive(summary="Về việc báo cáo định kỳ")
    assert _events(other_ward_clerk) == ["documents.urgent_arrived"]
    assert _events(ward_clerk) == []  # the sender's clerk is not told
    note = Notification.objects.get(recipient=other_ward_clerk)
    assert note.title.startswith("Hỏa tốc") and note.link == f"/van-ban/{urgent.pk}/"
    assert "vanthu@saigon.test" in [m.to[0] for m in mail.outbox]
    assert [(text.phone, text.text.startswith("Hỏa tốc")) for text in sms.outbox] == [("0903000111", True)]
    with django_capture_on_commit_callbacks(execute=True):
        for document in (urgent, normal):
            services.document_register(actor=other_ward_clerk, document=document)
            _direct(sg_leader, document, sg_lead, sg_support)
    assert sorted(_events(sg_lead)) == ["documents.assigned", "documents.urgent_assigned"]
    assert sorted(_events(sg_support)) == ["documents.assigned", "documents.urgent_assigned"]
    assert _events(sg_leader) == []


def test_the_sweep_reminds_once_before_the_deadline_and_once_when_overdue(
    registered,  # noqa: F811
    sg_leader,  # noqa: F811
    sg_lead,  # noqa: F811
    sg_support,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    today = today_in_city()
    soon, late, far, done = (registered(summary=f"Văn bản {n}") for n in range(4))
    for document in (soon, late, far, done):
        _direct(sg_leader, document, sg_lead, sg_support, days=10)
    Instruction.objects.filter(document__in=[soon, done]).update(deadline=add_working_days(today, 1))
    Instruction.objects.filter(document=late).update(deadline=today - datetime.timedelta(days=1))
    services.document_complete(actor=sg_lead, document=done)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.instructions_remind()
        again = services.instructions_remind()
    assert first == {"due_soon": [soon.pk], "overdue": [late.pk]}
    assert again == {"due_soon": [], "overdue": []}  # a reminder is sent once
    for person in (sg_lead, sg_support, sg_leader):
        assert sorted(_events(person)) == ["documents.due_soon", "documents.overdue"]
    assert soon.events.filter(action="remind_due_soon").count() == 1
    assert late.events.filter(action="remind_overdue").count() == 1
    # The overdue one was also due soon yesterday; today a new deadline brings a new reminder.
    Instruction.objects.filter(document=soon).update(deadline=add_working_days(today, 2))
    assert services.instructions_remind() == {"due_soon": [soon.pk], "overdue": []}
    # And the day after the deadline, it is overdue once.
    later = add_working_days(today, 3)
    assert services.instructions_remind(today=later) == {"due_soon": [], "overdue": [soon.pk]}


def test_the_sweep_is_registered_and_runs_from_run_periodic(db, capsys):
    by_name = {sweep.name: sweep for sweep in sweeps.registered()}
    assert by_name["documents.deadlines"].task.module_path == "thongsuot.documents.tasks.documents_sweep"
    call_command("run_periodic", "--once")
    assert "documents.deadlines: thongsuot.documents.tasks.documents_sweep" in capsys.readouterr().out
