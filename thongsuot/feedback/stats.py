"""Statistics of the 1022 feedback system: period figures per unit, category or channel, the ranking of
the 168 commune-level units, and trends. Read-only, selector style; pages, exports and the API share it.

Definitions (the pages and the exports show the same text):

- The period is a range of calendar days in Vietnam time (Asia/Ho_Chi_Minh), both ends included. A
  report belongs to the period when it was *received* in it (a cohort): every figure of a row is about
  the reports received in the period. Reports merged into another one (duplicates) are left out.
- Received: reports received in the period.
- Resolved: those whose result is ready (resolved, published, rated or closed).
- On time: resolved reports whose resolution day (Vietnam time) is on or before their due date (the
  due date as extended by an approved extension, or renewed on reopening). On-time rate = on time ÷
  resolved.
- Overdue now: reports still being handled by a unit (forwarded, accepted, in progress, reopened)
  whose due date is before today.
- Handling time: resolved_at − received_at in calendar hours (nights, weekends and holidays count),
  over resolved reports: the median and the 90th percentile (linear interpolation, as PostgreSQL's
  percentile_cont). Computed in the database on PostgreSQL and in Python on SQLite.
- Returned as not ours: reports a unit sent back to the 1022 dispatchers ("return" events), counted for
  the unit that returned them (by unit) or for the report's category or channel.
- Reopened: reports the citizen reopened at least once.
- Satisfaction rate: reports rated "satisfied" ÷ reports with a rating.
- Forwarded within 5 min: reports the 1022 dispatchers forwarded to a unit at most 5 minutes after
  receipt ÷ reports forwarded (the period tables; the ranking does not use it).

Ranking score (0–100), for each commune-level unit:
  timeliness T = on time ÷ (resolved + overdue now), satisfaction S = satisfied ÷ rated;
  score = 100 × (0.7 × T + 0.3 × S), or 100 × T when no report of the unit was rated.
  A unit with nothing resolved and nothing overdue has no score and is listed after the ranked units.
  Ties: higher score, then more resolved reports, then the unit's name (accents ignored), then its id.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Func, Q
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core.reporting.periods import (  # noqa: F401 - the shared periods, re-exported under feedback's names
    BUCKETS,
    MAX_PERIOD_DAYS,
    Period,
    auto_bucket,
    bounds,
    bucket_start,
    month_period,
    next_bucket,
    parse_period,
    preset_period,
    quarter_period,
    year_period,
)
from thongsuot.core.reporting.periods import city_zone as tz
from thongsuot.core.text import fold
from thongsuot.directory.models import Organisation
from thongsuot.feedback import SYSTEM, states
from thongsuot.feedback.models import Category, Channel, Report, ReportEvent
from thongsuot.feedback.states import Status

GROUPS = {"organisation": "organisation_id", "category": "category_id", "channel": "channel", "all": None}
RESOLVED_STATES = (Status.RESOLVED, Status.PUBLISHED, Status.RATED, Status.CLOSED)
WEIGHT_TIMELINESS = 0.7
WEIGHT_SATISFACTION = 0.3
RANKING_PERIODS = ("month", "quarter", "year")  # what the public ranking is published for


# Rows -------------------------------------------------------------------------------------------


@dataclass
class Row:
    key: int | str | None
    label: str
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    overdue_now: int = 0
    returned: int = 0
    reopened: int = 0
    rated: int = 0
    satisfied: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    forwarded: int = 0
    forwarded_in_time: int = 0

    @property
    def forwarded_in_time_rate(self) -> float | None:
        """Percent of forwarded reports forwarded within the 5-minute target."""
        return round(100 * self.forwarded_in_time / self.forwarded, 2) if self.forwarded else None

    @property
    def on_time_rate(self) -> float | None:
        """Percent of resolved reports resolved on time."""
        return round(100 * self.on_time / self.resolved, 2) if self.resolved else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 2) if self.rated else None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "received": self.received,
            "resolved": self.resolved,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
            "overdue_now": self.overdue_now,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
            "returned": self.returned,
            "reopened": self.reopened,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfaction_rate": self.satisfaction_rate,
            "forwarded": self.forwarded,
            "forwarded_in_time": self.forwarded_in_time,
            "forwarded_in_time_rate": self.forwarded_in_time_rate,
        }


@dataclass
class RankRow(Row):
    rank: int | None = None
    score: float | None = None
    code: str = ""

    @property
    def timeliness(self) -> float | None:
        due = self.resolved + self.overdue_now
        return self.on_time / due if due else None

    @property
    def timeliness_rate(self) -> float | None:
        """The timeliness of the score in percent: the ranking's one "on time" figure."""
        return round(100 * self.timeliness, 2) if self.timeliness is not None else None

    def as_dict(self) -> dict:
        data = {"rank": self.rank, "score": self.score, "code": self.code, **super().as_dict()}
        data["timeliness_rate"] = self.timeliness_rate
        for key in ("forwarded", "forwarded_in_time", "forwarded_in_time_rate"):  # the 1022 centre's, not the unit's
            data.pop(key)
        return data


@dataclass
class TrendPoint:
    start: date
    received: int = 0
    resolved: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.resolved, 2) if self.resolved else None


# Database helpers -------------------------------------------------------------------------------


class Percentiles(Aggregate):
    """percentile_cont(ARRAY[fractions]) WITHIN GROUP (ORDER BY expression): several percentiles from one sort
    (PostgreSQL only); returns a list of floats in the order of `fractions`."""

    function = "percentile_cont"
    name = "Percentiles"
    template = "%(function)s(ARRAY[%(fractions)s]::double precision[]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fractions, **extra):
        from django.contrib.postgres.fields import ArrayField

        super().__init__(
            expression,
            fractions=", ".join(str(float(f)) for f in fractions),
            output_field=ArrayField(FloatField()),
            **extra,
        )


def handling_hours():
    """resolved_at − received_at in hours (PostgreSQL)."""
    return Func(
        F("resolved_at"),
        F("received_at"),
        template="EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    n = len(sorted_values)
    if not n:
        return None
    position = fraction * (n - 1)
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


Q_RESOLVED = Q(status__in=RESOLVED_STATES, resolved_at__isnull=False)
Q_ON_TIME = Q_RESOLVED & Q(due_date__isnull=False, resolved_at__date__lte=F("due_date"))


def _aggregates(today: date, with_percentiles: bool) -> dict:
    aggregates = {
        "received": Count("*"),
        "resolved": Count("received_at", filter=Q_RESOLVED),
        "on_time": Count("received_at", filter=Q_ON_TIME),
        "overdue_now": Count("received_at", filter=Q(status__in=list(states.HANDLING), due_date__lt=today)),
        "reopened": Count("received_at", filter=Q(reopen_count__gt=0)),
        "rated": Count("received_at", filter=Q(satisfied__isnull=False)),
        "satisfied": Count("received_at", filter=Q(satisfied=True)),
    }
    if with_percentiles:
        aggregates["hours"] = Percentiles(handling_hours(), (0.5, 0.9), filter=Q_RESOLVED)
    return aggregates


def _scoped(queryset, user, organisation_ids, *, field: str = "organisation"):
    """`queryset` cut to what `user` may see (accounts.access.scope_to_user: their unit's, or every unit's
    for city-wide roles and the 1022 dispatchers) and, when given, to `organisation_ids`. `field` is the
    path to the organisation ("" when the rows are organisations); user None: every organisation's."""
    if user is not None:
        queryset = access.scope_to_user(queryset, user, field=field, system=SYSTEM)
    if organisation_ids is not None:
        queryset = queryset.filter(**{f"{field}_id__in" if field else "pk__in": [int(pk) for pk in organisation_ids]})
    return queryset


def _listed_organisations(user, organisation_ids) -> set[int]:
    """The units a grouping by unit lists even when they have no report: those asked for, or the caller's
    own when they see only their unit (none to add when they see every unit)."""
    if organisation_ids is None and (user is None or access.has_city_wide_view(user, system=SYSTEM)):
        return set()
    return set(_scoped(Organisation.objects.all(), user, organisation_ids, field="").values_list("pk", flat=True))


def _grouped(base, group_field: str | None, aggregates: dict) -> dict:
    if group_field is None:
        return {None: base.aggregate(**aggregates)}
    return {
        row.pop(group_field): row
        for row in base.order_by().values(group_field).annotate(**aggregates).order_by(group_field)
    }


def _python_percentiles(base, group_field: str | None) -> dict:
    durations = defaultdict(list)
    fields = [group_field] if group_field else []
    for *key, received_at, resolved_at in (
        base.filter(Q_RESOLVED).order_by().values_list(*fields, "received_at", "resolved_at")
    ):
        durations[key[0] if key else None].append((resolved_at - received_at).total_seconds() / 3600)
    result = {}
    for key, values in durations.items():
        values.sort()
        result[key] = {"median_hours": percentile(values, 0.5), "p90_hours": percentile(values, 0.9)}
    return result


def _routing(base, group_field: str | None) -> dict:
    """Per group: reports forwarded to a unit, and those forwarded within FORWARDING_TARGET of receipt."""
    from thongsuot.feedback.escalations import FORWARDING_TARGET

    delay = ExpressionWrapper(F("forwarded_at") - F("received_at"), output_field=DurationField())
    counts = {
        "forwarded": Count("received_at"),
        "forwarded_in_time": Count("received_at", filter=Q(delay__lte=FORWARDING_TARGET)),
    }
    forwarded = base.filter(forwarded_at__isnull=False).annotate(delay=delay)
    return _grouped(forwarded, group_field, counts)


def _returned(start_at, end_at, group_by: str, user, organisation_ids) -> dict:
    """Reports returned as "not ours", by the returning unit (actor's organisation) or the report's group."""
    reports = Report.objects.filter(
        received_at__gte=start_at, received_at__lt=end_at, merged_into__isnull=True, return_count__gt=0
    ).values("pk")
    events = ReportEvent.objects.filter(action="return", report__in=reports)
    events = _scoped(events, user, organisation_ids, field="actor__organisation")
    if group_by == "organisation":
        events = events.filter(actor__organisation__isnull=False)  # a return without a known unit counts nowhere
    key = {
        "organisation": "actor__organisation_id",
        "category": "report__category_id",
        "channel": "report__channel",
        "all": None,
    }[group_by]
    if key is None:
        return {None: events.aggregate(n=Count("report_id", distinct=True))["n"]}
    return dict(events.order_by().values_list(key).annotate(n=Count("report_id", distinct=True)))


def _labels(group_by: str, keys) -> dict:
    if group_by == "organisation":
        labels = dict(Organisation.objects.filter(pk__in=[k for k in keys if k is not None]).values_list("pk", "name"))
        labels[None] = _("Not forwarded to a unit")
        return labels
    if group_by == "category":
        return dict(Category.objects.values_list("pk", "name"))
    if group_by == "channel":
        return {value: str(label) for value, label in Channel.choices}
    return {None: _("All reports")}


def period_stats(
    *,
    start: date,
    end: date,
    group_by: str = "organisation",
    user=None,
    organisation_ids=None,
    today: date | None = None,
    with_routing: bool = True,
) -> list[Row]:
    """One row per unit, category or channel ("all": one row) of the reports received start..end.

    with_routing: also count the reports forwarded within the 5-minute target (one more query).
    user: scope to what the user may see (a unit's staff: their unit; city-wide roles: everything).
    organisation_ids: only these handling units. Both None: every report (the public ranking's input).
    """
    if group_by not in GROUPS:
        raise ValidationError({"group_by": [_("Group by unit, category or channel.")]})
    group_field = GROUPS[group_by]
    start_at, end_at = bounds(start, end)
    today = today or timezone.localdate()
    base = _scoped(
        Report.objects.filter(received_at__gte=start_at, received_at__lt=end_at, merged_into__isnull=True),
        user,
        organisation_ids,
    )
    postgres = connection.vendor == "postgresql"
    grouped = _grouped(base, group_field, _aggregates(today, postgres))
    for values in grouped.values():
        median_p90 = values.pop("hours", None) or (None, None)
        values["median_hours"], values["p90_hours"] = median_p90
    if not postgres:
        for key, values in _python_percentiles(base, group_field).items():
            grouped.setdefault(key, {}).update(values)
    returned = _returned(start_at, end_at, group_by, user, organisation_ids)
    routing = _routing(base, group_field) if with_routing else {}  # the ranking needs no routing figures

    keys = set(grouped) | {k for k, n in returned.items() if n}
    if group_by == "category":
        keys |= set(Category.objects.filter(is_active=True).values_list("pk", flat=True))
    elif group_by == "channel":
        keys |= set(Channel.values)
    elif group_by == "organisation":
        keys |= _listed_organisations(user, organisation_ids)
    elif group_by == "all":
        keys = {None}
    labels = _labels(group_by, keys)
    rows = []
    for key in keys:
        values = grouped.get(key, {})
        rows.append(
            Row(
                key=key,
                label=labels.get(key, str(key)),
                received=values.get("received") or 0,
                resolved=values.get("resolved") or 0,
                on_time=values.get("on_time") or 0,
                overdue_now=values.get("overdue_now") or 0,
                returned=returned.get(key) or 0,
                reopened=values.get("reopened") or 0,
                rated=values.get("rated") or 0,
                satisfied=values.get("satisfied") or 0,
                median_hours=_round(values.get("median_hours")),
                p90_hours=_round(values.get("p90_hours")),
                forwarded=routing.get(key, {}).get("forwarded") or 0,
                forwarded_in_time=routing.get(key, {}).get("forwarded_in_time") or 0,
            )
        )
    rows.sort(key=lambda r: (r.key is None, -r.received, fold(r.label)))
    return rows


def period_total(*, start: date, end: date, user=None, organisation_ids=None, today: date | None = None) -> Row:
    return period_stats(
        start=start, end=end, group_by="all", user=user, organisation_ids=organisation_ids, today=today
    )[0]


# Ranking ----------------------------------------------------------------------------------------


def score_of(row: RankRow) -> float | None:
    timeliness = row.timeliness
    if timeliness is None:
        return None
    if row.rated:
        return round(100 * (WEIGHT_TIMELINESS * timeliness + WEIGHT_SATISFACTION * row.satisfied / row.rated), 2)
    return round(100 * timeliness, 2)


def unit_ranking(*, start: date, end: date, today: date | None = None) -> list[RankRow]:
    """All active commune-level units (168), ranked by score; units without a score come last, unranked.

    Only aggregate numbers: safe for the public page.
    """
    communes = Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True)
    units = list(communes.values_list("pk", "code", "name"))
    stats = {
        row.key: row
        for row in period_stats(
            start=start,
            end=end,
            group_by="organisation",
            organisation_ids=[pk for pk, _c, _n in units],
            today=today,
            with_routing=False,
        )
    }
    rows = []
    for pk, code, name in units:
        found = stats.get(pk)
        row = RankRow(key=pk, label=name, code=code)
        if found is not None:
            for attr in ("received", "resolved", "on_time", "overdue_now", "returned", "reopened", "rated",
                         "satisfied", "median_hours", "p90_hours"):  # fmt: skip
                setattr(row, attr, getattr(found, attr))
        row.score = score_of(row)
        rows.append(row)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.resolved, fold(r.label), r.key))
    for position, row in enumerate(rows, start=1):
        if row.score is not None:
            row.rank = position
    return rows


PUBLIC_CACHE_SECONDS = 300


def default_ranking_period(today) -> str:
    """The last complete month ("2026-11" on any day of December 2026): a month that has just begun
    would rank units on a few days' reports, most of them tied."""
    return f"{preset_period('last_month', today).start:%Y-%m}"


def public_ranking_rows(period: Period) -> list[RankRow]:
    """The ranking, cached a few minutes per period and day (the public page and its JSON must stay cheap)."""
    today = timezone.localdate()
    key = f"feedback:ranking:{period.start:%Y%m%d}:{period.end:%Y%m%d}:{today:%Y%m%d}"
    return cache.get_or_set(
        key, lambda: unit_ranking(start=period.start, end=period.end, today=today), PUBLIC_CACHE_SECONDS
    )


# Trends -----------------------------------------------------------------------------------------


def _as_day(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value, tz()).date() if timezone.is_aware(value) else value.date()
    return value


def trend(
    *, start: date, end: date, bucket: str = "day", organisation_id=None, user=None, category_id=None
) -> list[TrendPoint]:
    """Per day, ISO week (from Monday) or month: reports received, and reports resolved in the bucket with
    how many of them on time (by the day they were resolved, unlike the cohort figures of period_stats)."""
    if bucket not in BUCKETS:
        raise ValidationError({"bucket": [_("Choose day, week or month.")]})
    start_at, end_at = bounds(start, end)
    wanted = [organisation_id] if organisation_id else None
    base = _scoped(Report.objects.filter(merged_into__isnull=True), user, wanted)
    if category_id:
        base = base.filter(category_id=category_id)
    zone = tz()
    points: dict[date, TrendPoint] = {}
    day = bucket_start(start, bucket)
    while day <= end:
        points[day] = TrendPoint(day)
        day = next_bucket(day, bucket)

    received = (
        base.filter(received_at__gte=start_at, received_at__lt=end_at)
        .annotate(b=Trunc("received_at", bucket, tzinfo=zone))
        .order_by()
        .values("b")
        .annotate(n=Count("*"))
    )
    for row in received:
        point = points.get(bucket_start(_as_day(row["b"]), bucket))
        if point is not None:
            point.received += row["n"]
    resolved = (
        base.filter(Q_RESOLVED, resolved_at__gte=start_at, resolved_at__lt=end_at)
        .annotate(b=Trunc("resolved_at", bucket, tzinfo=zone))
        .order_by()
        .values("b")
        .annotate(n=Count("*"), on_time=Count("received_at", filter=Q_ON_TIME))
    )
    for row in resolved:
        point = points.get(bucket_start(_as_day(row["b"]), bucket))
        if point is not None:
            point.resolved += row["n"]
            point.on_time += row["on_time"]
    return list(points.values())
