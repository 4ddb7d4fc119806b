"""Administrators manage the 1022 categories: who is responsible and how many working days each gets."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core.audit import audited_update
from thongsuot.core.text import normalise_space
from thongsuot.directory.models import Organisation
from thongsuot.feedback.audit_actions import CategoryAudit
from thongsuot.feedback.models import Category

CATEGORY_FIELDS = ["code", "name", "responsible", "department", "handling_days", "position", "is_active"]
MAX_HANDLING_DAYS = 60
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def require_category_admin(actor) -> None:
    if not access.has_city_wide_change(actor):
        raise PermissionDenied(_("Only the platform administrators manage the 1022 categories."))


def _clean(*, category: Category | None, code, name, responsible, department, handling_days) -> dict:
    errors: dict[str, list] = {}
    code = (code or "").strip().lower()
    name = normalise_space(name or "")
    if not CODE.match(code) or len(code) > 40:
        errors["code"] = [_("Use lower-case letters, digits and hyphens (at most 40), e.g. “cay-xanh”.")]
    elif Category.objects.filter(code=code).exclude(pk=getattr(category, "pk", None)).exists():
        errors["code"] = [_("Another category already has this code.")]
    if not name:
        errors["name"] = [_("Enter the category's name.")]
    elif len(name) > 150:
        errors["name"] = [_("The name is longer than 150 characters.")]
    if responsible not in Category.Responsible.values:
        errors["responsible"] = [_("Choose who is responsible.")]
    if responsible == Category.Responsible.DEPARTMENT:
        if department is None:
            errors["department"] = [_("Choose the responsible department.")]
        elif department.kind != Organisation.Kind.DEPARTMENT or not department.is_active:
            errors["department"] = [_("The responsible body must be an active city department.")]
    else:
        department = None
    try:
        handling_days = int(handling_days)
    except (TypeError, ValueError):
        handling_days = 0
    if not 1 <= handling_days <= MAX_HANDLING_DAYS:
        errors["handling_days"] = [_("Give a number of working days from 1 to %(max)d.") % {"max": MAX_HANDLING_DAYS}]
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "name": name,
        "responsible": responsible,
        "department": department,
        "department_code": department.code if department else "",
        "handling_days": handling_days,
    }


@transaction.atomic
def category_save(
    *,
    actor,
    category: Category | None = None,
    code: str,
    name: str,
    responsible: str,
    department: Organisation | None = None,
    handling_days,
    position: int | None = None,
    is_active: bool = True,
) -> Category:
    """Create (category=None) or update a category. A new deadline applies to reports received from now on;
    reports already received keep theirs."""
    require_category_admin(actor)
    if category is not None:
        category = Category.objects.select_for_update().get(pk=category.pk)
    clean = _clean(
        category=category,
        code=code,
        name=name,
        responsible=responsible,
        department=department,
        handling_days=handling_days,
    )
    creating = category is None
    if creating:
        last = Category.objects.order_by("-position").values_list("position", flat=True).first() or 0
        category = Category(position=last + 1)
    fields = {**clean, "is_active": bool(is_active)}
    if position is not None:
        fields["position"] = position
    audited_update(
        category,
        actor=actor,
        fields=fields,
        action=CategoryAudit.CREATE if creating else CategoryAudit.UPDATE,
        tracked=CATEGORY_FIELDS,
    )
    return category


@transaction.atomic
def categories_departments_link() -> int:
    """Store the responsible department of the categories that name it only by its code (the seeded ones,
    written before the directory was loaded), once the directory has it; audited as the system. Run by the
    periodic sweep; the dispatchers' suggestions read the code meanwhile. Returns how many were linked."""
    linked = 0
    waiting = Category.objects.select_for_update().filter(
        responsible=Category.Responsible.DEPARTMENT, department__isnull=True
    )
    for category in waiting.exclude(department_code=""):
        department = Organisation.objects.filter(code=category.department_code, is_active=True).first()
        if department is None:
            continue
        audited_update(
            category,
            actor="system",
            fields={"department": department},
            action=CategoryAudit.UPDATE,
            tracked=CATEGORY_FIELDS,
            reason="department linked by its code",
        )
        linked += 1
    return linked
