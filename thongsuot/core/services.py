"""Writes of the core: the administrators' exceptions to the working-day calendar (audited)."""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.core.audit import AuditActions, audit_record, audited_update, snapshot
from thongsuot.core.calendar import city_time, holiday_name
from thongsuot.core.models import CalendarDay, ExtensionBase, Term
from thongsuot.core.permissions import is_platform_admin
from thongsuot.core.text import normalise_space

CALENDAR_FIELDS = ["date", "kind", "reason"]


class CalendarAudit(AuditActions, prefix="calendar.day"):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


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
    entry = existing or CalendarDay(date=day)
    audited_update(
        entry,
        actor=actor,
        fields={"kind": kind, "reason": reason},
        action=CalendarAudit.UPDATE if existing else CalendarAudit.CREATE,
        tracked=CALENDAR_FIELDS,
        reason=reason,
    )
    return entry


@transaction.atomic
def calendar_day_remove(*, actor, entry: CalendarDay, reason: str = "") -> None:
    """Remove an exception: the day is again what the national calendar says."""
    _require_admin(actor)
    entry = CalendarDay.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(entry, CALENDAR_FIELDS)
    audit_record(actor=actor, action=CalendarAudit.DELETE, obj=entry, before=before, reason=reason)
    entry.delete()


TERM_FIELDS = ["body", "kind", "key", "starts", "ends"]


class TermAudit(AuditActions, prefix="core.term"):
    CREATE = "create"
    UPDATE = "update"


@transaction.atomic
def term_save(
    *, actor, body: str, key: str, starts, ends=None, kind: str = Term.Kind.TERM, term: Term | None = None
) -> Term:
    """Declare (or correct) a committee term or a congress of a Party body, over which its documents are
    numbered (thongsuot.core.numbering.term_period). Terms of one body and kind never overlap."""
    _require_admin(actor)
    body, key = normalise_space(body or ""), normalise_space(key or "")
    errors: dict[str, list] = {}
    if not body:
        errors["body"] = [_("Name the body.")]
    if not key:
        errors["key"] = [_("Give the term's key (e.g. 2025-2030).")]
    if kind not in Term.Kind.values:
        errors["kind"] = [_("Choose a committee term or a congress.")]
    if not isinstance(starts, datetime.date):
        errors["starts"] = [_("Enter a date.")]
    if ends is not None and not isinstance(ends, datetime.date):
        errors["ends"] = [_("Enter a date.")]
    elif ends is not None and isinstance(starts, datetime.date) and ends < starts:
        errors["ends"] = [_("The last day is before the first.")]
    if not errors:
        others = Term.objects.select_for_update().filter(body=body, kind=kind)
        if term is not None:
            others = others.exclude(pk=term.pk)
        if others.filter(key=key).exists():
            errors["key"] = [_("This body already has a term with this key.")]
        overlapping = others.filter(starts__lte=ends) if ends is not None else others
        overlapping = overlapping.exclude(ends__lt=starts).first()
        if overlapping is not None:
            errors["starts"] = [_("It overlaps the term %(key)s.") % {"key": overlapping.key}]
    if errors:
        raise ValidationError(errors)
    entry = Term.objects.select_for_update().get(pk=term.pk) if term is not None else Term()
    audited_update(
        entry,
        actor=actor,
        fields={"body": body, "kind": kind, "key": key, "starts": starts, "ends": ends},
        action=TermAudit.UPDATE if term is not None else TermAudit.CREATE,
        tracked=TERM_FIELDS,
    )
    return entry


# Deadline extensions ------------------------------------------------------------------------------

EXTENSION_FIELDS = ["reason", "previous_date", "new_date", "decision", "approved_by", "decided_at"]


def _extension_audit(actor, extension: ExtensionBase, subject, action: str, before, reason: str) -> None:
    audit_record(
        actor=actor,
        action=f"{extension._meta.app_label}.extension.{action}",
        obj=extension,
        organisation_id=getattr(subject, "organisation_id", None),
        before=before,
        after=snapshot(extension, EXTENSION_FIELDS),
        reason=reason,
    )


@transaction.atomic
def extension_request(
    *,
    actor,
    model: type[ExtensionBase],
    subject,
    reason: str,
    new_date: datetime.date | None,
    current_date: datetime.date | None,
    require_access: Callable[[], None],
    record: Callable[[ExtensionBase], object],
) -> ExtensionBase:
    """Ask for a later due date of `subject` (which the caller has locked): a reason, a date later than the
    current due date and than today, and no other request waiting. `require_access()` is the system's
    check that `actor` may ask (it raises PermissionDenied, or ValidationError when the record's state
    allows no extension); `record(extension)` writes the system's timeline event. The extension's own
    audit row is written here (`<app>.extension.request`, with the subject's `organisation_id` if it has
    one)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the extension.")]})
    require_access()
    today = city_time(timezone.now()).date()
    if not isinstance(new_date, datetime.date) or (current_date and new_date <= current_date) or new_date <= today:
        raise ValidationError({"new_date": [_("The new date must be later than the current due date.")]})
    if model.pending_for(subject).exists():
        raise ValidationError({"new_date": [_("An extension is already waiting for a decision.")]})
    extension = model.objects.create(
        **{model.subject_field: subject},
        reason=reason,
        new_date=new_date,
        previous_date=current_date,
        requested_by=actor,
    )
    _extension_audit(actor, extension, subject, "request", None, reason)
    record(extension)
    return extension


@transaction.atomic
def extension_decide(
    *,
    actor,
    extension: ExtensionBase,
    approve: bool,
    note: str = "",
    lock_subject: Callable[[object], object] = lambda subject: subject,
    require_access: Callable[[object], None],
    record: Callable[[ExtensionBase, object], object],
) -> ExtensionBase:
    """Approve or refuse a pending extension: the leader's decision. The extension and then its subject
    (`lock_subject(subject)` re-reads it under the system's lock) are locked; `require_access(subject)`
    is the system's check that `actor` decides for it (a leader of its unit); `record(extension, subject)`
    applies the decision to the subject (the new due date when approved) with its timeline event."""
    model = type(extension)
    extension = model.objects.select_for_update().get(pk=extension.pk)
    subject = lock_subject(extension.subject)
    require_access(subject)
    if extension.decision != model.Decision.PENDING:
        raise ValidationError({"decision": [_("This extension has already been decided.")]})
    before = snapshot(extension, EXTENSION_FIELDS)
    extension.decision = model.Decision.APPROVED if approve else model.Decision.REFUSED
    extension.approved_by, extension.decided_at = actor, timezone.now()
    extension.save(update_fields=["decision", "approved_by", "decided_at"])
    action = "approve" if approve else "refuse"
    _extension_audit(actor, extension, subject, action, before, note)
    record(extension, subject)
    return extension
