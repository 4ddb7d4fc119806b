import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from thongsuot.core.models import AuditEntry, CalendarDay


def audit_search(
    *, q: str = "", action: str = "", object_type: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if q:
        qs = qs.filter(object_label__icontains=q) | qs.filter(object_id=q) | qs.filter(reason__icontains=q)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


@dataclass
class CalendarRow:
    day: datetime.date
    holiday: str
    exception: CalendarDay | None
    working: bool


def calendar_year(*, year: int) -> list[CalendarRow]:
    """The year's public holidays and administrators' exceptions, by date, and whether each is worked."""
    from thongsuot.core.calendar import holiday_name, is_working_day

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    exceptions = {e.date: e for e in CalendarDay.objects.filter(date__range=(start, end))}
    holidays_ = {d: holiday_name(d) for d in _days(start, end) if holiday_name(d)}
    return [
        CalendarRow(day=d, holiday=holidays_.get(d, ""), exception=exceptions.get(d), working=is_working_day(d))
        for d in sorted(set(exceptions) | set(holidays_))
    ]


def _days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)
