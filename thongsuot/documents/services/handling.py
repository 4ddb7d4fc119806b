"""Direction and handling of an incoming document: the leader's instruction (lead and supporting handlers,
a deadline counted in working days by core.calendar), the handlers' progress reports, the lead handler's
completion. Keyword-only, atomic, through the workflow table (the timeline writes the audit rows)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts.models import User
from thongsuot.core.calendar import add_working_days, city_time
from thongsuot.core.text import normalise_space
from thongsuot.core.workflow import transition
from thongsuot.documents import notifications
from thongsuot.documents.models import Document, Handler, Instruction
from thongsuot.documents.states import TIMELINE, WORKFLOW, Status

MAX_WORKING_DAYS = 90


def _staff_of(organisation_id: int, ids) -> dict[int, User]:
    found = User.objects.filter(
        pk__in=list(ids), organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF
    ).in_bulk()
    return found


def _clean_direction(document, *, lead_id, co_handler_ids, working_days, text) -> dict:
    errors = {}
    text = normalise_space(text or "")
    if not text:
        errors["instruction"] = [_("Write the instruction (ý kiến chỉ đạo).")]
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_WORKING_DAYS:
        errors["working_days"] = [_("Give the deadline as 1 to %(n)d working days.") % {"n": MAX_WORKING_DAYS}]
    co_ids = {int(pk) for pk in co_handler_ids or ()} - {lead_id}
    staff = _staff_of(document.organisation_id, {lead_id, *co_ids} - {None})
    if lead_id not in staff:
        errors["lead"] = [_("Choose the lead handler among the unit's staff.")]
    if len(co_ids - set(staff)) > 0:
        errors["co_handlers"] = [_("Choose the supporting handlers among the unit's staff.")]
    if errors:
        raise ValidationError(errors)
    return {"text": text, "days": days, "lead": staff[lead_id], "co": [staff[pk] for pk in sorted(co_ids)]}


@transaction.atomic
def document_direct(
    *, actor, document, lead_id: int | None, co_handler_ids=(), working_days, instruction: str
) -> Instruction:
    """The leader's instruction on a registered incoming document: who leads, who supports, by when (the
    deadline is `working_days` working days after today, holidays and weekends skipped)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "direct")
    clean = _clean_direction(
        document, lead_id=lead_id, co_handler_ids=co_handler_ids, working_days=working_days, text=instruction
    )
    now = timezone.now()
    deadline = add_working_days(now, clean["days"])
    given = Instruction.objects.create(
        document=document, leader=actor, text=clean["text"], deadline=deadline, given_at=now
    )
    Handler.objects.create(instruction=given, user=clean["lead"], lead=True)
    Handler.objects.bulk_create([Handler(instruction=given, user=user) for user in clean["co"]])
    if document.secret:  # the handlers of a secret document are named on it
        document.readers.add(clean["lead"], *clean["co"])
    people = ", ".join([clean["lead"].full_name or clean["lead"].get_username()] + [u.full_name for u in clean["co"]])
    note = f"{clean['text']} — {people} — {deadline:%d/%m/%Y}"
    transition(WORKFLOW, document, Status.HANDLING, actor=actor, note=note)
    notifications.handlers_assigned(given)
    return given


@transaction.atomic
def document_progress(*, actor, document, note: str) -> Document:
    """A handler reports how the handling goes (no change of state)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "progress")
    note = normalise_space(note or "")
    if not note:
        raise ValidationError({"note": [_("Say how the handling goes.")]})
    TIMELINE.record(document, actor=actor, action="progress", note=note, save=False)
    return document


@transaction.atomic
def document_complete(*, actor, document, note: str = "") -> Document:
    """The lead handler finishes the handling; on time when done by the deadline (the city's date)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "complete")
    now = timezone.now()
    Instruction.objects.filter(document=document).update(completed_at=now, completed_on=city_time(now).date())
    transition(WORKFLOW, document, Status.DONE, actor=actor, note=normalise_space(note or ""))
    return document


def _remind(instruction: Instruction, *, field: str, action: str, event) -> bool:
    """Send one reminder for the instruction's current deadline: the conditional update lets one sweep
    win, so a second run (or a second worker) sends nothing."""
    won = (
        Instruction.objects.filter(pk=instruction.pk)
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("deadline")}))
        .update(**{field: instruction.deadline})
    )
    if not won:
        return False
    note = f"{instruction.deadline:%d/%m/%Y}"
    TIMELINE.record(instruction.document, actor="system", action=action, note=note, save=False)
    notifications.reminded(instruction, event)
    return True


@transaction.atomic
def instructions_remind(*, today=None) -> dict[str, list[int]]:
    """The reminder sweep: the handlers and the leader are warned once before the deadline (due within
    selectors.DUE_SOON_WORKING_DAYS working days) and once when it has passed, for each deadline."""
    from thongsuot.documents.numbering import today_in_city
    from thongsuot.documents.selectors import due_soon_limit

    today = today or today_in_city()
    waiting = Instruction.objects.filter(completed_on__isnull=True, document__status=Status.HANDLING).select_related(
        "document"
    )
    sent: dict[str, list[int]] = {"due_soon": [], "overdue": []}
    for instruction in waiting.filter(deadline__gte=today, deadline__lte=due_soon_limit(today)):
        if _remind(instruction, field="due_soon_reminded_for", action="remind_due_soon", event=notifications.DUE_SOON):
            sent["due_soon"].append(instruction.document_id)
    for instruction in waiting.filter(deadline__lt=today):
        if _remind(instruction, field="overdue_reminded_for", action="remind_overdue", event=notifications.OVERDUE):
            sent["overdue"].append(instruction.document_id)
    return sent
