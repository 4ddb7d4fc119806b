"""The procedures API under /api/v1/procedures/: the catalogue (public, like the pages) and the dossiers
(staff: desk intake, the unit's list, a dossier, the workflow's actions)."""

import base64
import binascii
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from thongsuot.core.api_errors import ERRORS, TRANSITION_ERRORS
from thongsuot.procedures import catalogue, selectors, services
from thongsuot.procedures.states import WORKFLOW

router = Router(tags=["procedures"])


class DocumentOut(Schema):
    name: str
    original: bool
    count: int
    mandatory: bool
    form: str = ""


class StepOut(Schema):
    name: str
    body: str
    role: str
    share: int


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    level: str
    time_amount: str
    time_unit: str
    time_note: str
    fee: int
    fee_note: str
    documents: list[DocumentOut]
    legal_basis: str
    result: str
    steps: list[StepOut]
    regardless_of_residence: bool
    online: str
    cutoff_hour: str | None
    active: bool


class ProcedureBrief(Schema):
    code: str
    name: str
    field: str
    level: str


@router.get("/catalogue", response=list[ProcedureBrief], auth=None)
def catalogue_list(request, q: str = "", field: str = "", level: str = "", limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    procedures = selectors.procedure_search(q=q[:200], field=field[:200], level=level[:10])
    return list(procedures.values("code", "name", "field", "level")[offset : offset + limit])


@router.get("/catalogue/{code}", response=ProcedureOut, auth=None)
def catalogue_detail(request, code: str):
    return catalogue.record_of(selectors.procedure_get(code=code))


# Dossiers ---------------------------------------------------------------------------------------------
# Staff only (a token or a session): a unit reads the dossiers it received or must decide, and acts on
# them as the workflow table allows (403 not theirs, 409 not in this state, 400 bad input, 404 unseen).


class ApplicantIn(Schema):
    name: str
    id_number: str
    phone: str
    email: str = ""
    address: str = ""


class IntakeIn(Schema):
    procedure: str  # its code
    applicant: ApplicantIn
    received: list[int] = []  # the indexes of the procedure's documents brought to the desk
    decision: str = "accept"  # accept | request_additional | refuse
    deciding_unit_id: int | None = None
    missing: str = ""
    reason: str = ""


class FileIn(Schema):
    name: str
    content_base64: str


class ActionIn(Schema):
    note: str = ""
    reason: str = ""
    missing: str = ""
    received: list[int] = []
    result_file: FileIn | None = None
    new_due_at: datetime | None = None
    deciding_unit_id: int | None = None
    rating: int | None = None


class DossierDocumentOut(Schema):
    index: int
    name: str
    original: bool
    count: int
    mandatory: bool
    received: bool


class DossierStepOut(Schema):
    index: int
    name: str
    role: str
    due_at: datetime
    completed_at: datetime | None


class DossierOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    receiving_unit_id: int
    deciding_unit_id: int
    channel: str
    status: str
    applicant_name: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    paused_at: datetime | None
    current_step: int
    fee: int
    fee_paid_at: datetime | None
    fee_receipt: str
    missing: str
    refusal_reason: str
    late: bool
    original_due_at: datetime | None
    rating: int | None
    documents: list[DossierDocumentOut] = []
    steps: list[DossierStepOut] = []
    allowed_actions: list[str] = []


def _dossier_out(request, dossier, *, full: bool = True) -> dict:
    data = {name: getattr(dossier, name) for name in DossierOut.model_fields if hasattr(dossier, name)}
    data.update(procedure=dossier.procedure.code, procedure_name=dossier.procedure.name)
    if full:
        data.update(
            documents=list(dossier.documents.all()),
            steps=list(dossier.steps.all()),
            allowed_actions=WORKFLOW.available_actions(request.auth, dossier),
        )
    else:
        data.update(documents=[], steps=[], allowed_actions=[])
    return data


def _file(file: FileIn | None):
    if file is None:
        return None
    try:
        content = base64.b64decode(file.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"result_file": [_("The file is not valid base64.")]}) from None
    return SimpleUploadedFile(file.name[-200:] or "ket-qua.pdf", content)


@router.get("/dossiers", response=list[DossierOut])
def dossier_list(request, status: str = "", q: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    dossiers = selectors.dossier_queue(user=request.auth, status=status[:20], q=q[:100])[offset : offset + limit]
    return [_dossier_out(request, dossier, full=False) for dossier in dossiers]


@router.get("/dossiers/{code}", response={200: DossierOut, **ERRORS})
def dossier_detail(request, code: str):
    return _dossier_out(request, selectors.dossier_get(user=request.auth, code=code))


@router.post("/dossiers", response={201: DossierOut, **ERRORS})
def dossier_create(request, payload: IntakeIn):
    """A dossier received at the caller's one-stop desk (the completeness check, then the decision)."""
    procedure = selectors.procedure_get(code=payload.procedure)
    dossier = services.dossier_intake(
        actor=request.auth,
        procedure=procedure,
        applicant=payload.applicant.dict(),
        received=payload.received,
        decision=payload.decision,
        deciding_unit_id=payload.deciding_unit_id,
        missing=payload.missing,
        reason=payload.reason,
    )
    return Status(201, _dossier_out(request, selectors.dossier_get(user=request.auth, code=dossier.code)))


ACTIONS = {
    "accept": lambda actor, dossier, data: services.dossier_accept(actor=actor, dossier=dossier),
    "request-additional": lambda actor, dossier, data: services.dossier_request_additional(
        actor=actor, dossier=dossier, missing=data.missing
    ),
    "supply-additional": lambda actor, dossier, data: services.dossier_supply_additional(
        actor=actor, dossier=dossier, note=data.note, received=data.received
    ),
    "refuse": lambda actor, dossier, data: services.dossier_refuse(actor=actor, dossier=dossier, reason=data.reason),
    "forward": lambda actor, dossier, data: services.dossier_forward(
        actor=actor, dossier=dossier, deciding_unit_id=data.deciding_unit_id
    ),
    "complete-step": lambda actor, dossier, data: services.dossier_complete_step(
        actor=actor, dossier=dossier, note=data.note
    ),
    "approve": lambda actor, dossier, data: services.dossier_approve(actor=actor, dossier=dossier, note=data.note),
    "return-result": lambda actor, dossier, data: services.dossier_return_result(
        actor=actor, dossier=dossier, note=data.note, result_file=_file(data.result_file)
    ),
    "apologise": lambda actor, dossier, data: services.dossier_apologise(
        actor=actor, dossier=dossier, reason=data.reason, new_due_at=data.new_due_at
    ),
    "pay": lambda actor, dossier, data: services.dossier_pay(actor=actor, dossier=dossier),
    "rate": lambda actor, dossier, data: services.dossier_rate(
        actor=actor, dossier=dossier, rating=data.rating, note=data.note
    ),
    "withdraw": lambda actor, dossier, data: services.dossier_withdraw(
        actor=actor, dossier=dossier, reason=data.reason
    ),
}


@router.post("/dossiers/{code}/{action}", response={200: DossierOut, **TRANSITION_ERRORS})
def dossier_action(request, code: str, action: str, payload: ActionIn):
    """One action of the workflow table: accept, request-additional, supply-additional, refuse, forward,
    complete-step, approve, return-result, apologise, pay, rate, withdraw."""
    dossier = selectors.dossier_get(user=request.auth, code=code)
    if action not in ACTIONS:
        raise Http404("No such action")
    ACTIONS[action](request.auth, dossier, payload)
    return _dossier_out(request, selectors.dossier_get(user=request.auth, code=code))
