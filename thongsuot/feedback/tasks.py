"""Background jobs of the feedback system: registering citizens' submissions, notifications and the
overdue sweep. Thin, calling services."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from thongsuot.accounts.models import Role, User
from thongsuot.feedback import selectors, services
from thongsuot.feedback.links import follow_path
from thongsuot.feedback.models import Follower, Report, ReportEvent
from thongsuot.feedback.sms import send_sms
from thongsuot.feedback.states import Status

logger = logging.getLogger(__name__)


def follow_url(report: Report, *, with_key: bool = False) -> str:
    url = settings.SITE_URL + follow_path(report.code)
    return f"{url}?k={report.citizen_key}" if with_key else url


def _mail(template: str, context: dict, recipients: list[str]) -> int:
    recipients = [r for r in recipients if r]
    if not recipients:
        return 0
    subject = render_to_string(f"feedback/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"feedback/email/{template}_body.txt", context)
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)


def _handler_emails(organisation_id: int | None) -> list[str]:
    if organisation_id is None:
        return []
    return list(
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF, roles__code=Role.FEEDBACK_HANDLER
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


@task()
def report_status_notify(report_id: int, event_id: int) -> int:
    """Tell the citizen (and followers) of a public change: email and SMS. Returns messages sent."""
    event = ReportEvent.objects.select_related("report").filter(pk=event_id, report_id=report_id).first()
    if event is None or not event.public:
        return 0
    report = event.report
    status = Status(report.status).label
    context = {"report": report, "event": event, "status": status, "url": follow_url(report, with_key=True)}
    sent = _mail("status", context, [report.contact_email])
    sms_text = f"1022: {report.code} - {status}. {follow_url(report)}"
    sent += send_sms(report.contact_phone, sms_text)
    context["url"] = follow_url(report)
    for follower in report.followers.all():
        sent += _mail("status", context, [follower.email])
        sent += send_sms(follower.phone, sms_text)
    return sent


@task()
def report_media_fetch(report_id: int, url: str) -> bool:
    """Download the photo or video an Open311 client named by media_url and attach it (services.media)."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return False
    return services.report_media_fetch(report=report, url=url) is not None


@task()
def followers_merged_notify(report_id: int, follower_ids: list[int]) -> int:
    """Tell the followers of merged duplicates which report they now follow."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return 0
    sent = 0
    context = {"report": report, "url": follow_url(report)}
    for follower in Follower.objects.filter(pk__in=follower_ids, report=report):
        context["follower"] = follower
        sent += _mail("merged", context, [follower.email])
        sent += send_sms(follower.phone, f"1022: {report.code} - {context['url']}")
    return sent


@task()
def assignment_notify(report_id: int) -> int:
    """Email the handlers of the unit that received (or got back) a report."""
    report = Report.objects.select_related("organisation", "category").filter(pk=report_id).first()
    if report is None:
        return 0
    url = settings.SITE_URL + reverse("feedback:staff_report", args=[report.code])
    return _mail("assigned", {"report": report, "url": url}, _handler_emails(report.organisation_id))


@task()
def reports_mark_overdue() -> int:
    """Flag overdue reports and remind their units once (idempotent: a second run does nothing)."""
    flagged = services.reports_overdue_mark()
    for report in Report.objects.filter(pk__in=flagged).select_related("organisation", "category"):
        url = settings.SITE_URL + reverse("feedback:staff_report", args=[report.code])
        _mail("overdue", {"report": report, "url": url}, _handler_emails(report.organisation_id))
    if flagged:
        logger.info("%d report(s) flagged overdue", len(flagged))
    return len(flagged)


@task()
def reports_remind_due_soon() -> int:
    """Remind the units of reports falling due soon (once per due date)."""
    reminded = services.reports_due_soon_remind()
    for report in Report.objects.filter(pk__in=reminded).select_related("organisation", "category"):
        url = settings.SITE_URL + reverse("feedback:staff_report", args=[report.code])
        _mail("due_soon", {"report": report, "url": url}, _handler_emails(report.organisation_id))
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
