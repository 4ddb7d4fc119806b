"""XLSX and PDF exports of the 1022 statistics and of the unit ranking (the same columns as the pages).

PDFs: fpdf2 with Debian's DejaVu Sans (it has every Vietnamese glyph), A4 landscape, a title, the period,
the time generated, and "page n/N" at the foot of every page; the table's heading repeats on each page.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from thongsuot.core.exports import xlsx_response
from thongsuot.feedback.stats import Period, RankRow, Row

FONT_DIR = Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
PDF_MIME = "application/pdf"


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return formats.number_format(value, 0, force_grouping=True)
    return formats.number_format(value, digits, force_grouping=True)


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
    return f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


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


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 8, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 8, _("Page %(n)s/%(total)s") % {"n": self.page_no(), "total": "{nb}"}, align="R")


def table_pdf(
    *, title: str, lines: Sequence[str], header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float]
) -> bytes:
    """An A4 landscape document: title, a few lines of context, and a table over as many pages as needed."""
    pdf = _ReportPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Thông Suốt")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    generated = timezone.localtime()
    pdf.footer_text = _("Thông Suốt · 1022 · generated %(at)s") % {"at": f"{generated:%d/%m/%Y %H:%M}"}
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    for line in [*lines, _("Generated at %(at)s") % {"at": f"{generated:%d/%m/%Y %H:%M}"}]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=7.5)
    text_align = ["LEFT"] + ["RIGHT"] * (len(header) - 1)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(text_align),
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 238, 242)),
        line_height=4.2,
        repeat_headings=1,
    ) as table:
        heading = table.row()
        for title_cell in header:
            heading.cell(str(title_cell))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value if isinstance(value, str) else _number(value))
    return bytes(pdf.output())


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
    response = HttpResponse(content, content_type=PDF_MIME)
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, period, "pdf")}"'
    return response


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
