"""Recall of an issued document (thu hồi, NĐ 30): the issuing unit's leader recalls it with a reason; every
copy delivered on the platform is marked, and each receiving clerk confirms it withdrawn from the unit's
handling; the sender's document records each confirmation. Keyword-only, atomic, through the workflow
table (the timeline writes the audit rows)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.core.calendar import city_time
from thongsuot.core.text import normalise_space
from thongsuot.core.workflow import transition
from thongsuot.documents import notifications
from thongsuot.documents.models import Document
from thongsuot.documents.states import TIMELINE, WORKFLOW, Status


@transaction.atomic
def document_recall(*, actor, document, reason: str) -> Document:
    """Recall an issued document: it becomes "recalled", each copy delivered on the platform shows the
    recall and waits for its clerk's confirmation (the receiving clerks are told)."""
    reason = normalise_space(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why the document is recalled.")]})
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "recall")
    transition(WORKFLOW, document, Status.RECALLED, actor=actor, note=reason)
    for copy in Document.objects.select_for_update().filter(source=document):
        TIMELINE.record(copy, actor="system", action="recall_requested", note=reason, save=False)
        notifications.recalled(copy)
    return document


@transaction.atomic
def document_confirm_recall(*, actor, document, note: str = "") -> Document:
    """The receiving clerk confirms a recalled document withdrawn; the sender's document records it."""
    document = Document.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    WORKFLOW.require(actor, document, "confirm_recall")
    now = timezone.now()
    transition(WORKFLOW, document, Status.WITHDRAWN, actor=actor, note=normalise_space(note or ""))
    message = f"{document.organisation.name}: {_('recall confirmed')}, {city_time(now):%d/%m/%Y %H:%M}"
    TIMELINE.record(document.source, actor="system", action="recall_confirmed", note=message, save=False)
    return document
