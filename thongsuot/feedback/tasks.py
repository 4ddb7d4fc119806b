"""Background jobs of the feedback system: registering citizens' submissions, fetching media and the
overdue sweep. Thin, calling services; the notifications are declared in feedback/notifications.py and
sent by the core's notification job."""

import logging

from django_tasks import task

from thongsuot.feedback import notifications, selectors, services
from thongsuot.feedback.models import Report

logger = logging.getLogger(__name__)


@task()
def report_media_fetch(report_id: int, url: str) -> bool:
    """Download the photo or video an Open311 client named by media_url and attach it (services.media)."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return False
    return services.report_media_fetch(report=report, url=url) is not None


@task()
def reports_mark_overdue() -> int:
    """Flag overdue reports and remind their units once (idempotent: a second run does nothing)."""
    flagged = services.reports_overdue_mark()
    notifications.reports_overdue(Report.objects.filter(pk__in=flagged).only("pk", "organisation_id"))
    if flagged:
        logger.info("%d report(s) flagged overdue", len(flagged))
    return len(flagged)


@task()
def reports_remind_due_soon() -> int:
    """Remind the units of reports falling due soon (once per due date)."""
    reminded = services.reports_due_soon_remind()
    notifications.reports_due_soon(Report.objects.filter(pk__in=reminded).only("pk", "organisation_id"))
    return len(reminded)


@task()
def reports_close_unrated() -> int:
    """Close published results the citizen has not rated in time."""
    return len(services.reports_close_unrated())


@task()
def submissions_register_pending() -> int:
    """Register the citizens' submissions waiting in the queue (services.submissions). Queued by the first
    submission into an empty queue and by `run_periodic` while any wait; a long queue is taken in turns of
    SUBMISSIONS_PER_JOB, each turn queuing the next, so one job never holds a worker for long."""
    registered = services.submissions_register_pending(limit=SUBMISSIONS_PER_JOB)
    if registered == SUBMISSIONS_PER_JOB and selectors.pending_submissions_waiting():
        submissions_register_pending.enqueue()
    return registered


SUBMISSIONS_PER_JOB = 2000


@task()
def feedback_sweep() -> dict:
    """The periodic job (registered in feedback/sweeps.py): overdue flags, reminders before the due date,
    unrated results closed, and the rate-limit marks older than a day deleted. Each step is idempotent, so
    running it twice, or on two workers, changes nothing more."""
    result = {
        "registered": services.submissions_register_pending(),
        "overdue": reports_mark_overdue.call(),
        "due_soon": reports_remind_due_soon.call(),
        "closed_unrated": reports_close_unrated.call(),
    }
    purged = services.submission_marks_purge()
    if purged:
        logger.info("%d old submission mark(s) deleted", purged)
    return result
