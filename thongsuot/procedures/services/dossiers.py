"""Every change to a dossier: one keyword-only function each, atomic, checked against the workflow table
(states.WORKFLOW), recorded in the timeline and the audit log in the same transaction.

`at` is the moment the change happens (now by default): the due times are counted from it."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core import attachments
from thongsuot.core.calendar import city_time
from thongsuot.core.numbering import day_period, next_number, year_period
from thongsuot.core.workflow import transition
from thongsuot.directory.models import Organisation
from thongsuot.procedures import deadlines, notifications, payments
from thongsuot.procedures.models import Dossier, DossierDocument, DossierStep, Procedure
from thongsuot.procedures.states import DESK_ROLES, RUNNING, SYSTEM, TIMELINE, WORKFLOW, Channel, Status

SERIES = "procedures:dossier"

# A document sent online: a PDF or a photo of it; the result handed back online: a PDF.
DOCUMENT_POLICY = attachments.AttachmentPolicy(
    name="procedures.document",
    max_files=1,
    rules=(attachments.Rule("pdf", 10 * attachments.MB), attachments.Rule("image", 10 * attachments.MB)),
)
RESULT_POLICY = attachments.AttachmentPolicy(
    name="procedures.result", max_files=1, rules=(attachments.Rule("pdf", 20 * attachments.MB),)
)

_ID_NUMBER = re.compile(r"^\d{12}$")  # căn cước: 12 digits
_PHONE = re.compile(r"^0\d{9}$")


def _now(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def clean_applicant(data: dict) -> dict:
    """The applicant's details, trimmed and checked; a ValidationError naming each wrong field."""
    values = {name: str(data.get(name) or "").strip() for name in ("name", "id_number", "phone", "email", "address")}
    values["phone"] = re.sub(r"[\s.-]", "", values["phone"])
    errors = {}
    if not values["name"]:
        errors["applicant_name"] = [_("Give the applicant's full name.")]
    if not _ID_NUMBER.match(values["id_number"]):
        errors["applicant_id_number"] = [_("An ID number (căn cước) has 12 digits.")]
    if not _PHONE.match(values["phone"]):
        errors["applicant_phone"] = [_("A phone number has 10 digits and starts with 0.")]
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["applicant_email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(errors)
    return {
        "applicant_name": values["name"][:200],
        "applicant_id_number": values["id_number"],
        "applicant_phone": values["phone"],
        "applicant_email": values["email"],
        "applicant_address": values["address"][:500],
    }


def dossier_code(unit: Organisation, moment: datetime.datetime) -> tuple[int, str]:
    """The next code of `unit` on the day of `moment`: `<unit code>-YYMMDD-XXXX` (gapless per unit per day;
    in the caller's transaction)."""
    number = next_number(series=SERIES, scope=unit.code, period=day_period(moment))
    return number, f"{unit.code}-{city_time(moment):%y%m%d}-{number:04d}"


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)


def _late(dossier: Dossier, now: datetime.datetime) -> dict:
    """A dossier past its due time while its clock runs is late, and stays late."""
    if dossier.late or dossier.due_at is None or dossier.status not in RUNNING:
        return {}
    return {"late": True} if now > dossier.due_at else {}


def _create(*, actor, procedure, receiving_unit, deciding_unit, channel, applicant, citizen, now, action) -> Dossier:
    if not procedure.active:
        raise ValidationError({"procedure": [_("This procedure is no longer in force.")]})
    number, code = dossier_code(receiving_unit, now)
    dossier = Dossier.objects.create(
        code=code,
        number=number,
        procedure=procedure,
        receiving_unit=receiving_unit,
        deciding_unit=deciding_unit,
        channel=channel,
        status=Status.SUBMITTED,
        citizen=citizen,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_at=now,
        fee=procedure.fee,
        **applicant,
    )
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            index=index,
            name=document["name"][:500],
            original=document.get("original", True),
            count=document.get("count", 1),
            mandatory=document.get("mandatory", True),
        )
        for index, document in enumerate(procedure.documents)
    )
    TIMELINE.record(dossier, actor=actor, action=action, to_status=Status.SUBMITTED, save=False)
    return dossier


def _move(dossier: Dossier, to_state: str, *, actor, note: str = "", fields: dict | None = None):
    """Along an edge of the table, with its timeline event and audit row; the applicant is told."""
    event = transition(WORKFLOW, dossier, to_state, actor=actor, note=note, fields=fields)
    notifications.applicant_told(dossier, event)
    return event


def _require_desk(actor) -> Organisation:
    if not getattr(actor, "is_authenticated", False) or actor.kind != "staff" or actor.organisation_id is None:
        raise PermissionDenied(_("Only a one-stop desk officer may receive a dossier."))
    access.require_change(actor, actor.organisation_id, roles=DESK_ROLES, system=SYSTEM)
    return actor.organisation


def _deciding_unit(unit_id, receiving_unit: Organisation, procedure: Procedure) -> Organisation:
    if not unit_id or int(unit_id) == receiving_unit.pk:
        return receiving_unit
    unit = Organisation.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError({"deciding_unit": [_("Choose a unit that exists.")]})
    if not procedure.regardless_of_residence:
        raise ValidationError({"deciding_unit": [_("This procedure is received only by the unit that decides it.")]})
    return unit


@attachments.discard_files_on_error
@transaction.atomic
def dossier_intake(
    *,
    actor,
    procedure: Procedure,
    applicant: dict,
    received: list[int],
    decision: str = "accept",
    deciding_unit_id: int | None = None,
    missing: str = "",
    reason: str = "",
    at: datetime.datetime | None = None,
) -> Dossier:
    """A dossier brought to the officer's one-stop desk: the documents `received` (their indexes in the
    procedure's list) checked for completeness, then accepted (receipt and appointment), returned with the
    list of what is `missing` (request for additional documents) or refused with its `reason`."""
    now = _now(at)
    unit = _require_desk(actor)
    if decision not in ("accept", "request_additional", "refuse"):
        raise ValidationError({"decision": [_("Choose to accept, to ask for additional documents or to refuse.")]})
    applicant = clean_applicant(applicant)
    deciding = _deciding_unit(deciding_unit_id, unit, procedure)
    wanted = {int(index) for index in received}
    absent = [d["name"] for i, d in enumerate(procedure.documents) if d.get("mandatory", True) and i not in wanted]
    if decision == "accept" and absent:
        raise ValidationError(
            {"received": [_("The dossier is incomplete; missing: %(names)s.") % {"names": "; ".join(absent)}]}
        )
    dossier = _create(
        actor=actor,
        procedure=procedure,
        receiving_unit=unit,
        deciding_unit=deciding,
        channel=Channel.DESK,
        applicant=applicant,
        citizen=None,
        now=now,
        action="intake",
    )
    dossier.documents.filter(index__in=wanted).update(received=True)
    if decision == "accept":
        return dossier_accept(actor=actor, dossier=dossier, at=now)
    if decision == "request_additional":
        return dossier_request_additional(actor=actor, dossier=dossier, missing=missing or "\n".join(absent), at=now)
    return dossier_refuse(actor=actor, dossier=dossier, reason=reason, at=now)


@attachments.discard_files_on_error
@transaction.atomic
def dossier_submit(
    *,
    actor,
    procedure: Procedure,
    receiving_unit: Organisation,
    applicant: dict,
    files: dict,
    at: datetime.datetime | None = None,
) -> Dossier:
    """A dossier sent online by a signed-in citizen: one file per required document (`files`: index →
    upload), checked by content; every mandatory document attached. The desk then checks it."""
    now = _now(at)
    if not getattr(actor, "is_authenticated", False) or actor.kind != "citizen":
        raise PermissionDenied(_("Sign in with a citizen account to submit a dossier online."))
    if procedure.online == Procedure.Online.NONE:
        raise ValidationError({"procedure": [_("This procedure cannot be submitted online.")]})
    if receiving_unit is None or not receiving_unit.is_active or receiving_unit.kind != "commune":
        raise ValidationError({"receiving_unit": [_("Choose the ward or commune that receives the dossier.")]})
    applicant = clean_applicant(applicant)
    errors, checked = {}, {}
    for index, document in enumerate(procedure.documents):
        upload = files.get(index)
        if not upload:
            if document.get("mandatory", True):
                errors[f"document_{index}"] = [_("Attach this document: %(name)s.") % {"name": document["name"]}]
            continue
        try:
            checked[index] = attachments.check_one(DOCUMENT_POLICY, upload)
        except attachments.Refused as exc:
            errors[f"document_{index}"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    dossier = _create(
        actor=actor,
        procedure=procedure,
        receiving_unit=receiving_unit,
        deciding_unit=receiving_unit,
        channel=Channel.ONLINE,
        applicant=applicant,
        citizen=actor,
        now=now,
        action="submit",
    )
    notifications.applicant_told(dossier, dossier.events.get())
    field = DossierDocument._meta.get_field("file")
    for index, item in checked.items():
        stored = attachments.save(item, field=field)
        dossier.documents.filter(index=index).update(
            received=True,
            file=stored["name"],
            thumbnail=stored["thumbnail"],
            original_name=stored["original_name"],
            content_type=stored["content_type"],
            size=stored["size"],
        )
    return dossier


@transaction.atomic
def dossier_accept(*, actor, dossier: Dossier, at: datetime.datetime | None = None) -> Dossier:
    """Received at the desk: the clock starts (the procedure's cut-off hour counts), each step gets its due
    time; the receipt and appointment (Mẫu 01) can be printed."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "accept")
    missing = dossier.documents.filter(mandatory=True, received=False).values_list("name", flat=True)
    if missing:
        raise ValidationError(
            {"received": [_("The dossier is incomplete; missing: %(names)s.") % {"names": "; ".join(missing)}]}
        )
    steps = deadlines.step_due_times(dossier.procedure, now)
    DossierStep.objects.bulk_create(
        DossierStep(
            dossier=dossier, index=s.index, name=s.name[:500], body=s.body, role=s.role, share=s.share, due_at=s.due_at
        )
        for s in steps
    )
    _move(
        dossier,
        Status.RECEIVED,
        actor=actor,
        fields={"received_at": now, "due_at": deadlines.due_at(dossier.procedure, now)},
    )
    return dossier


@transaction.atomic
def dossier_request_additional(
    *, actor, dossier: Dossier, missing: str, at: datetime.datetime | None = None
) -> Dossier:
    """Ask (once) for the documents `missing`: the clock stops until they arrive (Mẫu 02)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "request_additional")
    missing = (missing or "").strip()
    if not missing:
        raise ValidationError({"missing": [_("List the documents that are missing or must be completed.")]})
    fields = {
        **_late(dossier, now),
        "paused_at": now,
        "paused_from": dossier.status,
        "additional_requests": dossier.additional_requests + 1,
        "missing": missing[:5000],
    }
    _move(dossier, Status.ADDITIONAL, actor=actor, note=missing[:5000], fields=fields)
    return dossier


def _store_documents(dossier: Dossier, files: dict) -> None:
    """Check (by content) and store the files sent for the dossier's documents (index → upload)."""
    errors, checked = {}, {}
    indexes = set(dossier.documents.values_list("index", flat=True))
    for index, upload in (files or {}).items():
        if not upload:
            continue
        if index not in indexes:
            errors[f"document_{index}"] = [_("This procedure has no such document.")]
            continue
        try:
            checked[index] = attachments.check_one(DOCUMENT_POLICY, upload)
        except attachments.Refused as exc:
            errors[f"document_{index}"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    field = DossierDocument._meta.get_field("file")
    for index, item in checked.items():
        stored = attachments.save(item, field=field)
        dossier.documents.filter(index=index).update(
            received=True,
            file=stored["name"],
            thumbnail=stored["thumbnail"],
            original_name=stored["original_name"],
            content_type=stored["content_type"],
            size=stored["size"],
        )


@attachments.discard_files_on_error
@transaction.atomic
def dossier_supply_additional(
    *,
    actor,
    dossier: Dossier,
    note: str = "",
    received: list[int] = (),
    files: dict | None = None,
    at: datetime.datetime | None = None,
) -> Dossier:
    """The additional documents arrived (at the desk: `received`, their indexes; or online from the
    applicant: `files`, index → upload): the dossier goes back where it was, its due times moved by the
    working hours the clock stood still."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "supply_additional")
    if received:
        dossier.documents.filter(index__in=[int(i) for i in received]).update(received=True)
    _store_documents(dossier, files or {})
    fields = {"paused_at": None, "paused_from": ""}
    if dossier.due_at and dossier.paused_at:
        paused = {"paused_at": dossier.paused_at, "resumed_at": now}
        fields["due_at"] = deadlines.resumed_due(dossier.due_at, **paused)
        for step in dossier.steps.filter(completed_at__isnull=True):
            step.due_at = deadlines.resumed_due(step.due_at, **paused)
            step.save(update_fields=["due_at"])
    target = dossier.paused_from or Status.SUBMITTED
    _move(dossier, target, actor=actor, note=(note or "")[:5000], fields=fields)
    return dossier


@transaction.atomic
def dossier_refuse(*, actor, dossier: Dossier, reason: str, at: datetime.datetime | None = None) -> Dossier:
    """Refuse the dossier with its reason (Mẫu 03)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "refuse")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the refusal.")]})
    fields = {**_late(dossier, now), "refusal_reason": reason[:5000], "paused_at": None}
    _move(dossier, Status.REFUSED, actor=actor, note=reason[:5000], fields=fields)
    return dossier


def _complete(dossier: Dossier, actor, now) -> None:
    DossierStep.objects.filter(dossier=dossier, index=dossier.current_step, completed_at__isnull=True).update(
        completed_at=now, completed_by=actor
    )


@transaction.atomic
def dossier_forward(
    *, actor, dossier: Dossier, deciding_unit_id: int | None = None, at: datetime.datetime | None = None
) -> Dossier:
    """The desk's step done: the dossier goes to the deciding unit's first processing step (another unit's,
    chosen here, when the procedure is received regardless of residence)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "forward")
    fields = {**_late(dossier, now), "current_step": 1}
    if deciding_unit_id and int(deciding_unit_id) != dossier.deciding_unit_id:
        fields["deciding_unit"] = _deciding_unit(deciding_unit_id, dossier.receiving_unit, dossier.procedure)
    _complete(dossier, actor, now)
    unit = fields.get("deciding_unit", dossier.deciding_unit)
    _move(dossier, Status.PROCESSING, actor=actor, note=unit.name, fields=fields)
    return dossier


@transaction.atomic
def dossier_complete_step(*, actor, dossier: Dossier, note: str = "", at: datetime.datetime | None = None) -> Dossier:
    """The current processing step done; after the last one the dossier waits for the leader's approval."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "complete_step")
    _complete(dossier, actor, now)
    last = dossier.current_step >= dossier.last_processing_step
    fields = {**_late(dossier, now), "current_step": dossier.current_step + 1}
    if last:
        _move(dossier, Status.APPROVAL, actor=actor, note=(note or "")[:5000], fields=fields)
    else:
        TIMELINE.record(dossier, actor=actor, action="complete_step", note=(note or "")[:5000], fields=fields)
    return dossier


@transaction.atomic
def dossier_approve(*, actor, dossier: Dossier, note: str = "", at: datetime.datetime | None = None) -> Dossier:
    """The leader approves the result (signs it)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "approve")
    _complete(dossier, actor, now)
    fields = {**_late(dossier, now), "current_step": dossier.current_step + 1}
    _move(dossier, Status.APPROVED, actor=actor, note=(note or "")[:5000], fields=fields)
    return dossier


@attachments.discard_files_on_error
@transaction.atomic
def dossier_return_result(
    *, actor, dossier: Dossier, note: str = "", result_file=None, at: datetime.datetime | None = None
) -> Dossier:
    """The result handed back at the desk (or online, its PDF attached). A dossier completed after its due
    time is late (it stays late whatever happens next)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "return_result")
    fields = {"result_note": (note or "")[:5000]}
    if dossier.due_at and now > dossier.due_at:
        fields["late"] = True
    if result_file:
        checked = attachments.check(RESULT_POLICY, [result_file], field="result_file")[0]
        fields["result_file"] = attachments.save(checked, field=Dossier._meta.get_field("result_file"))["name"]
    DossierStep.objects.filter(dossier=dossier, completed_at__isnull=True).update(completed_at=now, completed_by=actor)
    _move(dossier, Status.RETURNED, actor=actor, note=fields["result_note"], fields=fields)
    return dossier


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier, reason: str = "", at: datetime.datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier (online, or in writing at the desk)."""
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "withdraw")
    _move(dossier, Status.WITHDRAWN, actor=actor, note=(reason or "")[:5000], fields={"paused_at": None})
    return dossier


@transaction.atomic
def dossier_apologise(
    *, actor, dossier: Dossier, reason: str, new_due_at: datetime.datetime, at: datetime.datetime | None = None
) -> Dossier:
    """A dossier past its due time: the apology with its reason and the new date (Mẫu 04), sent to the
    applicant. The dossier stays late whatever happens next; the due time first given is kept."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "apologise")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the delay.")]
    if new_due_at is None or new_due_at <= max(now, dossier.due_at):
        errors["new_due_at"] = [_("The new date must be after the due time and after now.")]
    if errors:
        raise ValidationError(errors)
    fields = {
        "late": True,
        "apology_reason": reason[:5000],
        "apologised_at": now,
        "original_due_at": dossier.due_at,
        "due_at": new_due_at,
    }
    event = TIMELINE.record(dossier, actor=actor, action="apologise", note=reason[:5000], fields=fields)
    notifications.applicant_told(dossier, event)
    return dossier


@transaction.atomic
def dossier_rate(*, actor, dossier: Dossier, rating: int, note: str = "") -> Dossier:
    """The applicant rates the service after the result (1 to 5)."""
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "rate")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Choose a rating from 1 to 5.")]})
    fields = {"rating": rating, "rating_note": (note or "").strip()[:2000]}
    TIMELINE.record(dossier, actor=actor, action="rate", note=fields["rating_note"], fields=fields, public=False)
    return dossier


def dossiers_sweep(*, at: datetime.datetime | None = None, warn_hours: float = 4) -> dict:
    """The periodic check: a running dossier past its due time becomes late (for good), with an event and
    its audit row, and its handlers and the desk are told; one due within `warn_hours` working hours warns
    them (once: the "due_warned" event)."""
    from thongsuot.core import calendar

    now = _now(at)
    counts = {"late": 0, "warned": 0}
    running = Dossier.objects.filter(status__in=RUNNING, late=False, due_at__isnull=False)
    for dossier in running.filter(due_at__lt=now).select_related("procedure"):
        with transaction.atomic():
            locked = _lock(dossier)
            if locked.late or locked.status not in RUNNING:
                continue
            TIMELINE.record(locked, actor="system", action="late", fields={"late": True}, public=False)
        notifications.staff_warned(locked, late=True)
        counts["late"] += 1
    horizon = calendar.add_working_hours(now, warn_hours)
    soon = running.filter(due_at__gte=now, due_at__lte=horizon).exclude(events__action="due_warned")
    for dossier in soon.select_related("procedure"):
        with transaction.atomic():
            TIMELINE.record(dossier, actor="system", action="due_warned", public=False, save=False)
        notifications.staff_warned(dossier, late=False)
        counts["warned"] += 1
    return counts


@transaction.atomic
def dossier_pay(*, actor, dossier: Dossier, at: datetime.datetime | None = None) -> Dossier:
    """The fee: paid at the desk (a desk officer records it) or online by the applicant through the payment
    adapter. Either way an electronic receipt numbered per receiving unit per year (`0000001/2026`)."""
    now = _now(at)
    dossier = _lock(dossier)
    WORKFLOW.require(actor, dossier, "pay")
    online = getattr(actor, "kind", "") == "citizen"
    transaction_id = ""
    if online:
        try:
            transaction_id = payments.backend().charge(
                amount=dossier.fee, reference=dossier.code, payer=dossier.applicant_name
            )
        except payments.PaymentRefused as exc:
            raise ValidationError({"fee": [_("The payment was refused: %(reason)s") % {"reason": exc}]}) from None
    number = next_number(series="procedures:receipt", scope=dossier.receiving_unit.code, period=year_period(now))
    fields = {
        "fee_paid_at": now,
        "fee_channel": "online" if online else "desk",
        "fee_receipt": f"{number:07d}/{year_period(now)}",
        "fee_transaction": transaction_id[:100],
    }
    event = TIMELINE.record(dossier, actor=actor, action="pay", note=fields["fee_receipt"], fields=fields)
    notifications.applicant_told(dossier, event)
    return dossier
