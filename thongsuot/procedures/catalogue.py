"""One shape for a procedure everywhere: the data file, the XLSX workbook, the import preview and the
database all go through `clean_record`, which returns the record as the model stores it, or the list
of what is wrong with it (each message naming the column).

In the workbook, the required documents and the steps are one line each inside their cell:
    documents:  Tờ khai đăng ký khai sinh | Bản chính | 1 | Bắt buộc | https://…/to-khai.docx
    steps:      Tiếp nhận, kiểm tra hồ sơ | UBND cấp xã | Công chức Bộ phận Một cửa | 10
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thongsuot.core.cleaning import clean_text
from thongsuot.core.text import fold, normalise_space
from thongsuot.procedures.models import Procedure, code_validator

# The kinds of body and the roles that perform a step (code -> the label used in the workbook).
BODY_KINDS = {
    "commune": "UBND cấp xã",
    "commune_police": "Công an cấp xã",
    "city_department": "Sở, ngành thành phố",
    "other": "Cơ quan khác",
}
STEP_ROLES = {
    "one_stop_officer": "Công chức Bộ phận Một cửa",
    "specialist": "Công chức chuyên môn",
    "leader": "Lãnh đạo",
    "clerk": "Văn thư",
}
LEVELS = {"commune": "Cấp xã", "city": "Cấp thành phố"}
TIME_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}
ONLINE = {"full": "Toàn trình", "partial": "Một phần", "none": "Không"}

# Workbook columns: header -> field.
COLUMNS = [
    ("Mã thủ tục", "code"),
    ("Tên thủ tục", "name"),
    ("Lĩnh vực", "field"),
    ("Cấp thực hiện", "level"),
    ("Thời hạn giải quyết", "time_amount"),
    ("Đơn vị thời hạn", "time_unit"),
    ("Thời hạn như công bố", "time_note"),
    ("Lệ phí (đồng)", "fee"),
    ("Phí, lệ phí như công bố", "fee_note"),
    ("Thành phần hồ sơ", "documents"),
    ("Căn cứ pháp lý", "legal_basis"),
    ("Kết quả", "result"),
    ("Quy trình", "steps"),
    ("Phi địa giới", "regardless_of_residence"),
    ("Dịch vụ công trực tuyến", "online"),
    ("Giờ tiếp nhận cuối", "cutoff_hour"),
    ("Còn hiệu lực", "active"),
]
FIELDS = [name for _header, name in COLUMNS]
HEADER_TO_FIELD = {fold(header): name for header, name in COLUMNS} | {name: name for name in FIELDS}
TEXT_LIMITS = {"name": 500, "field": 200, "time_note": 500, "fee_note": 500, "result": 500, "legal_basis": 5000}
YES = {"co", "x", "yes", "true", "1"}
NO = {"khong", "no", "false", "0", ""}


def _choice(value, options: dict, column: str) -> str:
    """A code of `options` from its code or its label, accents and case ignored."""
    folded = fold(str(value or ""))
    for code, label in options.items():
        if folded in (code, fold(label), fold(code.replace("_", " "))):
            return code
    allowed = ", ".join(options.values())
    raise ValidationError(
        _("%(column)s: “%(value)s” is not one of: %(allowed)s.")
        % {"column": column, "value": value, "allowed": allowed}
    )


def _bool(value, column: str) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(str(value if value is not None else ""))
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValidationError(_("%(column)s: write Có or Không.") % {"column": column})


def _number(value, column: str, *, integer: bool) -> decimal.Decimal | int:
    text = str(value if value is not None else "").strip().replace(" ", "")
    if integer:
        text = text.replace(".", "").replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValidationError(_("%(column)s: “%(value)s” is not a number.") % {"column": column, "value": value})
    if number < 0 or not number.is_finite():
        raise ValidationError(_("%(column)s: the number cannot be negative.") % {"column": column})
    if integer:
        if number != number.to_integral_value():
            raise ValidationError(_("%(column)s: write a whole number.") % {"column": column})
        return int(number)
    return number.quantize(decimal.Decimal("0.1"))


def _hour(value, column: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    text = str(value).strip().lower().replace("h", ":").replace("giờ", ":").replace(" ", "")
    if text.endswith(":"):
        text += "00"
    try:
        return datetime.datetime.strptime(text, "%H:%M").time().strftime("%H:%M")
    except ValueError:
        raise ValidationError(_("%(column)s: write an hour such as 15:00.") % {"column": column})


def _lines(value) -> list[str]:
    if isinstance(value, list):
        return value
    return [line for line in (normalise_space(part) for part in str(value or "").splitlines()) if line]


def _documents(value, column: str) -> list[dict]:
    documents = []
    for number, line in enumerate(_lines(value), start=1):
        if isinstance(line, dict):
            parts = [
                line.get("name"),
                "original" if line.get("original") else "copy",
                line.get("count", 1),
                line.get("mandatory", True),
                line.get("form", ""),
            ]
        else:
            parts = [normalise_space(part) for part in line.split("|")]
        where = _("%(column)s, line %(line)s") % {"column": column, "line": number}
        if len(parts) < 4 or not parts[0]:
            raise ValidationError(
                _("%(where)s: write “name | Bản chính or Bản sao | count | Bắt buộc or Không bắt buộc”.")
                % {"where": where}
            )
        kind = fold(str(parts[1]))
        if kind not in ("ban chinh", "original", "ban sao", "copy"):
            raise ValidationError(_("%(where)s: write Bản chính or Bản sao.") % {"where": where})
        mandatory = parts[3] if isinstance(parts[3], bool) else fold(str(parts[3]))
        if mandatory not in (True, False, "bat buoc", "khong bat buoc", "mandatory", "optional"):
            raise ValidationError(_("%(where)s: write Bắt buộc or Không bắt buộc.") % {"where": where})
        count = _number(parts[2], where, integer=True)
        if count < 1:
            raise ValidationError(_("%(where)s: at least one copy.") % {"where": where})
        form = str(parts[4] or "").strip() if len(parts) > 4 else ""
        if form and not form.startswith(("https://", "http://")):
            raise ValidationError(_("%(where)s: the form is a link starting with https://.") % {"where": where})
        documents.append(
            {
                "name": clean_text(str(parts[0]))[:500],
                "original": kind in ("ban chinh", "original"),
                "count": count,
                "mandatory": mandatory in (True, "bat buoc", "mandatory"),
                "form": form[:500],
            }
        )
    return documents


def _steps(value, column: str) -> list[dict]:
    steps = []
    for number, line in enumerate(_lines(value), start=1):
        if isinstance(line, dict):
            parts = [line.get("name"), line.get("body"), line.get("role"), line.get("share")]
        else:
            parts = [normalise_space(part).rstrip("%") for part in line.split("|")]
        where = _("%(column)s, line %(line)s") % {"column": column, "line": number}
        if len(parts) != 4 or not parts[0]:
            raise ValidationError(
                _("%(where)s: write “name | kind of body | role | share of the time in %%”.") % {"where": where}
            )
        share = _number(parts[3], where, integer=True)
        if not 0 <= share <= 100:
            raise ValidationError(_("%(where)s: the share is between 0 and 100.") % {"where": where})
        steps.append(
            {
                "name": clean_text(str(parts[0]))[:300],
                "body": _choice(parts[1], BODY_KINDS, where),
                "role": _choice(parts[2], STEP_ROLES, where),
                "share": share,
            }
        )
    if steps and sum(step["share"] for step in steps) != 100:
        raise ValidationError(_("%(column)s: the shares of the steps add up to 100.") % {"column": column})
    return steps


def clean_record(raw: dict, *, headers: dict | None = None) -> tuple[dict | None, list[str]]:
    """The record `raw` (values keyed by field) as stored, or None and the messages, each naming its
    column (by its header in the workbook)."""
    label = {name: header for header, name in COLUMNS} | (headers or {})
    errors: list[str] = []
    record: dict = {}

    def take(name, convert):
        try:
            record[name] = convert(raw.get(name), label[name])
        except ValidationError as exc:
            errors.extend(exc.messages)

    def code(value, column):
        text = str(value or "").strip()
        try:
            code_validator(text)
        except ValidationError as exc:
            raise ValidationError(f"{column}: {exc.messages[0]}")
        return text

    def text(name, *, required):
        def convert(value, column):
            cleaned = clean_text(str(value if value is not None else ""))
            if name not in ("legal_basis",):
                cleaned = normalise_space(cleaned)
            if required and not cleaned:
                raise ValidationError(_("%(column)s is required.") % {"column": column})
            if len(cleaned) > TEXT_LIMITS[name]:
                raise ValidationError(
                    _("%(column)s: at most %(limit)s characters.") % {"column": column, "limit": TEXT_LIMITS[name]}
                )
            return cleaned

        return convert

    take("code", code)
    take("name", text("name", required=True))
    take("field", text("field", required=True))
    take("level", lambda v, c: _choice(v or "commune", LEVELS, c))
    take("time_amount", lambda v, c: _number(v, c, integer=False))
    take("time_unit", lambda v, c: _choice(v, TIME_UNITS, c))
    take("time_note", text("time_note", required=False))
    take("fee", lambda v, c: _number(v or 0, c, integer=True))
    take("fee_note", text("fee_note", required=False))
    take("documents", _documents)
    take("legal_basis", text("legal_basis", required=False))
    take("result", text("result", required=True))
    take("steps", _steps)
    take("regardless_of_residence", _bool)
    take("online", lambda v, c: _choice(v or "none", ONLINE, c))
    take("cutoff_hour", _hour)
    take("active", lambda v, c: True if v is None else _bool(v, c))
    if "time_amount" in record and record["time_amount"] <= 0:
        errors.append(_("%(column)s: the time must be more than zero.") % {"column": label["time_amount"]})
    if "time_amount" in record:
        record["time_amount"] = str(record["time_amount"])
    return (None, errors) if errors else (record, [])


def record_of(procedure: Procedure) -> dict:
    """The stored procedure in the shape `clean_record` returns (to compare and to export)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "level": procedure.level,
        "time_amount": str(decimal.Decimal(procedure.time_amount).quantize(decimal.Decimal("0.1"))),
        "time_unit": procedure.time_unit,
        "time_note": procedure.time_note,
        "fee": procedure.fee,
        "fee_note": procedure.fee_note,
        "documents": procedure.documents,
        "legal_basis": procedure.legal_basis,
        "result": procedure.result,
        "steps": procedure.steps,
        "regardless_of_residence": procedure.regardless_of_residence,
        "online": procedure.online,
        "cutoff_hour": procedure.cutoff_hour.strftime("%H:%M") if procedure.cutoff_hour else None,
        "active": procedure.active,
    }


def model_values(record: dict) -> dict:
    values = {name: record[name] for name in FIELDS if name != "code"}
    values["time_amount"] = decimal.Decimal(record["time_amount"])
    hour = record["cutoff_hour"]
    values["cutoff_hour"] = datetime.datetime.strptime(hour, "%H:%M").time() if hour else None
    return values


def workbook_row(procedure: Procedure) -> list:
    """One row of the exported workbook, in COLUMNS order (what the import reads back unchanged)."""
    record = record_of(procedure)
    documents = "\n".join(
        " | ".join(
            [
                doc["name"],
                "Bản chính" if doc["original"] else "Bản sao",
                str(doc["count"]),
                "Bắt buộc" if doc["mandatory"] else "Không bắt buộc",
                doc.get("form", ""),
            ]
        ).rstrip(" |")
        for doc in record["documents"]
    )
    steps = "\n".join(
        f"{step['name']} | {BODY_KINDS[step['body']]} | {STEP_ROLES[step['role']]} | {step['share']}"
        for step in record["steps"]
    )
    return [
        record["code"],
        record["name"],
        record["field"],
        LEVELS[record["level"]],
        record["time_amount"],
        TIME_UNITS[record["time_unit"]],
        record["time_note"],
        record["fee"],
        record["fee_note"],
        documents,
        record["legal_basis"],
        record["result"],
        steps,
        "Có" if record["regardless_of_residence"] else "Không",
        ONLINE[record["online"]],
        record["cutoff_hour"] or "",
        "Có" if record["active"] else "Không",
    ]
