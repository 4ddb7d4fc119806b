"""Writes of the core: the administrators' exceptions to the working-day calendar (audited)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thongsuot.core.audit import audit_record, snapshot
from thongsuot.core.calendar import holiday_name
from thongsuot.core.models import CalendarDay
from thongsuot.core.permissions import is_platform_admin
from thongsuot.core.text import normalise_space

CALENDAR_FIELDS = ["date", "kind", "reason"]


def _require_admin(actor) -> None:
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Only the platform administrators change the working-day calendar."))


def _ordinary(day: datetime.date) -> str:
    """What the day is without any exception: "working" or "off"."""
    return CalendarDay.Kind.DAY_OFF if day.weekday() >= 5 or holiday_name(day) else CalendarDay.Kind.WORKING


@transaction.atomic
def calendar_day_set(*, actor, day, kind: str, reason: str) -> CalendarDay:
    """Declare `day` an extra day off, or a working day (a compensatory working Saturday). Replaces an
    exception already set for that day. Deadlines computed from now on follow it."""
    _require_admin(actor)
    errors: dict[str, list] = {}
    if not isinstance(day, datetime.date):
        errors["date"] = [_("Enter a date.")]
    elif not 2000 <= day.year <= 2100:
        errors["date"] = [_("Enter a date between 2000 and 2100.")]
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = [_("Choose a day off or a working day.")]
    elif "date" not in errors and _ordinary(day) == kind:
        errors["kind"] = [
            _("%(date)s is already a working day.") % {"date": f"{day:%d/%m/%Y}"}
            if kind == CalendarDay.Kind.WORKING
            else _("%(date)s is already a day off.") % {"date": f"{day:%d/%m/%Y}"}
        ]
    reason = normalise_space(reason or "")
    if not reason:
        errors["reason"] = [_("Say why (e.g. the decision that moves the day).")]
    elif len(reason) > 200:
        errors["reason"] = [_("The reason is longer than 200 characters.")]
    if errors:
        raise ValidationError(errors)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    before = snapshot(existing, CALENDAR_FIELDS) if existing else None
    entry = existing or CalendarDay(date=day)
    entry.kind, entry.reason = kind, reason
    entry.save()
    audit_record(
        actor=actor,
        action="calendar.day.update" if existing else "calendar.day.create",
        obj=entry,
        before=before,
        after=snapshot(entry, CALENDAR_FIELDS),
        reason=reason,
    )
    return entry


@transaction.atomic
def calendar_day_remove(*, actor, entry: CalendarDay, reason: str = "") -> None:
    """Remove an exception: the day is again what the national calendar says."""
    _require_admin(actor)
    entry = CalendarDay.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry, CALENDAR_FIELDS)
    audit_record(actor=actor, action="calendar.day.delete", obj=entry, before=before, reason=reason)
    entry.delete()
