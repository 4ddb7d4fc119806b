"""JSON statistics of the 1022 feedback system: staff figures and trend (scoped to what the caller may
see) and the public ranking of the 168 commune-level units (auth=None, aggregate numbers only).

Definitions: thongsuot.feedback.stats."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from thongsuot.accounts import access
from thongsuot.core.reporting import periods
from thongsuot.feedback import SYSTEM, stats, stats_export

router = Router(tags=["feedback statistics"])


class RowOut(Schema):
    key: int | str | None
    label: str
    received: int
    resolved: int
    on_time: int
    on_time_rate: float | None
    overdue_now: int
    median_hours: float | None
    p90_hours: float | None
    returned: int
    reopened: int
    rated: int
    satisfied: int
    satisfaction_rate: float | None


class StatsOut(Schema):
    start: date
    end: date
    group_by: str
    rows: list[RowOut]
    total: RowOut


class TrendPointOut(Schema):
    start: date
    received: int
    resolved: int
    on_time: int
    on_time_rate: float | None


class TrendOut(Schema):
    start: date
    end: date
    bucket: str
    points: list[TrendPointOut]


class RankOut(RowOut):
    rank: int | None
    score: float | None
    code: str
    timeliness_rate: float | None  # on time ÷ (resolved + overdue now), in %: the score's timeliness


class RankingOut(Schema):
    period: str
    start: date
    end: date
    formula: str
    units: int
    rows: list[RankOut]


def _staff(request):
    user = request.auth
    if getattr(user, "kind", None) != "staff":
        raise PermissionDenied(_("Statistics are for staff."))
    return user


def _organisations(user, organisation_id: int | None):
    if organisation_id is None:
        return None
    access.require_view(user, organisation_id, system=SYSTEM)
    return [organisation_id]


@router.get("/", response=StatsOut, url_name="feedback_stats")
def period_stats(request, start: date, end: date, group_by: str = "organisation", organisation_id: int | None = None):
    """Figures of the reports received start..end (both included, Vietnam time) per unit, category or channel."""
    user = _staff(request)
    organisations = _organisations(user, organisation_id)
    if group_by not in ("organisation", "category", "channel"):
        raise ValidationError({"group_by": [_("Group by unit, category or channel.")]})
    rows = stats.period_stats(start=start, end=end, group_by=group_by, user=user, organisation_ids=organisations)
    total = stats.period_total(start=start, end=end, user=user, organisation_ids=organisations)
    return {
        "start": start,
        "end": end,
        "group_by": group_by,
        "rows": [r.as_dict() for r in rows],
        "total": total.as_dict(),
    }


@router.get("/trend", response=TrendOut, url_name="feedback_trend")
def trend(request, start: date, end: date, bucket: str = "", organisation_id: int | None = None):
    """Received, resolved and on time per day, week or month (default: by the period's length)."""
    user = _staff(request)
    _organisations(user, organisation_id)
    bucket = bucket or periods.auto_bucket(start, end)
    points = stats.trend(start=start, end=end, bucket=bucket, organisation_id=organisation_id, user=user)
    return {
        "start": start,
        "end": end,
        "bucket": bucket,
        "points": [
            {"start": p.start, "received": p.received, "resolved": p.resolved, "on_time": p.on_time,
             "on_time_rate": p.on_time_rate}
            for p in points
        ],
    }  # fmt: skip


@router.get("/ranking", response=RankingOut, auth=None, url_name="feedback_ranking")
def ranking(request, period: str = ""):
    """Public: the 168 commune-level units ranked for a month ("2025-09"), quarter ("2025-Q3") or year
    ("2025"); default the last complete month."""
    period = period or stats.default_ranking_period(timezone.localdate())
    chosen = periods.parse_period(period, kinds=stats.RANKING_PERIODS)
    rows = stats.public_ranking_rows(chosen)
    return {
        "period": period,
        "start": chosen.start,
        "end": chosen.end,
        "formula": stats_export.score_note(),
        "units": len(rows),
        "rows": [r.as_dict() for r in rows],
    }
