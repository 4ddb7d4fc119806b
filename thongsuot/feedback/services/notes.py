"""Internal notes on a report: staff write to each other; an @e-mail in the note tells that colleague."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.feedback import SYSTEM
from thongsuot.feedback.models import Report, ReportEvent
from thongsuot.feedback.services._common import record, require_handler

NOTE_MAX_LENGTH = 2000


@transaction.atomic
def report_note_add(*, actor, report: Report, note: str) -> ReportEvent:
    """Add an internal note (never shown to the citizen) to the timeline. Its author must be able to handle
    the report (its unit's handlers, or the 1022 dispatchers). Colleagues written as @their.email who may
    see the report are notified."""
    from thongsuot.feedback import notifications

    if not access.has_city_wide_change(actor, system=SYSTEM):
        require_handler(actor, report)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write the note.")]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]})
    event = record(report, actor=actor, action="note", note=note, public=False, save=False)
    notifications.note_mentions(report, event, author=actor)
    return event
