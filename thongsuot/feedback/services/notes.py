"""Internal notes on a report: staff write to each other; an @e-mail in the note tells that colleague."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.feedback import SYSTEM
from thongsuot.feedback.models import Report, ReportEvent
from thongsuot.feedback.services._common import record, require_handler

NOTE_MAX_LENGTH = 2000


def note_allowed(user, report: Report) -> bool:
    """Whether `user` may add internal notes to `report` (the pages show the form only then)."""
    if access.has_city_wide_change(user, system=SYSTEM):
        return True
    try:
        require_handler(user, report)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def report_note_add(*, actor, report: Report, note: str) -> ReportEvent:
    """Add an internal note (never shown to the citizen) to the timeline. Its author must be able to handle
    the report (its unit's handlers, or the 1022 dispatchers). Colleagues written as @their.email who may
    see the report are notified."""
    from thongsuot.feedback import notifications

    if not note_allowed(actor, report):
        raise PermissionDenied(_("Only those who handle this report may add notes to it."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write the note.")]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]})
    event = record(report, actor=actor, action="note", note=note, public=False, save=False)
    notifications.note_mentions(report, event, author=actor)
    return event
