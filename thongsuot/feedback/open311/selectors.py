"""Reads of the Open311 interface. Only public data leaves here: never the contact fields.

Which reports are listed: every report that is not hidden and was not refused as spam. Until a
report's result is published (states.PUBLIC) its text, address and exact position are not public (the
follow page hides them too, since codes are guessable): such a report shows the text edited for the
public if staff wrote one, the name of its commune-level unit as the address and its position rounded
to about 100 m.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from thongsuot.directory.models import Organisation
from thongsuot.feedback import selectors as feedback_selectors
from thongsuot.feedback import states
from thongsuot.feedback.models import Attachment, Category, Report
from thongsuot.feedback.services.intake import report_from_submission
from thongsuot.feedback.states import RejectReason, Status

DEFAULT_JURISDICTION = "tphcm"
DEFAULT_SPAN = timedelta(days=90)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ROUND_UNPUBLISHED = 3  # decimals of lat/long for reports whose result is not yet published (~110 m)

# Open311 knows two states. "closed" = resolved (with or without its result published yet) or finished.
CLOSED = frozenset(states.FINAL | states.PUBLIC | {Status.RESOLVED})
OPEN = frozenset(set(Status.values) - CLOSED)


def jurisdiction_id() -> str:
    return getattr(settings, "OPEN311_JURISDICTION_ID", DEFAULT_JURISDICTION)


def jurisdiction_ok(value: str | None) -> bool:
    """Absent, "tphcm" or the configured identifier."""
    return not value or value.strip().lower() in {DEFAULT_JURISDICTION, jurisdiction_id().lower()}


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED else "open"


# Services ---------------------------------------------------------------------------------------


def services() -> QuerySet[Category]:
    return feedback_selectors.categories().select_related("department")


def service_get(code: str) -> Category | None:
    return services().filter(code=code).first()


def unit_by_address_id(address_id: str) -> Organisation | None:
    """address_id is the electronic identifier of a commune-level unit in the directory."""
    return Organisation.objects.filter(code=address_id.strip(), kind="commune", is_active=True).first()


# Requests ---------------------------------------------------------------------------------------


def listable() -> QuerySet[Report]:
    public_files = Attachment.objects.filter(public=True).order_by("created_at", "id")
    return (
        Report.objects.filter(hidden=False)
        .exclude(status=Status.REJECTED, reject_reason=RejectReason.SPAM)
        .select_related("category", "organisation", "resolved_unit")
        .prefetch_related(Prefetch("attachments", queryset=public_files, to_attr="public_files"))
        .order_by("-received_at", "-id")
    )


@dataclass
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    start: datetime | None
    end: datetime | None
    statuses: list[str]
    page: int = 1
    page_size: int = PAGE_SIZE


def date_window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The spec's default: the 90 days before end_date (or now), or the 90 days after start_date."""
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - DEFAULT_SPAN
    if end is None:
        end = start + DEFAULT_SPAN
    return start, end


def request_list(filters: RequestFilters) -> tuple[list[Report], int]:
    """One page of listable reports and their total count. service_request_id overrides every other filter."""
    qs = listable()
    if filters.ids:
        qs = qs.filter(code__in=filters.ids)
    else:
        start, end = date_window(filters.start, filters.end)
        qs = qs.filter(received_at__gte=start, received_at__lte=end)
        if filters.service_codes:
            qs = qs.filter(category__code__in=filters.service_codes)
        if filters.statuses:
            wanted = set()
            for value in filters.statuses:
                wanted |= CLOSED if value == "closed" else OPEN
            qs = qs.filter(status__in=sorted(wanted))
    total = qs.count()
    offset = (filters.page - 1) * filters.page_size
    return list(qs[offset : offset + filters.page_size]), total


def request_get(code: str) -> Report | None:
    """A request by its id; one accepted but not registered yet reads as just received."""
    report = listable().filter(code=code).first()
    if report is None and (pending := feedback_selectors.pending_submission(code=code)) is not None:
        # shown as the report it will be (the builder registration uses; nothing is saved)
        return report_from_submission(pending.data, code=pending.code, received_at=pending.received_at)
    return report


def is_published(report: Report) -> bool:
    return report.status in states.PUBLIC and not report.hidden


def media_files(report: Report) -> list[Attachment]:
    """Public attachments only (feedback.selectors.public_attachments), from the prefetch when there is one."""
    if not is_published(report):
        return []
    if hasattr(report, "public_files"):
        return report.public_files
    return list(feedback_selectors.public_attachments(report=report))


def expected_datetime(report: Report) -> datetime | None:
    if report.due_date is None or report.status == Status.REJECTED:
        return None
    return timezone.make_aware(datetime.combine(report.due_date, time(23, 59, 59)))


def public_location(report: Report) -> tuple[str, float | None, float | None]:
    """(address, lat, long) as the public may see them (see the module docstring)."""
    if is_published(report):
        return report.address, report.latitude, report.longitude
    address = report.resolved_unit.name if report.resolved_unit_id else ""
    if report.latitude is None or report.longitude is None:
        return address, None, None
    return address, round(report.latitude, ROUND_UNPUBLISHED), round(report.longitude, ROUND_UNPUBLISHED)


def public_description(report: Report) -> str:
    return report.public_text if is_published(report) else report.public_description
