"""The documents API under /api/v1/documents/: list and read documents (scoped like the pages), draft them
with versions, and take the workflow's actions (submit, return, approve, sign, issue). Files travel as
base64 in JSON; a file is downloaded from /documents/{id}/files/{file_id}."""

import base64
import binascii
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from thongsuot.accounts import access
from thongsuot.core.api_errors import ERRORS, TRANSITION_ERRORS
from thongsuot.core.attachments import views as attachment_views
from thongsuot.directory.models import Organisation
from thongsuot.documents import SYSTEM, registers, selectors, services
from thongsuot.documents.models import Document, Instruction
from thongsuot.documents.numbering import today_in_city
from thongsuot.documents.states import WORKFLOW

router = Router(tags=["documents"])


class FileIn(Schema):
    name: str
    content_base64: str


class FileOut(Schema):
    id: int
    version: int
    stage: str
    kind: str
    original_name: str
    size: int


class HandlerOut(Schema):
    user_id: int
    name: str
    lead: bool


class InstructionOut(Schema):
    leader_id: int
    text: str
    deadline: date
    given_at: datetime
    completed_on: date | None
    standing: str
    handlers: list[HandlerOut]


class DocumentOut(Schema):
    id: int
    direction: str
    status: str
    organisation_id: int
    doc_type: str
    regulatory: bool
    number: int | None
    notation: str
    issued_on: date | None
    issuing_body: str
    summary: str
    urgency: str
    confidentiality: str
    page_count: int | None
    signer_name: str
    signer_position: str
    arrival_number: int | None
    arrived_at: datetime | None
    signature_check: str
    signature_detail: str
    recipient_ids: list[int]
    reader_ids: list[int]
    replaces_id: int | None = None
    files: list[FileOut]
    allowed_actions: list[str]
    instruction: InstructionOut | None = None


class DocumentIn(Schema):
    doc_type: str
    summary: str
    urgency: str = ""
    confidentiality: str = ""
    regulatory: bool = False
    drafting_unit: str = ""
    recipient_ids: list[int] = []
    other_recipients: str = ""
    file: FileIn | None = None
    reader_ids: list[int] = []
    replaces_id: int | None = None


class ReadersIn(Schema):
    user_ids: list[int] = []


class ReviseIn(Schema):
    file: FileIn
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class DirectIn(Schema):
    lead_id: int | None = None
    co_handler_ids: list[int] = []
    working_days: int | None = None
    instruction: str = ""


def _instruction(document: Document) -> dict | None:
    instruction = Instruction.objects.filter(document=document).first()
    if instruction is None:
        return None
    return {
        "leader_id": instruction.leader_id,
        "text": instruction.text,
        "deadline": instruction.deadline,
        "given_at": instruction.given_at,
        "completed_on": instruction.completed_on,
        "standing": selectors.standing(instruction, today_in_city()),
        "handlers": [
            {"user_id": h.user_id, "name": h.user.full_name, "lead": h.lead}
            for h in instruction.handlers.select_related("user")
        ],
    }


def _upload(file: FileIn | None):
    if file is None:
        return None
    try:
        content = base64.b64decode(file.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"file": [_("The file is not valid base64.")]}) from None
    return SimpleUploadedFile(file.name[-200:] or "van-ban", content)


def _out(request, document: Document) -> dict:
    return {
        **{field: getattr(document, field) for field in DocumentOut.model_fields if hasattr(document, field)},
        "recipient_ids": [org.pk for org in document.recipients.all()],
        "reader_ids": [user.pk for user in document.readers.all()] if document.secret else [],
        "files": list(document.files.all()),
        "allowed_actions": WORKFLOW.available_actions(request.auth, document),
        "instruction": _instruction(document),
    }


def _get(request, pk: int) -> Document:
    try:
        return selectors.document_get(request.auth, pk)
    except Document.DoesNotExist:
        raise Http404(_("No such document.")) from None


@router.get("/documents", response=list[DocumentOut])
def document_list(
    request,
    direction: str = "",
    status: str = "",
    q: str = "",
    doc_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The documents the caller may see; `q` searches summary, notation, issuing body and the file's text
    with or without diacritics (quote a phrase), or is an exact number and notation."""
    documents = selectors.document_list(
        request.auth,
        direction=direction,
        status=status,
        q=q,
        doc_type=doc_type,
        date_from=date_from,
        date_to=date_to,
    )[:200]
    return [_out(request, document) for document in documents]


@router.get("/incoming-queue", response=list[DocumentOut])
def incoming_queue(request):
    return [_out(request, document) for document in selectors.incoming_queue(request.auth)[:200]]


@router.get("/follow-up", response=list[DocumentOut])
def follow_up(request, standing: str = "", mine: bool = False):
    """Directed documents by deadline; standing: due_soon, overdue, in_time, done_on_time, done_late."""
    documents = selectors.follow_up(request.auth, standing=standing, mine=mine)[:200]
    return [_out(request, document) for document in documents]


@router.get("/documents/{pk}", response={200: DocumentOut, **ERRORS})
def document_detail(request, pk: int):
    return _out(request, _get(request, pk))


@router.get("/documents/{pk}/files/{file_id}", url_name="documents_file")
def document_file(request, pk: int, file_id: int):
    document = _get(request, pk)
    return attachment_views.file_response(get_object_or_404(document.files, pk=file_id))


@router.post("/documents", response={201: DocumentOut, **ERRORS})
def document_create(request, payload: DocumentIn):
    document = services.document_create(
        actor=request.auth,
        doc_type=payload.doc_type,
        summary=payload.summary,
        urgency=payload.urgency,
        confidentiality=payload.confidentiality,
        regulatory=payload.regulatory,
        drafting_unit=payload.drafting_unit,
        recipients=payload.recipient_ids,
        other_recipients=payload.other_recipients,
        file=_upload(payload.file),
        readers=payload.reader_ids,
        replaces=payload.replaces_id,
    )
    return Status(201, _out(request, _get(request, document.pk)))


@router.post("/documents/{pk}/revise", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_revise(request, pk: int, payload: ReviseIn):
    document = _get(request, pk)
    services.document_revise(actor=request.auth, document=document, file=_upload(payload.file), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/submit", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_submit(request, pk: int, payload: NoteIn):
    services.document_submit(actor=request.auth, document=_get(request, pk), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/return", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_return(request, pk: int, payload: ReasonIn):
    services.document_return(actor=request.auth, document=_get(request, pk), reason=payload.reason)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/approve", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_approve(request, pk: int, payload: NoteIn):
    services.document_approve(actor=request.auth, document=_get(request, pk), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/sign", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_sign(request, pk: int):
    services.document_sign(actor=request.auth, document=_get(request, pk))
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/issue", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_issue(request, pk: int):
    services.document_issue(actor=request.auth, document=_get(request, pk))
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/register", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_register(request, pk: int):
    services.document_register(actor=request.auth, document=_get(request, pk))
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/send-back", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_send_back(request, pk: int, payload: ReasonIn):
    services.document_send_back(actor=request.auth, document=_get(request, pk), reason=payload.reason)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/direct", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_direct(request, pk: int, payload: DirectIn):
    services.document_direct(
        actor=request.auth,
        document=_get(request, pk),
        lead_id=payload.lead_id,
        co_handler_ids=payload.co_handler_ids,
        working_days=payload.working_days,
        instruction=payload.instruction,
    )
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/progress", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_progress(request, pk: int, payload: NoteIn):
    services.document_progress(actor=request.auth, document=_get(request, pk), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/complete", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_complete(request, pk: int, payload: NoteIn):
    services.document_complete(actor=request.auth, document=_get(request, pk), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/recall", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_recall(request, pk: int, payload: ReasonIn):
    """The issuing unit's leader recalls an issued document (every copy on the platform is told)."""
    services.document_recall(actor=request.auth, document=_get(request, pk), reason=payload.reason)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/confirm-recall", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_confirm_recall(request, pk: int, payload: NoteIn):
    """The receiving clerk confirms a recalled document withdrawn."""
    services.document_confirm_recall(actor=request.auth, document=_get(request, pk), note=payload.note)
    return _out(request, _get(request, pk))


@router.post("/documents/{pk}/readers", response={200: DocumentOut, **TRANSITION_ERRORS})
def document_name_readers(request, pk: int, payload: ReadersIn):
    """Name more people on a secret document (only they, and those already named, see it)."""
    services.document_name_readers(actor=request.auth, document=_get(request, pk), user_ids=payload.user_ids)
    return _out(request, _get(request, pk))


class RegisterOut(Schema):
    kind: str
    title: str
    organisation_id: int
    columns: list[str]
    rows: list[list]


@router.get("/registers/{kind}", response={200: RegisterOut, **ERRORS})
def register(
    request,
    kind: str,
    date_from: date,
    date_to: date,
    secret: bool = False,
    organisation_id: int | None = None,
    format: str = "json",
):
    """A register of NĐ 30 Phụ lục IV (incoming, outgoing, tracking) of a unit for a period, as JSON, XLSX
    (`format=xlsx`) or PDF (`format=pdf`); only the documents the caller may see."""
    errors = {}
    if kind not in registers.REGISTERS:
        errors["kind"] = [_("Choose incoming, outgoing or tracking.")]
    if date_to < date_from:
        errors["date_to"] = [_("The end of the period is before its start.")]
    elif (date_to - date_from).days > 366:
        errors["date_to"] = [_("A register covers at most a year.")]
    if format not in ("json", "xlsx", "pdf"):
        errors["format"] = [_("Choose json, xlsx or pdf.")]
    if errors:
        raise ValidationError(errors)
    organisation_id = organisation_id or request.auth.organisation_id
    if not access.can_view_organisation(request.auth, organisation_id, system=SYSTEM):
        raise Http404(_("No such organisation."))
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    rows = registers.register_rows(
        request.auth, kind=kind, organisation_id=organisation.pk, date_from=date_from, date_to=date_to, secret=secret
    )
    if format != "json":
        return registers.register_file(
            kind=kind,
            organisation=organisation,
            date_from=date_from,
            date_to=date_to,
            rows=rows,
            secret=secret,
            fmt=format,
        )
    columns = [str(column) for column in registers.REGISTERS[kind].columns]
    title = str(registers.REGISTERS[kind].title)
    return {"kind": kind, "title": title, "organisation_id": organisation.pk, "columns": columns, "rows": rows}


# Work files (hồ sơ công việc) ------------------------------------------------------------------------


class WorkFileOut(Schema):
    id: int
    organisation_id: int
    owner_id: int
    year: int
    code: str
    title: str
    retention: str
    opened_at: datetime
    closed_at: datetime | None
    archive_due: date | None
    document_ids: list[int]


class WorkFileIn(Schema):
    code: str = ""
    title: str = ""
    retention: str = ""


class WorkFileDocumentIn(Schema):
    document_id: int


def _workfile_out(request, workfile) -> dict:
    return {
        **{field: getattr(workfile, field) for field in WorkFileOut.model_fields if hasattr(workfile, field)},
        "document_ids": [d.pk for d in selectors.workfile_documents(request.auth, workfile)],
    }


def _workfile(request, pk: int):
    return get_object_or_404(selectors.workfiles_for(request.auth), pk=pk)


@router.get("/workfiles", response=list[WorkFileOut])
def workfile_list(request, year: int | None = None):
    """The work files of the caller's unit (the year's catalogue when `year` is given)."""
    return [_workfile_out(request, workfile) for workfile in selectors.workfiles_for(request.auth, year=year)[:500]]


@router.post("/workfiles", response={201: WorkFileOut, **ERRORS})
def workfile_open(request, payload: WorkFileIn):
    workfile = services.workfile_open(
        actor=request.auth, code=payload.code, title=payload.title, retention=payload.retention
    )
    return Status(201, _workfile_out(request, workfile))


@router.get("/workfiles/{pk}", response={200: WorkFileOut, **ERRORS})
def workfile_detail(request, pk: int, format: str = "json"):
    """A work file; `format=xlsx` or `pdf`: the index of its documents in chronological order."""
    workfile = _workfile(request, pk)
    if format in ("xlsx", "pdf"):
        return registers.workfile_file(workfile, registers.workfile_rows(request.auth, workfile), fmt=format)
    return _workfile_out(request, workfile)


@router.post("/workfiles/{pk}/documents", response={200: WorkFileOut, **ERRORS})
def workfile_add(request, pk: int, payload: WorkFileDocumentIn):
    workfile = _workfile(request, pk)
    document = _get(request, payload.document_id)
    return _workfile_out(request, services.workfile_add(actor=request.auth, workfile=workfile, document=document))


@router.post("/workfiles/{pk}/close", response={200: WorkFileOut, **ERRORS})
def workfile_close(request, pk: int):
    return _workfile_out(request, services.workfile_close(actor=request.auth, workfile=_workfile(request, pk)))
