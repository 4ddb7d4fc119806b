"""Table PDFs with Vietnamese text: fpdf2 with Debian's DejaVu Sans (fonts-dejavu-core has every Vietnamese
glyph), A4 landscape, a title, a few lines of context, the time generated, "page n/N" at the foot of every
page and the table's heading repeated on each page.

Numbers are written as the pages write them (`floatformat`): rounded half up, not truncated, with the
active language's separators (14,75 → "14,8" in Vietnamese).
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

PDF_MIME = "application/pdf"
EMPTY = "—"


def font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


def format_number(value, digits: int = 1) -> str:
    """An integer with thousands grouped, any other number rounded half up to `digits` places (as the
    `floatformat` filter of the pages), None as a dash."""
    if value is None:
        return EMPTY
    if isinstance(value, int):
        return formats.number_format(value, 0, force_grouping=True)
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, digits, force_grouping=True)


def format_cell(value, digits: int = 1) -> str:
    return value if isinstance(value, str) else format_number(value, digits)


class _TablePDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.cell(0, 8, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 8, _("Page %(n)s/%(total)s") % {"n": self.page_no(), "total": "{nb}"}, align="R")


def table_pdf(
    *,
    title: str,
    lines: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
    system: str,
    digits: int = 1,
    align: Sequence[str] | None = None,
) -> bytes:
    """An A4 landscape document: title, a few lines of context, and a table over as many pages as needed.
    The first column is text (left-aligned), the others numbers (right-aligned; strings kept as given),
    unless `align` gives each column's alignment ("LEFT", "RIGHT", "CENTER").
    `system` names the system in the footer ("1022")."""
    pdf = _TablePDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Thông Suốt")
    pdf.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
    generated = timezone.localtime()
    pdf.footer_text = _("Thông Suốt · %(system)s · generated %(at)s") % {
        "system": system,
        "at": f"{generated:%d/%m/%Y %H:%M}",
    }
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=9)
    for line in [*lines, _("Generated at %(at)s") % {"at": f"{generated:%d/%m/%Y %H:%M}"}]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", size=7.5)
    text_align = list(align) if align else ["LEFT"] + ["RIGHT"] * (len(header) - 1)
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
                row.cell(format_cell(value, digits))
    return bytes(pdf.output())


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
