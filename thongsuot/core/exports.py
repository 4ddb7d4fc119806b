"""Spreadsheet export shared by every report."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(*, filename: str, sheet: str, header: list[str], rows) -> HttpResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for title in header:
        cell = WriteOnlyCell(worksheet, value=str(title))
        cell.font = bold
        cells.append(cell)
    worksheet.append(cells)
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
