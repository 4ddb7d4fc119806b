"""Read a catalogue workbook (XLSX) into plain rows keyed by field, and plan what applying it would do:
each row is to create, update, leave unchanged, or an error with its reasons."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thongsuot.core.text import fold
from thongsuot.procedures import catalogue
from thongsuot.procedures.models import Procedure

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # a catalogue of 2,242 procedures unpacks to a few MB
MAX_ROWS = 5_000


def read_workbook(data: bytes) -> list[tuple[int, dict]]:
    """(row number, values keyed by field) for every non-blank row of the first sheet."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // (1024 * 1024)}]})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise ValidationError({"file": [_("The Excel file unpacks to more than 100 MB.")]})
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
    except ValidationError:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": [_("The Excel file cannot be opened.")]}) from None
    if not header:
        raise ValidationError({"file": [_("The workbook is empty.")]})
    fields = [catalogue.HEADER_TO_FIELD.get(fold(str(cell or ""))) for cell in header]
    missing = [head for head, name in catalogue.COLUMNS[:1] if name not in fields]
    if missing:
        raise ValidationError(
            {"file": [_("The first row must name the columns; “%(column)s” is missing.") % {"column": missing[0]}]}
        )
    result = []
    for number, row in enumerate(rows, start=2):
        if all(cell in (None, "") for cell in row):
            continue
        if len(result) >= MAX_ROWS:
            raise ValidationError({"file": [_("At most %(n)s procedures in one file.") % {"n": MAX_ROWS}]})
        values = {name: cell for name, cell in zip(fields, row, strict=False) if name}
        result.append((number, values))
    workbook.close()
    return result


def plan(rows: list[tuple[int, dict]]) -> list[dict]:
    """What applying `rows` would do, row by row. A column missing from the file keeps the stored value."""
    codes = [str(values.get("code") or "").strip() for _line, values in rows]
    existing = {procedure.code: procedure for procedure in Procedure.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    planned = []
    for line, values in rows:
        code = str(values.get("code") or "").strip()
        stored = existing.get(code)
        merged = catalogue.record_of(stored) | values if stored else values
        record, errors = catalogue.clean_record(merged)
        if code and code in seen:
            errors = [*errors, _("Mã thủ tục: the code is already on row %(line)s.") % {"line": seen[code]}]
            record = None
        seen.setdefault(code, line)
        row = {"line": line, "code": code, "name": str(values.get("name") or (stored.name if stored else ""))}
        if errors:
            planned.append(row | {"action": "error", "errors": errors, "record": None, "changes": []})
            continue
        if stored is None:
            planned.append(row | {"action": "create", "errors": [], "record": record, "changes": []})
            continue
        before = catalogue.record_of(stored)
        changes = [header for header, name in catalogue.COLUMNS if before[name] != record[name]]
        action = "update" if changes else "unchanged"
        planned.append(row | {"action": action, "errors": [], "record": record, "changes": changes})
    return planned


def summary(rows: list[dict]) -> dict:
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row["action"]] += 1
    return counts
