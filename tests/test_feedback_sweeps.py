"""The periodic sweeps: reminders before the due date, unrated results closed, the scheduler command."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import make_staff
from thongsuot.core.calendar import add_working_days
from thongsuot.core.models import AuditEntry
from thongsuot.feedback import services
from thongsuot.feedback.models import Report
from thongsuot.feedback.states import Status
from thongsuot.feedback.tasks import feedback_sweep, reports_remind_due_soon
from thongsuot.feedback.testing import submit


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


@pytest.fixture
def assigned(centre_admin, ben_thanh, handler):
    return services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)


def _published(report, handler, centre_admin):
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý.")
    services.report_resolve(actor=handler, report=report, resolution="Đã xử lý xong.")
    return services.report_publish(actor=centre_admin, report=report)


def test_reminder_before_the_due_date_is_sent_once(assigned, settings):
    settings.FEEDBACK_REMIND_DAYS_BEFORE = 1
    today = timezone.localdate()
    Report.objects.filter(pk=assigned.pk).update(due_date=add_working_days(today, 1))
    mail.outbox.clear()
    assert reports_remind_due_soon.call() == 1
    assert [m.to for m in mail.outbox] == [["xuly@benthanh.test"]]
    assert assigned.code in mail.outbox[0].subject
    assert reports_remind_due_soon.call() == 0
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="feedback.report.due_reminder", object_id=str(assigned.pk)).count() == 1


def test_no_reminder_far_from_the_due_date_nor_after_it(assigned, settings):
    settings.FEEDBACK_REMIND_DAYS_BEFORE = 1
    today = timezone.localdate()
    Report.objects.filter(pk=assigned.pk).update(due_date=add_working_days(today, 3))
    assert services.reports_due_soon_remind() == []
    Report.objects.filter(pk=assigned.pk).update(due_date=today - timedelta(days=1))
    assert services.reports_due_soon_remind() == []


def test_an_extended_due_date_is_reminded_again(assigned, settings):
    settings.FEEDBACK_REMIND_DAYS_BEFORE = 2
    today = timezone.localdate()
    Report.objects.filter(pk=assigned.pk).update(due_date=add_working_days(today, 1))
    assert services.reports_due_soon_remind() == [assigned.pk]
    Report.objects.filter(pk=assigned.pk).update(due_date=add_working_days(today, 2))
    assert services.reports_due_soon_remind() == [assigned.pk]
    assert services.reports_due_soon_remind() == []


def test_unrated_result_is_closed_after_the_rating_period(assigned, handler, centre_admin, settings):
    settings.FEEDBACK_AUTO_CLOSE_DAYS = 3
    report = _published(assigned, handler, centre_admin)
    today = timezone.localdate()
    assert services.reports_close_unrated(today=today) == []
    assert services.reports_close_unrated(today=add_working_days(today, 2)) == []
    assert services.reports_close_unrated(today=add_working_days(today, 3)) == [report.pk]
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.closed_at and report.rating is None
    assert report.events.filter(action="close", actor_label="system").exists()
    assert services.reports_close_unrated(today=add_working_days(today, 4)) == []


def test_rated_results_are_not_touched(assigned, handler, centre_admin, settings):
    settings.FEEDBACK_AUTO_CLOSE_DAYS = 1
    report = _published(assigned, handler, centre_admin)
    services.report_rate(actor=None, report=report, rating=2, satisfied=False, key=report.citizen_key)
    assert services.reports_close_unrated(today=add_working_days(timezone.localdate(), 5)) == []
    report.refresh_from_db()
    assert report.status == Status.RATED


def test_sweep_runs_every_step(assigned):
    Report.objects.filter(pk=assigned.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert feedback_sweep.call() == {"registered": 0, "overdue": 1, "due_soon": 0, "closed_unrated": 0}
    assert feedback_sweep.call() == {"registered": 0, "overdue": 0, "due_soon": 0, "closed_unrated": 0}


def test_run_periodic_once_enqueues_the_sweep(assigned, capsys):
    Report.objects.filter(pk=assigned.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    call_command("run_periodic", "--once")  # the test profile runs tasks at once
    assert "feedback_sweep" in capsys.readouterr().out
    assigned.refresh_from_db()
    assert assigned.overdue
