"""The periodic sweeps of the feedback system: reminders before the due date, closing unrated results and
purging the old rate-limit marks of anonymous submissions.

Each is idempotent (a report is reminded once per due date, closed once) and returns the ids it touched,
so the background job that calls them can notify the right people. The overdue sweep is
`workflow.reports_overdue_mark`.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.core.calendar import add_working_days, working_days_between
from thongsuot.feedback.models import Report, SubmissionMark
from thongsuot.feedback.services._common import record, transition
from thongsuot.feedback.states import HANDLING, Status

REMINDER_ACTION = "due_reminder"
SUBMISSION_MARK_DAYS = 1  # the hourly limits read one hour of marks; a day of them is kept for inquiries


def submission_marks_purge(*, now: datetime | None = None) -> int:
    """Delete the rate-limit marks older than SUBMISSION_MARK_DAYS (submission only counts the last hour,
    so it leaves the deleting to this sweep); returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=SUBMISSION_MARK_DAYS)
    deleted, _by_model = SubmissionMark.objects.filter(at__lt=cutoff).delete()
    return deleted


def reports_due_soon_remind(*, today: date | None = None) -> list[int]:
    """Mark the reports still being handled that fall due within FEEDBACK_REMIND_DAYS_BEFORE working days
    (today included) and have not been reminded for this due date yet; returns their ids."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.FEEDBACK_REMIND_DAYS_BEFORE)
    candidates = Report.objects.filter(
        status__in=HANDLING, overdue=False, due_date__gte=today, due_date__lte=horizon
    ).values_list("pk", "due_date")
    reminded = []
    for pk, due in candidates:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=pk, due_date=due, overdue=False).first()
            if (
                report is None
                or report.events.filter(action=REMINDER_ACTION, note__contains=f"{due:%d/%m/%Y}").exists()
            ):
                continue
            record(
                report,
                actor="system",
                action=REMINDER_ACTION,
                public=False,
                note=_("Due on %(date)s.") % {"date": f"{due:%d/%m/%Y}"},
            )
            reminded.append(pk)
    return reminded


def reports_close_unrated(*, today: date | None = None) -> list[int]:
    """Close the published results the citizen has not rated within FEEDBACK_AUTO_CLOSE_DAYS working days."""
    today = today or timezone.localdate()
    days = settings.FEEDBACK_AUTO_CLOSE_DAYS
    # The last publication day that has had `days` working days since: everything published before its end.
    cutoff = today
    while working_days_between(cutoff, today) < days:
        cutoff -= timedelta(days=1)
    end_of_cutoff = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min))
    closed = []
    for pk in Report.objects.filter(status=Status.PUBLISHED, published_at__lt=end_of_cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=pk, status=Status.PUBLISHED).first()
            if report is None:
                continue
            transition(
                report,
                Status.CLOSED,
                actor="system",
                note=_("Closed: not rated within %(days)d working days of the result.") % {"days": days},
                fields={"closed_at": timezone.now()},
                notify=False,
            )
            closed.append(pk)
    return closed
