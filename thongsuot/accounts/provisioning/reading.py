"""Read a staff list (CSV or XLSX) into plain rows, whatever encoding Excel saved it in."""

import codecs
import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from thongsuot.core.text import fold, normalise_space

MAX_ROWS = 50_000

# Column name (folded, without accents) -> field.
HEADERS = {
    "ho ten": "full_name",
    "ho va ten": "full_name",
    "full name": "full_name",
    "name": "full_name",
    "email": "email",
    "e-mail": "email",
    "thu dien tu": "email",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "sdt": "phone",
    "phone": "phone",
    "chuc vu": "position",
    "position": "position",
    "vai tro": "roles",
    "role": "roles",
    "roles": "roles",
    "don vi": "unit",
    "unit": "unit",
    "ma don vi": "unit",
}
REQUIRED = ("full_name", "email", "roles", "unit")


class StaffListError(ValueError):
    """The file is not a staff list we can read; nothing was written."""


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1258 writes many Vietnamese letters as a base letter plus a combining mark.
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        raise StaffListError(_("The file's text encoding is not recognised (use UTF-8 or Excel's CSV).")) from None


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise StaffListError(_("The file is not a CSV or XLSX staff list."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise StaffListError(_("The Excel file cannot be opened.")) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v) for v in values])
    workbook.close()
    return rows


def read_staff_list(data: bytes, filename: str) -> list[dict]:
    """Rows as dicts with the fields of HEADERS and `line` (the line number in the file)."""
    if not data:
        raise StaffListError(_("The file is empty."))
    is_xlsx = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise StaffListError(_("The file is named .xlsx but is not an Excel workbook."))
    raw_rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    raw_rows = [r for r in raw_rows if any(cell.strip() for cell in r)]
    if not raw_rows:
        raise StaffListError(_("The file has no rows."))
    header = [HEADERS.get(fold(cell).strip(" :*"), None) for cell in raw_rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        labels = {"full_name": "Họ tên", "email": "Email", "roles": "Vai trò", "unit": "Đơn vị"}
        raise StaffListError(
            _("This is not a staff list: missing column(s) %(columns)s.")
            % {"columns": ", ".join(labels[m] for m in missing)}
        )
    if len(raw_rows) - 1 > MAX_ROWS:
        raise StaffListError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    rows = []
    for index, raw in enumerate(raw_rows[1:], start=2):
        row = {"line": index}
        for position, field in enumerate(header):
            if field and position < len(raw):
                row[field] = normalise_space(raw[position])
        rows.append(row)
    return rows
