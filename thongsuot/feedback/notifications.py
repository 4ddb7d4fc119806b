"""The feedback system's messages: citizens and followers told of public changes, units' handlers of new
assignments and approaching deadlines. Jobs and helpers that only read and send, below the services (which
queue them), so nothing here imports a service."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from thongsuot.accounts.models import User
from thongsuot.feedback import roles
from thongsuot.feedback.links import follow_path
from thongsuot.feedback.models import Follower, Report, ReportEvent
from thongsuot.feedback.sms import send_sms
from thongsuot.feedback.states import Status


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
            organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF, roles__code=roles.HANDLER
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def _staff_url(report: Report) -> str:
    return settings.SITE_URL + reverse("feedback:staff_report", args=[report.code])


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
    return _mail("assigned", {"report": report, "url": _staff_url(report)}, _handler_emails(report.organisation_id))


def handlers_mail(template: str, report_ids: list[int]) -> None:
    """Email each report's unit handlers with `template` ("overdue", "due_soon"): the sweeps' reminders."""
    for report in Report.objects.filter(pk__in=report_ids).select_related("organisation", "category"):
        _mail(template, {"report": report, "url": _staff_url(report)}, _handler_emails(report.organisation_id))
