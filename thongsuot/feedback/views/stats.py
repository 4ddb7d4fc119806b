"""Statistics pages: the staff figures (scoped to what the user may see) with a trend chart and exports,
and the public ranking of the 168 commune-level units (aggregate numbers only, no login)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thongsuot.accounts import access
from thongsuot.accounts.decorators import staff_required
from thongsuot.core.reporting import periods
from thongsuot.core.reporting.chart import trend_chart
from thongsuot.feedback import SYSTEM, stats, stats_export

GROUP_CHOICES = [
    ("organisation", gettext_lazy("Unit")),
    ("category", gettext_lazy("Category")),
    ("channel", gettext_lazy("Channel")),
]
PRESET_CHOICES = [
    ("", gettext_lazy("Custom period")),
    ("this_month", gettext_lazy("This month")),
    ("last_month", gettext_lazy("Last month")),
    ("this_quarter", gettext_lazy("This quarter")),
    ("this_year", gettext_lazy("This year")),
]


class PeriodForm(forms.Form):
    preset = forms.ChoiceField(label=gettext_lazy("Period"), choices=PRESET_CHOICES, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    end = forms.DateField(label=gettext_lazy("To"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GROUP_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset:
            period = periods.preset_period(preset)
        elif data.get("start") and data.get("end"):
            period = periods.Period(data["start"], data["end"], kind="custom")
        elif data.get("start") or data.get("end"):
            raise ValidationError(_("Give both the start and the end of the period (dd/mm/yyyy)."))
        else:
            period = periods.preset_period("this_month")
        try:
            periods.bounds(period.start, period.end)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        data["period"] = period
        data["group_by"] = data.get("group_by") or "organisation"
        return data


def _period_form(request) -> tuple[PeriodForm, periods.Period | None, str]:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        form = PeriodForm({"preset": "this_month", "group_by": "organisation"})
    if form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["group_by"]
    return form, None, "organisation"


def _scope_label(user) -> str:
    if access.has_city_wide_view(user, system=SYSTEM):
        return _("All units of the city")
    return getattr(user.organisation, "name", "") or ""


@staff_required
def stats_page(request):
    form, period, group_by = _period_form(request)
    context = {"form": form, "period": period, "group_by": group_by, "scope": _scope_label(request.user)}
    if period is not None:
        bucket = periods.auto_bucket(period.start, period.end)
        # The trend stops at today: the rest of the current month would read as days with no report.
        trend_end = max(period.start, min(period.end, timezone.localdate()))
        points = stats.trend(start=period.start, end=trend_end, bucket=bucket, user=request.user)
        context.update(
            rows=stats.period_stats(start=period.start, end=period.end, group_by=group_by, user=request.user),
            total=stats.period_total(start=period.start, end=period.end, user=request.user),
            bucket=bucket,
            points=points,
            chart=trend_chart(points, bucket),
            query=request.GET.urlencode(),
            group_heading=stats_export.group_heading(group_by),
            definitions=stats_export.definitions_note(),
        )
    template = "feedback/stats/_results.html" if request.htmx else "feedback/stats/staff.html"
    # htmx swaps only successful responses: the errors come back as a 200 fragment
    return render(request, template, context, status=200 if period is not None or request.htmx else 400)


def _export_data(request):
    form, period, group_by = _period_form(request)
    if period is None:
        raise ValidationError(form.errors)
    rows = stats.period_stats(start=period.start, end=period.end, group_by=group_by, user=request.user)
    total = stats.period_total(start=period.start, end=period.end, user=request.user)
    return period, group_by, rows, total


@staff_required
def stats_xlsx(request):
    try:
        period, group_by, rows, total = _export_data(request)
    except ValidationError:
        return _bad_period(request)
    return stats_export.stats_xlsx(rows=rows, total=total, period=period, group_by=group_by)


@staff_required
def stats_pdf(request):
    try:
        period, group_by, rows, total = _export_data(request)
    except ValidationError:
        return _bad_period(request)
    content = stats_export.stats_pdf(
        rows=rows, total=total, period=period, group_by=group_by, scope=_scope_label(request.user)
    )
    return stats_export.pdf_response(content, stem="thong-ke-1022", period=period)


def _bad_period(request):
    form, _period, _group = _period_form(request)
    return render(request, "feedback/stats/staff.html", {"form": form, "period": None}, status=400)


# Public -----------------------------------------------------------------------------------------


def period_options(today: date | None = None) -> list[tuple[str, str]]:
    """The periods the public page offers: the last 12 months, the last 4 quarters, the last 3 years."""
    today = today or timezone.localdate()
    options = []
    year, month = today.year, today.month
    for _i in range(12):
        options.append((f"{year}-{month:02d}", _("Month %(m)02d/%(y)s") % {"m": month, "y": year}))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _i in range(4):
        options.append((f"{year}-Q{quarter}", _("Quarter %(q)s/%(y)s") % {"q": quarter, "y": year}))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    for offset in range(3):
        options.append((str(today.year - offset), _("Year %(y)s") % {"y": today.year - offset}))
    return options


def public_ranking(request):
    today = timezone.localdate()
    chosen = request.GET.get("period") or stats.default_ranking_period(today)
    status = 200
    try:
        period = periods.parse_period(chosen, kinds=stats.RANKING_PERIODS)
    except ValidationError:
        chosen, status = stats.default_ranking_period(today), 400
        period = periods.parse_period(chosen)
    rows = stats.public_ranking_rows(period)
    context = {
        "rows": rows,
        "period": period,
        "chosen": chosen,
        "options": period_options(today),
        "ranked": sum(1 for r in rows if r.rank),
        "score_note": stats_export.score_note(),
        # One definition of "on time" on this page: the timeliness of the score (see the template).
        "definitions": _(
            "Reports received in the period (Vietnam time), duplicates merged into another report left out. "
            "Handling time: from receipt to resolution in calendar hours."
        ),
        "weight_t": int(stats.WEIGHT_TIMELINESS * 100),
        "weight_s": int(stats.WEIGHT_SATISFACTION * 100),
    }
    return render(request, "feedback/stats/ranking.html", context, status=status)
