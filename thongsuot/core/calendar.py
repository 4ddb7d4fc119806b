"""The shared working-day calendar. Every deadline in the platform is computed here.

A day is a working day when it is Monday to Friday, not a Vietnamese public holiday (the
`holidays` package, Tết and substituted days included) and not an extra day off added by an
administrator; an administrator can also declare a weekend day a working day (a compensatory
working Saturday). Hour-based deadlines count only office hours (settings.WORKING_HOURS).

The administrators' exceptions are read from the database once per REFERENCE_CACHE_SECONDS (60 s) per
worker process (thongsuot.core.local_cache), not on every deadline: a day added, changed or removed
applies at once in the process that saved it (signals below) and in every other worker within that
time. A deadline computed in that minute may miss the new exception, as it would had the submission come
a minute earlier; changes made without model signals (QuerySet.update, raw SQL) wait for the expiry.
"""

import datetime
import re
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from thongsuot.core.local_cache import local_cache
from thongsuot.core.models import CalendarDay

_MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict:
    return dict(holidays.country_holidays("VN", years=year))


_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str) -> dict:
    """The year's holidays named in `language` ("vi", otherwise English), dates inside the names as
    dd/mm/yyyy (the package writes its English names' dates the US way: "substituted from 08/22/2026")."""
    if language == "vi":
        return dict(holidays.country_holidays("VN", years=year, language="vi"))
    names = holidays.country_holidays("VN", years=year, language="en_US")
    return {day: _US_DATE.sub(r"\2/\1/\3", name) for day, name in names.items()}


@local_cache()
def _all_exceptions() -> dict[datetime.date, str]:
    """Every administrator's exception (a few dozen days a year), by date."""
    return dict(CalendarDay.objects.values_list("date", "kind"))


post_save.connect(_all_exceptions.clear, sender=CalendarDay, dispatch_uid="calendar_exceptions_save")
post_delete.connect(_all_exceptions.clear, sender=CalendarDay, dispatch_uid="calendar_exceptions_delete")


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """The exceptions from start to end (a new dict: callers add to it)."""
    return {day: kind for day, kind in _all_exceptions.get().items() if start <= day <= end}


def _is_working(day: datetime.date, exceptions: dict[datetime.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == CalendarDay.Kind.WORKING:
        return True
    if kind == CalendarDay.Kind.DAY_OFF:
        return False
    if day.weekday() >= 5:
        return False
    return day not in _national_holidays(day.year)


def holiday_name(day: datetime.date, language: str | None = None) -> str | None:
    """The public holiday's name in `language` (by default the active language), None on other days."""
    language = (language or translation.get_language() or "vi").split("-")[0]
    return _holiday_names(day.year, "vi" if language == "vi" else "en").get(day)


def is_working_day(day: datetime.date) -> bool:
    return _is_working(day, _exceptions(day, day))


def city_time(moment: datetime.datetime) -> datetime.datetime:
    """An aware `moment` in the city's time zone (settings.TIME_ZONE), whatever zone a request activated:
    the city's date and month at that moment."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def add_working_days(start: datetime.date | datetime.datetime, days: int) -> datetime.date:
    """The date `days` working days after `start` (which itself does not count).

    add_working_days(friday, 1) is the next working day. With days=0 the result is `start` if it
    is a working day, else the next working day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if isinstance(start, datetime.datetime):  # the city's date at that moment
        start = city_time(start).date() if timezone.is_aware(start) else start.date()
    return _working_days_after.get((start, days))


@local_cache(max_entries=4096)
def _working_days_after(key: tuple[datetime.date, int]) -> datetime.date:
    """add_working_days of a date, kept per process like the exceptions it reads (every citizen's
    submission asks for today's due dates of a handful of categories)."""
    start, days = key
    horizon = start + datetime.timedelta(days=days * 3 + 60)
    exceptions = _exceptions(start, horizon)
    day = start
    if days == 0:
        while not _is_working(day, exceptions):
            day += datetime.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if (day - start).days > _MAX_SPAN_DAYS:
            raise ValueError("no working days found within ten years")
        if day > horizon:
            horizon = day + datetime.timedelta(days=remaining * 3 + 60)
            exceptions.update(_exceptions(day, horizon))
        if _is_working(day, exceptions):
            remaining -= 1
    return day


post_save.connect(_working_days_after.clear, sender=CalendarDay, dispatch_uid="calendar_due_dates_save")
post_delete.connect(_working_days_after.clear, sender=CalendarDay, dispatch_uid="calendar_due_dates_delete")


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: how many add_working_days steps lead from start to end."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        count += _is_working(day, exceptions)
    return count


def _office_periods() -> list[tuple[datetime.time, datetime.time]]:
    return [(datetime.time.fromisoformat(a), datetime.time.fromisoformat(b)) for a, b in settings.WORKING_HOURS]


def add_working_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    """The moment `hours` office hours after `start`, skipping nights, weekends and days off."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    tz = timezone.get_default_timezone()
    current = city_time(start) if timezone.is_aware(start) else start.replace(tzinfo=tz)
    remaining = datetime.timedelta(hours=hours)
    periods = _office_periods()
    day = current.date()
    horizon = day + datetime.timedelta(days=int(hours) + 60)
    exceptions = _exceptions(day, horizon)
    while True:
        if _is_working(day, exceptions):
            for begin, end in periods:
                begin_dt = datetime.datetime.combine(day, begin, tzinfo=tz)
                end_dt = datetime.datetime.combine(day, end, tzinfo=tz)
                if current >= end_dt:
                    continue
                from_dt = max(current, begin_dt)
                available = end_dt - from_dt
                if remaining <= available:
                    return from_dt + remaining
                remaining -= available
                current = end_dt
        day += datetime.timedelta(days=1)
        if day > horizon:
            horizon = day + datetime.timedelta(days=60)
            exceptions.update(_exceptions(day, horizon))
        if (day - start.date()).days > _MAX_SPAN_DAYS:
            raise ValueError("no working hours found within ten years")
        current = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def office_hours_per_day() -> float:
    """The office hours of one working day (settings.WORKING_HOURS): 8 for 07:30–11:30 and 13:00–17:00."""
    seconds = sum(
        (
            datetime.datetime.combine(datetime.date.min, end) - datetime.datetime.combine(datetime.date.min, begin)
        ).seconds
        for begin, end in _office_periods()
    )
    return seconds / 3600


def working_hours_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """The office hours from `start` to `end` (0 when end is not after start): how much of a deadline's
    time a pause took, so that the clock can stop while a citizen brings documents."""
    tz = timezone.get_default_timezone()
    start = city_time(start) if timezone.is_aware(start) else start.replace(tzinfo=tz)
    end = city_time(end) if timezone.is_aware(end) else end.replace(tzinfo=tz)
    if end <= start:
        return 0.0
    if (end.date() - start.date()).days > _MAX_SPAN_DAYS:
        raise ValueError("span longer than ten years")
    exceptions = _exceptions(start.date(), end.date())
    total = datetime.timedelta()
    day = start.date()
    while day <= end.date():
        if _is_working(day, exceptions):
            for begin, finish in _office_periods():
                lower = max(start, datetime.datetime.combine(day, begin, tzinfo=tz))
                upper = min(end, datetime.datetime.combine(day, finish, tzinfo=tz))
                if upper > lower:
                    total += upper - lower
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 3600
