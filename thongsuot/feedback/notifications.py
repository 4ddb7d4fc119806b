"""Every notification of the 1022 system, in one place: its events (registered by FeedbackConfig.ready()),
what each one loads for its templates (feedback/templates/feedback/notifications/<name>/), and who is told.

The services call the functions below inside their transaction; thongsuot.core.notifications.notify()
queues the sending for after the commit.
"""

import re

from django.conf import settings
from django.db.models import Q

from thongsuot.accounts.models import User
from thongsuot.core.notifications import EMAIL, IN_APP, SMS, Contact, Event, notify
from thongsuot.feedback import roles
from thongsuot.feedback.links import follow_path
from thongsuot.feedback.models import Follower, Report, ReportEvent
from thongsuot.feedback.states import Status


def follow_url(report: Report, *, with_key: bool = False) -> str:
    """The citizen's follow page; with its key, the page lets them rate the result and reopen the report."""
    url = settings.SITE_URL + follow_path(report.code)
    return f"{url}?k={report.citizen_key}" if with_key else url


def staff_path(report: Report) -> str:
    from django.urls import reverse

    return reverse("feedback:staff_report", args=[report.code])


def _status_context(context: dict) -> dict | None:
    event = ReportEvent.objects.select_related("report").filter(pk=context["event_id"]).first()
    if event is None or event.report_id != context["report_id"] or not event.public:
        return None
    report = event.report
    with_key = context.get("with_key", False)
    url = follow_url(report, with_key=with_key)
    link = url.removeprefix(settings.SITE_URL)
    return {"report": report, "event": event, "status": Status(report.status).label, "url": url, "link": link}


def _report_context(context: dict) -> dict | None:
    report = Report.objects.select_related("organisation", "category").filter(pk=context["report_id"]).first()
    if report is None:
        return None
    return {"report": report, "url": follow_url(report)}


def _staff_context(context: dict) -> dict | None:
    loaded = _report_context(context)
    if loaded is None:
        return None
    path = staff_path(loaded["report"])
    loaded.update(url=settings.SITE_URL + path, link=path)
    if context.get("event_id"):
        loaded["event"] = ReportEvent.objects.filter(pk=context["event_id"]).first()
    return loaded


REPORT_STATUS = Event("feedback.report_status", channels=(EMAIL, SMS, IN_APP), load=_status_context)
FOLLOWERS_MERGED = Event("feedback.followers_merged", channels=(EMAIL, SMS), load=_report_context)
REPORT_ASSIGNED = Event("feedback.report_assigned", channels=(EMAIL, IN_APP), load=_staff_context)
REPORT_DUE_SOON = Event("feedback.report_due_soon", channels=(EMAIL, IN_APP), load=_staff_context)
REPORT_OVERDUE = Event("feedback.report_overdue", channels=(EMAIL, IN_APP), load=_staff_context)
NOTE_MENTION = Event("feedback.note_mention", channels=(EMAIL, IN_APP), load=_staff_context)
EVENTS = (REPORT_STATUS, FOLLOWERS_MERGED, REPORT_ASSIGNED, REPORT_DUE_SOON, REPORT_OVERDUE, NOTE_MENTION)


# Who is told -------------------------------------------------------------------------------------


def handlers_of(organisation_id: int | None):
    """The active 1022 handlers of a unit."""
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF, roles__code=roles.HANDLER
    ).distinct()


def report_status_changed(report: Report, event: ReportEvent) -> None:
    """A public change: the citizen (e-mail and SMS, with the key that lets them rate; their account's
    list too) and the followers (without the key)."""
    if not event.public:
        return
    citizen = [Contact(email=report.contact_email, phone=report.contact_phone, name=report.contact_name)]
    if report.citizen_id:
        citizen.append(User(pk=report.citizen_id))
    context = {"report_id": report.pk, "event_id": event.pk}
    notify(REPORT_STATUS, citizen, {**context, "with_key": True})
    if event.action != "submit":  # a report just received has no followers yet (and costs no query)
        followers = [Contact(email=f.email, phone=f.phone, name=f.name) for f in report.followers.all()]
        notify(REPORT_STATUS, followers, {**context, "with_key": False})


def followers_merged(report: Report, follower_ids: list[int]) -> None:
    followers = Follower.objects.filter(pk__in=follower_ids, report=report)
    notify(FOLLOWERS_MERGED, [Contact(email=f.email, phone=f.phone, name=f.name) for f in followers], _ids(report))


def report_assigned(report: Report) -> None:
    notify(REPORT_ASSIGNED, handlers_of(report.organisation_id), _ids(report))


def reports_due_soon(reports) -> None:
    """From the sweep, already in the worker: sent at once."""
    for report in reports:
        notify(REPORT_DUE_SOON, handlers_of(report.organisation_id), _ids(report), at_once=True)


def reports_overdue(reports) -> None:
    """From the sweep, already in the worker: sent at once."""
    for report in reports:
        notify(REPORT_OVERDUE, handlers_of(report.organisation_id), _ids(report), at_once=True)


MENTION = re.compile(r"(?<![\w.+-])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def mentioned_in(note: str) -> list[str]:
    """The e-mail addresses written as @address in a note, in order, once each."""
    found: list[str] = []
    for address in MENTION.findall(note or ""):
        address = address.rstrip(".").lower()
        if address not in found:
            found.append(address)
    return found


def note_mentions(report: Report, event: ReportEvent, *, author) -> list:
    """Tell the colleagues a note names by @e-mail, those of them who may see the report. Returns them."""
    from thongsuot.feedback import selectors

    addresses = mentioned_in(event.note)
    if not addresses:
        return []
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    candidates = User.objects.filter(query, is_active=True, kind=User.Kind.STAFF).exclude(pk=author.pk)
    told = [u for u in candidates if selectors.report_list(user=u).filter(pk=report.pk).exists()]
    notify(NOTE_MENTION, told, {**_ids(report), "event_id": event.pk})
    return told


def _ids(report: Report) -> dict:
    return {"report_id": report.pk}
