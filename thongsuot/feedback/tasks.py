"""The feedback system's periodic jobs: thin, calling services. The notifications are declared in
feedback/notifications.py and sent by the core's notification job; the two jobs the services queue and
that run a service live beside it (services.media, services.submissions), so the services never import
this module and the modules of the app import each other in one direction only."""

import logging

from django_tasks import task

from thongsuot.feedback import notifications, services
from thongsuot.feedback.models import Report

# The jobs' former paths (thongsuot.feedback.tasks.<name>), so jobs queued before they moved still run.
from thongsuot.feedback.services.media import report_media_fetch_job as report_media_fetch
from thongsuot.feedback.services.submissions import submissions_register_job as submissions_register_pending

logger = logging.getLogger(__name__)

__all__ = [
    "feedback_sweep",
    "report_media_fetch",
    "reports_close_unrated",
    "reports_mark_overdue",
    "reports_remind_due_soon",
    "submissions_register_pending",
]


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
def feedback_sweep() -> dict:
    """The periodic job (registered in feedback/sweeps.py): overdue flags, reminders before the due date,
    unrated results closed, categories linked to the department they name by code, and the rate-limit marks
    older than a day deleted. Each step is idempotent, so running it twice, or on two workers, changes
    nothing more."""
    result = {
        "registered": services.submissions_register_pending(),
        "overdue": reports_mark_overdue.call(),
        "due_soon": reports_remind_due_soon.call(),
        "closed_unrated": reports_close_unrated.call(),
    }
    linked = services.categories_departments_link()
    if linked:
        logger.info("%d categor(y/ies) linked to their department", linked)
    purged = services.submission_marks_purge()
    if purged:
        logger.info("%d old submission mark(s) deleted", purged)
    return result
