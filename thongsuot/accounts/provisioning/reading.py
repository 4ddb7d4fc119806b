"""Read a staff list (CSV or XLSX) into plain rows, whatever encoding Excel saved it in."""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from thongsuot.core.cleaning import clean_text
from thongsuot.core.text import fold

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


# Bounds of what is read, so a hostile or broken file costs at most a second and a few MB: the file's size
# (the platform's upload limit), its rows (the header search and MAX_ROWS), a cell's length, and an XLSX's
# declared uncompressed size (checked from the zip's directory before the workbook is opened).
HEADER_SEARCH_ROWS = 10
MAX_CELL = 1000
CHUNK = 1024 * 1024
XLSX_MAX_UNCOMPRESSED = 64 * 1024 * 1024


def max_bytes() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _too_large() -> StaffListError:
    limit = max_bytes() / (1024 * 1024)
    return StaffListError(_("The file is larger than %(n)s MB.") % {"n": f"{limit:g}"})


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused without reading it when it is over the upload limit."""
    if upload.size is not None and upload.size > max_bytes():
        raise _too_large()
    chunks, size = [], 0
    for chunk in iter(lambda: upload.read(CHUNK), b""):  # never a buffer of the whole limit up front
        size += len(chunk)
        if size > max_bytes():
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


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


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = _decode(data)
    except UnicodeError:  # a UTF-16 mark before bytes that are not UTF-16
        raise StaffListError(_("The file's text encoding is not recognised (use UTF-8 or Excel's CSV).")) from None
    if "\x00" in text:
        raise StaffListError(_("The file is not a CSV or XLSX staff list."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    line = 0
    while True:
        try:
            row = next(reader)
            line += 1  # records, as a spreadsheet numbers its rows (a quoted cell may span lines)
        except StopIteration:
            return
        except csv.Error:  # a cell past csv's own limit, or broken quoting
            message = _("Row %(line)d cannot be read: a cell is too long or its quotes are broken.")
            raise StaffListError(message % {"line": reader.line_num}) from None
        yield line, row


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, streamed from its XML (blank and missing rows included, so positions are
    the spreadsheet's row numbers). openpyxl is not used to read: without a <dimension> element it parses
    the whole sheet before the first row (44 s for a million rows)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise StaffListError(_("The Excel file cannot be opened.")) from None
    if declared > XLSX_MAX_UNCOMPRESSED:  # a zip bomb: a small file that unpacks to gigabytes
        raise StaffListError(
            _("The Excel file unpacks to more than %(n)d MB; a staff list is much smaller.")
            % {"n": XLSX_MAX_UNCOMPRESSED // (1024 * 1024)}
        )
    try:
        with archive:
            sheet = _first_sheet(archive)
            if _row_elements(archive, sheet) > 2 * MAX_ROWS:  # refused before anything is parsed
                raise StaffListError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            strings = _shared_strings(archive)
            with archive.open(sheet) as source:
                yield from _sheet_rows(source, strings)
    except StaffListError:
        raise
    except (KeyError, IndexError, ValueError, OSError, zipfile.BadZipFile, etree.LxmlError):
        raise StaffListError(_("The Excel file cannot be opened.")) from None


def _row_elements(archive, sheet: str) -> int:
    """About how many rows the sheet holds, counted in its unpacked bytes without parsing them (a million rows
    in a tenth of a second): a row split between two chunks may be missed or counted twice, so the caller
    compares with a wide margin."""
    count = 0
    with archive.open(sheet) as source:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            count += chunk.count(b"<row") + chunk.count(b":row ")  # <row …> and a prefixed <x:row …>
    return count


def _first_sheet(archive) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    workbook = etree.fromstring(archive.read("xl/workbook.xml"), parser)
    relationship = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet").get(_RELATIONSHIP)
    relationships = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
    target = next(r.get("Target") for r in relationships if r.get("Id") == relationship)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _parse(source, tag: str):
    """The `tag` elements of an XML stream, each removed once the caller is done with it (lxml: a million
    rows parsed in C, and memory bounded by one row; no entities resolved, nothing fetched)."""
    for _event, element in etree.iterparse(
        source, events=("end",), tag=tag, resolve_entities=False, no_network=True, huge_tree=False
    ):
        yield element
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]


def _shared_strings(archive) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    with archive.open("xl/sharedStrings.xml") as source:
        return ["".join(element.itertext(f"{_MAIN}t")) for element in _parse(source, f"{_MAIN}si")]


def _column(reference: str | None, default: int) -> int:
    match = _CELL_REF.match(reference or "")
    if match is None:
        return default
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number - 1


def _sheet_rows(source, strings: list[str]) -> Iterator[tuple[int, list[str]]]:
    line = 0
    cell_tag, value_tag, text_tag = f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}t"
    for row in _parse(source, f"{_MAIN}row"):
        cells: dict[int, str] = {}
        for cell in row.iterchildren(cell_tag):
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value = "".join(cell.itertext(text_tag))
            else:
                value = cell.findtext(value_tag) or ""
                if kind == "s" and value:
                    value = strings[int(value)]
                elif kind == "b":
                    value = "TRUE" if value == "1" else "FALSE"
            cells[_column(cell.get("r"), len(cells))] = value
        line = max(line + 1, int(row.get("r") or 0))  # rows the file leaves out are blank rows
        width = max(cells, default=-1) + 1
        yield line, [cells.get(index, "") for index in range(width)]


def _header(cells: list[str]) -> list[str | None]:
    return [HEADERS.get(fold(cell[:100]).strip(" :*"), None) for cell in cells]


def read_staff_list(data: bytes, filename: str) -> list[dict]:
    """Rows as dicts with the fields of HEADERS and `line` (the row's number in the spreadsheet, blank and
    missing rows counted). The header is the first of the first HEADER_SEARCH_ROWS rows naming every required column
    (real lists start with a title). Refuses, with StaffListError, a file over the upload limit, more than
    MAX_ROWS rows, a cell over MAX_CELL characters, and an XLSX that unpacks to too much."""
    if not data:
        raise StaffListError(_("The file is empty."))
    if len(data) > max_bytes():
        raise _too_large()
    is_xlsx = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise StaffListError(_("The file is named .xlsx but is not an Excel workbook."))
    raw_rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    header: list[str | None] | None = None
    best_line, best_found = 0, 0  # the row naming most required columns, for the error
    rows: list[dict] = []
    for line, raw in raw_rows:
        if header is None:
            if line > HEADER_SEARCH_ROWS:
                break
            found = _header(raw)
            count = sum(name in found for name in REQUIRED)
            if count == len(REQUIRED):
                header = found
            elif count > best_found:
                best_line, best_found, best_header = line, count, found
            continue
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) >= MAX_ROWS:
            raise StaffListError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
        row = {"line": line}
        for position, field in enumerate(header):
            if field and position < len(raw):
                if len(raw[position]) > MAX_CELL:
                    raise StaffListError(
                        _("Row %(line)d: a cell is longer than %(n)d characters.") % {"line": line, "n": MAX_CELL}
                    )
                row[field] = clean_text(raw[position])
        rows.append(row)
    if header is None:
        _no_header(best_line, best_header if best_line else [])
    if not rows:
        raise StaffListError(_("The file has no rows."))
    return rows


_LABELS = {"full_name": "Họ tên", "email": "Email", "roles": "Vai trò", "unit": "Đơn vị"}


def _no_header(line: int, found: list[str | None]) -> None:
    if not line:
        raise StaffListError(
            _("This is not a staff list: no row among the first %(n)d names the columns %(columns)s.")
            % {"n": HEADER_SEARCH_ROWS, "columns": ", ".join(_LABELS[name] for name in REQUIRED)}
        )
    missing = ", ".join(_LABELS[name] for name in REQUIRED if name not in found)
    raise StaffListError(
        _("This is not a staff list: the header (row %(line)d) is missing column(s) %(columns)s.")
        % {"line": line, "columns": missing}
    )
