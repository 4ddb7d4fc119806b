"""Reporting periods: ranges of calendar days in the city's time (Asia/Ho_Chi_Minh), both ends included.

A day, an ISO week (from Monday), a month, a quarter, a year or a custom range; presets relative to today
("last_month" is the last complete month); `parse_period` reads "2025-09", "2025-Q3", "2025-W37",
"2025-09-15" or "2025"; `bounds` gives the aware datetimes [from, to) a query filters on. Trend buckets
(day, week, month) are here too.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_PERIOD_DAYS = 366 * 5 + 1
BUCKETS = ("day", "week", "month")
PRESETS = (
    "today",
    "yesterday",
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
)


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def city_today() -> date:
    """Today in the city, whatever time zone a request activated."""
    return timezone.localtime(timezone.now(), city_zone()).date()


@dataclass
class Period:
    start: date
    end: date
    label: str = ""
    kind: str = "custom"
    extra: dict = field(default_factory=dict)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The aware datetimes [from, to) of the calendar days start..end in the city's time."""
    if end < start:
        raise ValidationError({"end": [_("The end of the period is before its start.")]})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError({"end": [_("The period is longer than five years.")]})
    zone = city_zone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def day_period(day: date) -> Period:
    return Period(day, day, f"{day:%d/%m/%Y}", "day")


def week_period(day: date) -> Period:
    """The ISO week (Monday to Sunday) that holds `day`."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return Period(monday, sunday, f"{monday:%d/%m/%Y}–{sunday:%d/%m/%Y}", "week")


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), f"{month:02d}/{year}", "month")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(
        date(year, first, 1),
        date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
        _("Quarter %(q)s/%(y)s") % {"q": quarter, "y": year},
        "quarter",
    )


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), "year")


def custom_period(start: date, end: date) -> Period:
    """A range the user chose; checked like every period (end not before start, at most five years)."""
    bounds(start, end)
    return Period(start, end, f"{start:%d/%m/%Y}–{end:%d/%m/%Y}", "custom")


def preset_period(name: str, today: date | None = None) -> Period | None:
    """One of PRESETS relative to today in the city; None for an unknown name."""
    today = today or city_today()
    quarter = (today.month - 1) // 3 + 1
    if name == "today":
        return day_period(today)
    if name == "yesterday":
        return day_period(today - timedelta(days=1))
    if name == "this_week":
        return week_period(today)
    if name == "last_week":
        return week_period(today - timedelta(days=7))
    if name == "this_month":
        return month_period(today.year, today.month)
    if name == "last_month":
        previous = today.replace(day=1) - timedelta(days=1)
        return month_period(previous.year, previous.month)
    if name == "this_quarter":
        return quarter_period(today.year, quarter)
    if name == "last_quarter":
        return quarter_period(today.year, quarter - 1) if quarter > 1 else quarter_period(today.year - 1, 4)
    if name == "this_year":
        return year_period(today.year)
    if name == "last_year":
        return year_period(today.year - 1)
    return None


_PERIOD = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?|[Qq](?P<q>[1-4])|[Ww](?P<w>\d{1,2})))?$")


KINDS = ("day", "week", "month", "quarter", "year")


def parse_period(text: str, *, kinds: tuple[str, ...] = KINDS) -> Period:
    """ "2025-09" (a month), "2025-Q3" (a quarter), "2025" (a year), "2025-W37" (an ISO week) or
    "2025-09-15" (a day); `kinds` limits what is accepted (a ranking by month, quarter or year only)."""
    period = _parse(text)
    if period.kind not in kinds:
        raise ValidationError({"period": [_("Give a month (2025-09), a quarter (2025-Q3) or a year (2025).")]})
    return period


def _parse(text: str) -> Period:
    match = _PERIOD.match((text or "").strip())
    if not match or not 2000 <= int(match["y"]) <= 2100:
        raise ValidationError({"period": [_("Give a month (2025-09), a quarter (2025-Q3) or a year (2025).")]})
    year = int(match["y"])
    if match["m"]:
        if not 1 <= int(match["m"]) <= 12:
            raise ValidationError({"period": [_("Give a month from 1 to 12.")]})
        if match["d"]:
            try:
                return day_period(date(year, int(match["m"]), int(match["d"])))
            except ValueError:
                raise ValidationError({"period": [_("Give a day that exists.")]}) from None
        return month_period(year, int(match["m"]))
    if match["q"]:
        return quarter_period(year, int(match["q"]))
    if match["w"]:
        try:
            return week_period(date.fromisocalendar(year, int(match["w"]), 1))
        except ValueError:
            raise ValidationError({"period": [_("Give a week from 1 to 52 (or 53).")]}) from None
    return year_period(year)


# Trend buckets ----------------------------------------------------------------------------------


def bucket_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def next_bucket(day: date, bucket: str) -> date:
    if bucket == "week":
        return day + timedelta(days=7)
    if bucket == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def auto_bucket(start: date, end: date) -> str:
    """Days up to two months, weeks up to about six months, months beyond."""
    days = (end - start).days + 1
    return "day" if days <= 62 else "week" if days <= 190 else "month"


def bucket_starts(start: date, end: date, bucket: str) -> list[date]:
    """The first day of every bucket from the one holding `start` to the one holding `end`."""
    if bucket not in BUCKETS:
        raise ValidationError({"bucket": [_("Choose day, week or month.")]})
    starts, day = [], bucket_start(start, bucket)
    while day <= end:
        starts.append(day)
        day = next_bucket(day, bucket)
    return starts


def period_filename(stem: str, period: Period, extension: str) -> str:
    """ "thong-ke-1022-20260301-20260331.xlsx": an export's file name for a period."""
    return f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"
