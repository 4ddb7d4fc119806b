"""Gapless number series: official documents' numbers, incoming registers, dossiers of the day.

    with transaction.atomic():
        number = next_number(series="outgoing:QĐ", scope=agency.code, period=year_period(issued_on))
        Document.objects.create(..., number=number)

One counter row per (series, scope, period) is incremented by one statement
(`INSERT … ON CONFLICT (series, scope, period) DO UPDATE SET value = value + 1 RETURNING value`, on
PostgreSQL and on SQLite ≥ 3.35) in the transaction of the record that takes the number. Two callers of
one counter wait for each other's commit (the row stays locked until then), so numbers are never
duplicated and a rolled-back record gives its number back: no gaps. Callers of different counters do not
wait for each other. The unique constraint on the three keys is the backstop.

Periods are strings the caller builds with the helpers below: a calendar year (`year_period`: numbering
from 01 on 1 January, Nghị định 30/2020), a day (`day_period`: a dossier's `-YYMMDD-XXXX`), or a Party
body's committee term or congress (`term_period`, from the `Term` table: Hướng dẫn 36-HD/VPTW).

The 1022 feedback system's tracking codes are NOT numbered here: they keep their own PostgreSQL sequence
per month (`feedback.services.intake.next_code`), which never waits for another submission's commit and
may leave gaps (a rolled-back submission's number is not reused); a tracking code needs to be unique, not
gapless.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext as _

from thongsuot.core.calendar import city_time
from thongsuot.core.models import NumberCounter, Term

_LIMITS = {name: NumberCounter._meta.get_field(name).max_length for name in ("series", "scope", "period")}


def next_number(*, series: str, scope: str, period: str) -> int:
    """The next number (1, 2, 3, …) of `series` for `scope` in `period`. Must be called inside the
    transaction that stores the record taking the number (`transaction.atomic()`)."""
    missing = {
        "series": _("Give the number's series."),
        "scope": _("Give the number's scope (e.g. the issuing agency)."),
        "period": _("Give the number's period."),
    }
    errors = {}
    for name, value in (("series", series), ("scope", scope), ("period", period)):
        if not isinstance(value, str) or not value.strip():
            errors[name] = [missing[name]]
        elif len(value) > _LIMITS[name]:
            errors[name] = [_("At most %(limit)d characters.") % {"limit": _LIMITS[name]}]
    if errors:
        raise ValidationError(errors)
    connection = connections[router.db_for_write(NumberCounter)]
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run in the transaction of the record that takes the number")
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, scope, period, value) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (series, scope, period) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [series, scope, period],
        )
        return cursor.fetchone()[0]


def current_number(*, series: str, scope: str, period: str) -> int:
    """The last number given (0 if none): for a register's display, never to number anything."""
    row = NumberCounter.objects.filter(series=series, scope=scope, period=period).values_list("value", flat=True)
    return row.first() or 0


def _day(on: datetime.date | datetime.datetime) -> datetime.date:
    """A date as it is; an aware moment as its day in the city (Asia/Ho_Chi_Minh)."""
    if isinstance(on, datetime.datetime):
        return city_time(on).date()
    return on


def year_period(on: datetime.date | datetime.datetime) -> str:
    """The calendar year of `on` in the city: "2026"."""
    return f"{_day(on):%Y}"


def day_period(on: datetime.date | datetime.datetime) -> str:
    """The day of `on` in the city: "2026-03-15"."""
    return _day(on).isoformat()


def term_for(*, body: str, on: datetime.date | datetime.datetime, kind: str = Term.Kind.TERM) -> Term:
    """The term (or congress) of `body` that `on` falls in; a ValidationError naming the date if none does."""
    day = _day(on)
    found = Term.objects.filter(body=body, kind=kind, starts__lte=day).exclude(ends__lt=day).order_by("-starts").first()
    if found is None:
        raise ValidationError(
            {"date": [_("No term of %(body)s covers %(date)s.") % {"body": body, "date": f"{day:%d/%m/%Y}"}]}
        )
    return found


def term_period(*, body: str, on: datetime.date | datetime.datetime, kind: str = Term.Kind.TERM) -> str:
    """The period key of the term (or congress) of `body` that `on` falls in: "term:2025-2030"."""
    term = term_for(body=body, on=on, kind=kind)
    return f"{term.kind}:{term.key}"
