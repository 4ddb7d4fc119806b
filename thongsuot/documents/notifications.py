"""Every notification of the documents system: its events (registered by DocumentsConfig.ready()), what
each loads for its templates (documents/templates/documents/notifications/<name>/), and who is told.

Urgent documents (Khẩn, Thượng khẩn, Hỏa tốc) are told at once and by SMS as well: when they arrive (the
unit's clerks) and when a leader directs them (the handlers)."""

from django.conf import settings
from django.urls import reverse

from thongsuot.accounts.models import Role, User
from thongsuot.core.notifications import EMAIL, IN_APP, SMS, Event, notify
from thongsuot.documents.models import Document, Instruction, WorkFile


def _context(context: dict) -> dict | None:
    document = Document.objects.select_related("organisation").filter(pk=context["document_id"]).first()
    if document is None:
        return None
    path = reverse("documents:detail", args=[document.pk])
    instruction = Instruction.objects.filter(document=document).first()
    return {"document": document, "instruction": instruction, "url": settings.SITE_URL + path, "link": path}


ASSIGNED = Event("documents.assigned", channels=(EMAIL, IN_APP), load=_context)
URGENT_ASSIGNED = Event("documents.urgent_assigned", channels=(EMAIL, SMS, IN_APP), load=_context)
URGENT_ARRIVED = Event("documents.urgent_arrived", channels=(EMAIL, SMS, IN_APP), load=_context)
DUE_SOON = Event("documents.due_soon", channels=(EMAIL, IN_APP), load=_context)
OVERDUE = Event("documents.overdue", channels=(EMAIL, IN_APP), load=_context)
RECALLED = Event("documents.recalled", channels=(EMAIL, IN_APP), load=_context)


def _workfile_context(context: dict) -> dict | None:
    workfile = WorkFile.objects.filter(pk=context["workfile_id"]).first()
    if workfile is None:
        return None
    path = reverse("documents:workfile", args=[workfile.pk])
    return {"workfile": workfile, "url": settings.SITE_URL + path, "link": path}


ARCHIVE_DUE = Event("documents.archive_due", channels=(EMAIL, IN_APP), load=_workfile_context)
EVENTS = (ASSIGNED, URGENT_ASSIGNED, URGENT_ARRIVED, DUE_SOON, OVERDUE, RECALLED, ARCHIVE_DUE)


def archive_due(workfile: WorkFile) -> bool:
    """A closed work file falls due for the agency's archive within 30 days: its handler is told."""
    return notify(ARCHIVE_DUE, [workfile.owner], {"workfile_id": workfile.pk})


def handlers_assigned(instruction: Instruction) -> bool:
    """Tell the handlers named by an instruction; an urgent document at once, by SMS too."""
    people = [handler.user for handler in instruction.handlers.select_related("user")]
    event = URGENT_ASSIGNED if instruction.document.urgency else ASSIGNED
    return notify(event, people, {"document_id": instruction.document_id})


def _clerks(organisation_id: int):
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF, roles__code=Role.CLERK
    ).distinct()


def recalled(copy: Document) -> bool:
    """The sender recalled a document: the receiving unit's clerks are told to confirm it withdrawn."""
    clerks = [clerk for clerk in _clerks(copy.organisation_id) if copy.named_on(clerk)]  # secret: the named
    return notify(RECALLED, clerks, {"document_id": copy.pk})


def urgent_arrived(document: Document) -> bool:
    """An urgent document arrived: its unit's clerks are told at once."""
    if not document.urgency:
        return False
    return notify(URGENT_ARRIVED, _clerks(document.organisation_id), {"document_id": document.pk})


def reminded(instruction: Instruction, event: Event, *, at_once: bool = False) -> bool:
    """A reminder of the deadline to the handlers and the leader who gave the instruction."""
    people = [handler.user for handler in instruction.handlers.select_related("user")] + [instruction.leader]
    return notify(event, people, {"document_id": instruction.document_id}, at_once=at_once)
