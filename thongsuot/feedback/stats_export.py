"""XLSX and PDF exports of the 1022 statistics and of the unit ranking (the same columns as the pages).

The table PDF, the XLSX and the periods are the shared ones of thongsuot.core.reporting (DejaVu Sans, A4
landscape, "page n/N", numbers rounded as on the pages); this module declares feedback's columns and texts.
"""

from collections.abc import Callable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

from thongsuot.core.exports import xlsx_response
from thongsuot.core.reporting.pdf import PDF_MIME  # noqa: F401 - kept for callers of this module
from thongsuot.core.reporting.pdf import pdf_response as _pdf_response
from thongsuot.core.reporting.pdf import table_pdf as _table_pdf
from thongsuot.core.reporting.periods import Period, period_filename
from thongsuot.feedback.stats import RankRow, Row

SYSTEM_LABEL = "1022"


def stats_columns() -> list[tuple[str, Callable[[Row], object], float]]:
    """(heading, value, relative PDF width) of each column after the group's name."""
    return [
        (_("Received"), lambda r: r.received, 1),
        (_("Resolved"), lambda r: r.resolved, 1),
        (_("On time"), lambda r: r.on_time, 1),
        (_("On-time rate (%)"), lambda r: r.on_time_rate, 1.1),
        (_("Overdue now"), lambda r: r.overdue_now, 1),
        (_("Median handling (h)"), lambda r: r.median_hours, 1.2),
        (_("90th percentile (h)"), lambda r: r.p90_hours, 1.2),
        (_("Returned as not ours"), lambda r: r.returned, 1.1),
        (_("Reopened"), lambda r: r.reopened, 1),
        (_("Rated"), lambda r: r.rated, 0.9),
        (_("Satisfaction (%)"), lambda r: r.satisfaction_rate, 1.1),
        (_("Forwarded within 5 min (%)"), lambda r: r.forwarded_in_time_rate, 1.2),
    ]


def ranking_columns() -> list[tuple[str, Callable[[RankRow], object], float]]:
    return [
        (_("Score"), lambda r: r.score, 0.9),
        (_("Received"), lambda r: r.received, 0.9),
        (_("Resolved"), lambda r: r.resolved, 0.9),
        (_("On-time rate (%)"), lambda r: r.on_time_rate, 1.1),
        (_("Overdue now"), lambda r: r.overdue_now, 1),
        (_("Median handling (h)"), lambda r: r.median_hours, 1.1),
        (_("90th percentile (h)"), lambda r: r.p90_hours, 1.1),
        (_("Returned as not ours"), lambda r: r.returned, 1.1),
        (_("Reopened"), lambda r: r.reopened, 0.9),
        (_("Satisfaction (%)"), lambda r: r.satisfaction_rate, 1.1),
    ]


def group_heading(group_by: str) -> str:
    return {"organisation": _("Unit"), "category": _("Category"), "channel": _("Channel")}.get(group_by, "")


def period_text(period: Period) -> str:
    return _("Reports received from %(start)s to %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }


def _filename(stem: str, period: Period, extension: str) -> str:
    return period_filename(stem, period, extension)


# XLSX -------------------------------------------------------------------------------------------


def stats_xlsx(*, rows: Sequence[Row], total: Row | None, period: Period, group_by: str) -> HttpResponse:
    columns = stats_columns()
    header = [group_heading(group_by), *[title for title, _get, _w in columns]]
    body = [[row.label, *[get(row) for _t, get, _w in columns]] for row in rows]
    if total is not None:
        body.append([_("Total"), *[get(total) for _t, get, _w in columns]])
    body.append([])
    body.append([period_text(period)])
    return xlsx_response(
        filename=_filename("thong-ke-1022", period, "xlsx"), sheet=_("Statistics"), header=header, rows=body
    )


def ranking_xlsx(*, rows: Sequence[RankRow], period: Period) -> HttpResponse:
    columns = ranking_columns()
    header = [_("Rank"), _("Unit"), _("Identifier"), *[title for title, _get, _w in columns]]
    body = [[row.rank, row.label, row.code, *[get(row) for _t, get, _w in columns]] for row in rows]
    body.append([])
    body.append([period_text(period)])
    return xlsx_response(
        filename=_filename("xep-hang-1022", period, "xlsx"), sheet=_("Ranking"), header=header, rows=body
    )


# PDF --------------------------------------------------------------------------------------------


def table_pdf(
    *, title: str, lines: Sequence[str], header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float]
) -> bytes:
    """The shared table PDF with 1022 in its footer."""
    return _table_pdf(title=title, lines=lines, header=header, rows=rows, widths=widths, system=SYSTEM_LABEL)


def stats_pdf(*, rows: Sequence[Row], total: Row | None, period: Period, group_by: str, scope: str = "") -> bytes:
    columns = stats_columns()
    header = [group_heading(group_by), *[title for title, _get, _w in columns]]
    body = [[row.label, *[get(row) for _t, get, _w in columns]] for row in rows]
    if total is not None:
        body.append([_("Total"), *[get(total) for _t, get, _w in columns]])
    lines = [period_text(period), *([scope] if scope else []), definitions_note()]
    return table_pdf(
        title=_("1022 feedback statistics"),
        lines=lines,
        header=header,
        rows=body,
        widths=[3.2, *[w for _t, _g, w in columns]],
    )


def ranking_pdf(*, rows: Sequence[RankRow], period: Period) -> bytes:
    columns = ranking_columns()
    header = [_("Unit"), _("Rank"), *[title for title, _get, _w in columns]]
    body = [[row.label, row.rank if row.rank else "—", *[get(row) for _t, get, _w in columns]] for row in rows]
    return table_pdf(
        title=_("Ranking of the commune-level units in handling 1022 reports"),
        lines=[period_text(period), score_note()],
        header=header,
        rows=body,
        widths=[3.2, 0.6, *[w for _t, _g, w in columns]],
    )


def pdf_response(content: bytes, *, stem: str, period: Period) -> HttpResponse:
    return _pdf_response(content, filename=_filename(stem, period, "pdf"))


def definitions_note(*, routing: bool = True) -> str:
    """The definitions under a table; routing=False for the ranking, which has no routing column."""
    note = _(
        "Reports received in the period (Vietnam time), duplicates merged into another report left out. "
        "On-time rate: resolved on or before the due date ÷ resolved. Handling time: from receipt to "
        "resolution in calendar hours. Satisfaction: satisfied ÷ rated."
    )
    if routing:
        note += " " + _(
            "Forwarded within 5 min: reports the 1022 dispatchers forwarded to a unit within 5 minutes of "
            "receipt ÷ reports forwarded."
        )
    return note


def score_note() -> str:
    return _(
        "Score = 100 × (0.7 × timeliness + 0.3 × satisfaction), or 100 × timeliness when no report was rated; "
        "timeliness = resolved on time ÷ (resolved + overdue now), satisfaction = satisfied ÷ rated. "
        "Ties: more resolved reports first, then the unit's name."
    )
