"""Compare a staff list with the accounts that exist: what each row would do, and why not."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from thongsuot.accounts import access, roles
from thongsuot.accounts.models import Role, User
from thongsuot.core.text import fold
from thongsuot.directory.models import Organisation

CREATE, UPDATE, UNCHANGED, DEACTIVATE, ERROR = "create", "update", "unchanged", "deactivate", "error"

_PHONE = re.compile(r"^0\d{9,10}$")
_ROLE_SPLIT = re.compile(r"[,;/|]")


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


@dataclass
class PlanRow:
    line: int
    action: str
    email: str = ""
    full_name: str = ""
    phone: str = ""
    position: str = ""
    roles: list[str] = field(default_factory=list)
    organisation_id: int | None = None
    organisation_name: str = ""
    user_id: int | None = None
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[PlanRow]
    organisation_ids: set[int]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def summary(self) -> dict:
        return {a: self.count(a) for a in (CREATE, UPDATE, UNCHANGED, DEACTIVATE, ERROR)}

    @property
    def applicable(self) -> bool:
        """Whether applying would change anything (a row to create, update or deactivate)."""
        return any(r.action in (CREATE, UPDATE, DEACTIVATE) for r in self.rows)

    @property
    def has_errors(self) -> bool:
        return any(r.action == ERROR for r in self.rows)


class _Directory:
    """Organisation lookups for one plan, loaded once."""

    def __init__(self):
        self.by_key: dict[str, Organisation] = {}
        for org in Organisation.objects.filter(is_active=True):
            for key in (
                org.code.lower(),
                org.admin_code,
                org.name_folded,
                fold(org.short_name) if org.short_name else None,
            ):
                if key:
                    self.by_key.setdefault(key, org)

    def find(self, value: str) -> Organisation | None:
        value = (value or "").strip()
        return self.by_key.get(value.lower()) or self.by_key.get(fold(value))


def role_names() -> dict[str, str]:
    """Every way a list may name a role (folded) -> its code: the code, the role's name as the pages show it
    (the Role table, e.g. "Cán bộ xử lý 1022"; its translation in the current language), and the aliases the
    apps declare with their roles (thongsuot.accounts.roles)."""
    from django.utils.translation import gettext

    names = roles.aliases()
    for code, name in Role.objects.values_list("code", "name"):
        for key in (code, name, gettext(name)):
            names.setdefault(fold(key), code)
    return names


# The columns of User each value of a row is written to (the e-mail is the username too).
_COLUMNS = {"full_name": ("full_name",), "email": ("email", "username"), "position": ("position",)}


def _length_errors(row: "PlanRow") -> list[str]:
    """What the database would refuse: the values longer than their narrowest column (read from User)."""
    errors = []
    labels = {"full_name": _("Full name"), "email": _("Email"), "position": _("Position")}
    for attribute, columns in _COLUMNS.items():
        limit = min(User._meta.get_field(column).max_length for column in columns)
        value = getattr(row, attribute)
        if len(value) > limit:
            message = _("%(field)s: at most %(n)d characters (%(length)d given).")
            errors.append(message % {"field": labels[attribute], "n": limit, "length": len(value)})
    return errors


def _parse_roles(value: str, role_codes: dict[str, str]) -> tuple[list[str], list[str]]:
    codes, unknown = [], []
    for part in _ROLE_SPLIT.split(value or ""):
        part = part.strip()
        if not part:
            continue
        code = role_codes.get(part) or role_codes.get(fold(part))
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return sorted(codes), unknown


def build_plan(*, rows: list[dict], uploader: User, deactivate_missing: bool) -> Plan:
    directory = _Directory()
    role_codes = role_names()
    city_wide = access.has_city_wide_change(uploader)
    emails = {(r.get("email") or "").strip().lower() for r in rows} - {""}
    phones = {normalise_phone(r.get("phone", "")) for r in rows} - {""}
    existing = {}
    for start in range(0, len(emails), 900):
        chunk = list(emails)[start : start + 900]
        for user in User.objects.filter(email__in=chunk).prefetch_related("roles"):
            existing[user.email] = user
    phone_owner = {}
    for start in range(0, len(phones), 900):
        chunk = list(phones)[start : start + 900]
        for email, phone in User.objects.filter(phone__in=chunk).values_list("email", "phone"):
            phone_owner[phone] = email

    plan_rows: list[PlanRow] = []
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    for raw in rows:
        row = PlanRow(line=raw.get("line", 0), action=CREATE)
        row.full_name = raw.get("full_name", "")
        row.email = (raw.get("email") or "").strip().lower()
        row.phone = normalise_phone(raw.get("phone", ""))
        row.position = raw.get("position", "")
        errors = row.errors
        errors.extend(_length_errors(row))
        if not row.full_name:
            errors.append(_("Full name: required."))
        if not row.email:
            errors.append(_("Email: required."))
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(_("Email: '%(value)s' is not a valid address.") % {"value": row.email})
        if row.phone and not _PHONE.match(row.phone):
            errors.append(_("Phone: '%(value)s' is not a Vietnamese phone number.") % {"value": raw.get("phone")})
        row.roles, unknown = _parse_roles(raw.get("roles", ""), role_codes)
        if unknown:
            errors.append(_("Role: unknown role(s) %(roles)s.") % {"roles": ", ".join(unknown)})
        elif not row.roles:
            errors.append(_("Role: at least one role is required."))
        if Role.PLATFORM_ADMIN in row.roles and not city_wide:
            errors.append(_("Role: only the Digital Transformation Centre can grant platform administration."))
        if roles.system_wide_codes() & set(row.roles) and not city_wide:
            errors.append(_("Role: only the Digital Transformation Centre can grant a role that reaches every unit."))
        org = directory.find(raw.get("unit", ""))
        if org is None:
            errors.append(_("Unit: unknown unit '%(value)s'.") % {"value": raw.get("unit", "")})
        else:
            row.organisation_id, row.organisation_name = org.pk, org.name
            if not access.can_change_organisation(uploader, org.pk):
                errors.append(_("Unit: you may only provision accounts of your own unit."))
        if row.email:
            if row.email in seen_email:
                errors.append(_("Email: duplicate of line %(line)d in this file.") % {"line": seen_email[row.email]})
            else:
                seen_email[row.email] = row.line
        if row.phone:
            if row.phone in seen_phone:
                errors.append(_("Phone: duplicate of line %(line)d in this file.") % {"line": seen_phone[row.phone]})
            else:
                seen_phone[row.phone] = row.line
            owner = phone_owner.get(row.phone)
            if owner is not None and owner != row.email:
                errors.append(_("Phone: already used by another account."))

        user = existing.get(row.email)
        if user is not None and not errors:
            row.user_id = user.pk
            if user.kind != User.Kind.STAFF:
                errors.append(_("Email: belongs to a citizen account."))
            elif user.organisation_id != row.organisation_id and not access.can_change_organisation(
                uploader, user.organisation_id
            ):
                errors.append(_("Email: already used by an account of another unit."))
            else:
                current = {
                    "full_name": user.full_name,
                    "phone": user.phone,
                    "position": user.position,
                    "roles": sorted(r.code for r in user.roles.all()),
                    "organisation": user.organisation_id,
                    "active": user.is_active,
                }
                wanted = {
                    "full_name": row.full_name,
                    "phone": row.phone,
                    "position": row.position,
                    "roles": row.roles,
                    "organisation": row.organisation_id,
                    "active": True,
                }
                row.changes = [k for k in wanted if wanted[k] != current[k]]
                row.action = UPDATE if row.changes else UNCHANGED
        if errors:
            row.action = ERROR
        plan_rows.append(row)

    organisation_ids = {r.organisation_id for r in plan_rows if r.organisation_id and r.action != ERROR}
    if deactivate_missing and organisation_ids:
        listed = set(seen_email)
        missing = (
            User.objects.filter(kind=User.Kind.STAFF, is_active=True, organisation_id__in=organisation_ids)
            .exclude(email__in=listed)
            .exclude(pk=uploader.pk)
            .select_related("organisation")
            .order_by("organisation_id", "email")
        )
        for user in missing:
            plan_rows.append(
                PlanRow(
                    line=0,
                    action=DEACTIVATE,
                    email=user.email,
                    full_name=user.full_name,
                    phone=user.phone,
                    position=user.position,
                    organisation_id=user.organisation_id,
                    organisation_name=user.organisation.name,
                    user_id=user.pk,
                )
            )
    return Plan(rows=plan_rows, organisation_ids=organisation_ids)
