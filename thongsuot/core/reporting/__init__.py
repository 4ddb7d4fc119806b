"""Statistics building blocks every system shares: periods in the city's time (`periods`), the table PDF
with Vietnamese fonts (`pdf`), the trend chart's coordinates (`chart`) and, in `thongsuot.core.exports`,
the XLSX (and CSV) exports whose text cells can never run as formulas.

A system keeps its own figures (what it counts) and declares its columns; see
docs/architecture-blocks.md."""

from thongsuot.core.exports import csv_response, xlsx_response
from thongsuot.core.reporting.chart import trend_chart
from thongsuot.core.reporting.pdf import format_number, pdf_response, table_pdf
from thongsuot.core.reporting.periods import Period, bounds, parse_period, preset_period

__all__ = [
    "Period",
    "bounds",
    "csv_response",
    "format_number",
    "parse_period",
    "pdf_response",
    "preset_period",
    "table_pdf",
    "trend_chart",
    "xlsx_response",
]
