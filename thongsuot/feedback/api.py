"""Staff JSON API of the feedback system: list (scoped), detail, and one POST per transition."""

import base64
import binascii
from datetime import date, datetime
from functools import wraps

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import HttpError

from thongsuot.core.api_errors import ERRORS, TRANSITION_ERRORS
from thongsuot.core.attachments import views as attachment_views
from thongsuot.core.cleaning import CleanLine, CleanText
from thongsuot.core.middleware import client_ip_of
from thongsuot.directory.selectors import organisation_by_code, organisation_get
from thongsuot.feedback import escalations as escalations_read
from thongsuot.feedback import selectors, services
from thongsuot.feedback.models import Category, Channel, Report

router = Router(tags=["feedback"])


class ReportOut(Schema):
    code: str
    status: str
    channel: str
    category: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    resolved_unit_id: int | None
    organisation_id: int | None
    received_at: datetime
    forwarded_at: datetime | None
    due_date: date | None
    resolved_at: datetime | None
    overdue: bool
    rating: int | None

    @staticmethod
    def resolve_category(obj):
        return obj.category.code


class EventOut(Schema):
    at: datetime
    action: str
    from_status: str
    to_status: str
    note: str
    public: bool
    actor: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_label


class AttachmentOut(Schema):
    id: int
    stage: str
    content_type: str
    name: str
    size: int
    public: bool
    url: str
    source_url: str  # where a worker downloaded it from (an Open311 media_url); empty for files sent

    @staticmethod
    def resolve_name(obj):
        return obj.original_name

    @staticmethod
    def resolve_url(obj, context):
        path = reverse("api:feedback_attachment", kwargs={"code": obj.report.code, "pk": obj.pk})
        return context["request"].build_absolute_uri(path)


class ReportDetailOut(ReportOut):
    contact_name: str
    contact_phone: str
    contact_email: str
    resolution: str
    reject_reason: str
    merged_into: str | None
    events: list[EventOut]
    attachments: list[AttachmentOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_merged_into(obj):
        return obj.merged_into.code if obj.merged_into_id else None

    @staticmethod
    def resolve_events(obj):
        return list(selectors.report_timeline(report=obj))

    @staticmethod
    def resolve_attachments(obj):
        return list(selectors.report_attachments(report=obj))

    @staticmethod
    def resolve_allowed_actions(obj, context):
        return selectors.available_actions(user=context["request"].auth, report=obj)


class PageOut(Schema):
    count: int
    page: int
    results: list[ReportOut]


class NoteIn(Schema):
    note: CleanText = ""


class ReportIn(Schema):
    """A report an operator takes down (a call to 1022, an e-mail, a letter): stored at once."""

    category: str  # its code (or id)
    description: CleanText
    contact_name: CleanLine
    contact_phone: str = ""
    contact_email: str = ""
    address: CleanLine = ""
    latitude: float | None = None
    longitude: float | None = None
    channel: str = Channel.HOTLINE


class VerifyIn(NoteIn):
    category: str | None = None


class RejectIn(NoteIn):
    reason: CleanLine


class AssignIn(NoteIn):
    organisation_id: int


class ReasonIn(Schema):
    reason: CleanText = ""


class PhotoIn(Schema):
    """A photo (JPEG, PNG, WebP) or one short MP4 video: its file name and its bytes in base64. The type is
    read from the bytes, as for every upload."""

    name: str
    content_base64: str


class ProgressIn(Schema):
    note: CleanText = ""
    committed_date: date | None = None
    photos: list[PhotoIn] = []


class ResolveIn(Schema):
    resolution: CleanText = ""
    photos: list[PhotoIn] = []


def _files(photos: list[PhotoIn]) -> list[SimpleUploadedFile]:
    files = []
    for number, photo in enumerate(photos, start=1):
        try:
            content = base64.b64decode(photo.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"photos": [_("Photo %(n)d is not valid base64.") % {"n": number}]}) from None
        files.append(SimpleUploadedFile(photo.name[-200:] or f"photo-{number}", content))
    return files


def _photos_named(view):
    """The services name the files "attachments", as the pages do; the API's field is "photos"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "attachments" in exc.error_dict:
                errors = exc.message_dict
                errors["photos"] = errors.pop("attachments")
                raise ValidationError(errors) from exc
            raise

    return wrapper


class PublishIn(Schema):
    public_description: CleanText = ""


class ExtendIn(Schema):
    reason: CleanText = ""
    new_date: date


class DecideIn(Schema):
    extension_id: int
    approve: bool
    note: CleanText = ""


class MergeIn(NoteIn):
    into: str


class HideIn(Schema):
    reason: CleanText = ""
    hidden: bool = True


def _detail(request, report: Report) -> Report:
    """The report as the caller now sees it (re-read through the scope)."""
    return selectors.report_get(user=request.auth, code=report.code)


def _get(request, code) -> Report:
    return selectors.report_get(user=request.auth, code=code)


class CategoryOut(Schema):
    code: str
    name: str
    responsible: str
    department_code: str
    handling_days: int
    is_active: bool


class CategoryIn(Schema):
    code: str
    name: str
    responsible: str = Category.Responsible.COMMUNE
    department_code: str = ""
    handling_days: int = 5
    is_active: bool = True


@router.get("/categories", response=list[CategoryOut])
def category_list(request):
    """Every category, active or not, with who is responsible and its working days."""
    return list(selectors.categories_all())


def _category_save(request, payload: CategoryIn, category: Category | None) -> Category:
    data = payload.dict()
    code = data.pop("department_code")
    department = organisation_by_code(code)
    if code and department is None:
        raise HttpError(400, f"department_code: {code}")
    return services.category_save(actor=request.auth, category=category, department=department, **data)


@router.post("/categories", response={201: CategoryOut, **ERRORS})
def category_create(request, payload: CategoryIn):
    return HttpStatus(201, _category_save(request, payload, None))


@router.put("/categories/{code}", response={200: CategoryOut, **ERRORS})
def category_update(request, code: str, payload: CategoryIn):
    return _category_save(request, payload, selectors.category_get(code=code))


class UnitEscalationOut(Schema):
    organisation_id: int
    organisation: str
    overdue: int
    due_soon: int
    oldest_due: date | None


class EscalationsOut(Schema):
    units: list[UnitEscalationOut]
    overdue: list[ReportOut]
    waiting_for_routing: list[ReportOut]


@router.get("/escalations", response=EscalationsOut)
def escalations(request):
    """Overdue reports, units with reports falling due, and reports waiting too long for routing (scoped)."""
    user = request.auth
    return {
        "units": escalations_read.escalation_by_unit(user=user),
        "overdue": list(escalations_read.overdue_reports(user=user)[:500]),
        "waiting_for_routing": list(escalations_read.waiting_for_routing(user=user)[:500]),
    }


@router.get("/reports", response=PageOut)
def report_list(request, status: str | None = None, q: str = "", page: int = 1, page_size: int = 50):
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    qs = selectors.report_list(user=request.auth, status=status, q=q).order_by("-received_at", "-id")
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "results": list(qs[start : start + page_size])}


@router.post("/reports", response={201: ReportDetailOut, **ERRORS})
def report_create(request, payload: ReportIn):
    """Enter a report for a citizen (1022 operators): numbered, located and due-dated like the hotline
    screen's; errors name the field."""
    report = services.report_submit(**payload.dict(), actor=request.auth, client_ip=client_ip_of(request))
    return HttpStatus(201, _detail(request, report))


@router.get("/reports/{code}", response={200: ReportDetailOut, **ERRORS})
def report_detail(request, code: str):
    return _detail(request, _get(request, code))


@router.get("/reports/{code}/attachments/{pk}", url_name="feedback_attachment")
def attachment(request, code: str, pk: int):
    """A file of a report the caller may see (the same scope as the report)."""
    report = _get(request, code)
    item = selectors.report_attachment(report=report, pk=pk)
    return attachment_views.file_response(item, thumbnail=request.GET.get("v") == "thumb")


@router.post("/reports/{code}/verify", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def verify(request, code: str, payload: VerifyIn):
    category = selectors.category_get(code=payload.category) if payload.category else None
    report = services.report_verify(
        actor=request.auth, report=_get(request, code), category=category, note=payload.note
    )
    return _detail(request, report)


@router.post("/reports/{code}/reject", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def reject(request, code: str, payload: RejectIn):
    report = services.report_reject(
        actor=request.auth, report=_get(request, code), reason=payload.reason, note=payload.note
    )
    return _detail(request, report)


@router.post("/reports/{code}/assign", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def assign(request, code: str, payload: AssignIn):
    organisation = organisation_get(payload.organisation_id)
    report = services.report_assign(
        actor=request.auth, report=_get(request, code), organisation=organisation, note=payload.note
    )
    return _detail(request, report)


@router.post("/reports/{code}/accept", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def accept(request, code: str, payload: NoteIn):
    return _detail(request, services.report_accept(actor=request.auth, report=_get(request, code), note=payload.note))


@router.post("/reports/{code}/return", response={200: ReportDetailOut | None, **TRANSITION_ERRORS})
def return_(request, code: str, payload: ReasonIn):
    services.report_return(actor=request.auth, report=_get(request, code), reason=payload.reason)
    # the unit no longer sees a report it returned
    report = selectors.report_find(user=request.auth, code=code)
    return _detail(request, report) if report else None


@router.post("/reports/{code}/progress", response={200: ReportDetailOut, **TRANSITION_ERRORS})
@_photos_named
def progress(request, code: str, payload: ProgressIn):
    report = services.report_update_progress(
        actor=request.auth,
        report=_get(request, code),
        note=payload.note,
        committed_date=payload.committed_date,
        files=_files(payload.photos),
    )
    return _detail(request, report)


@router.post("/reports/{code}/resolve", response={200: ReportDetailOut, **TRANSITION_ERRORS})
@_photos_named
def resolve(request, code: str, payload: ResolveIn):
    report = services.report_resolve(
        actor=request.auth, report=_get(request, code), resolution=payload.resolution, files=_files(payload.photos)
    )
    return _detail(request, report)


@router.post("/reports/{code}/publish", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def publish(request, code: str, payload: PublishIn):
    report = services.report_publish(
        actor=request.auth, report=_get(request, code), public_description=payload.public_description
    )
    return _detail(request, report)


@router.post("/reports/{code}/extend", response={201: dict, **TRANSITION_ERRORS})
def extend(request, code: str, payload: ExtendIn):
    extension = services.report_extend(
        actor=request.auth, report=_get(request, code), reason=payload.reason, new_date=payload.new_date
    )
    return HttpStatus(
        201, {"extension_id": extension.pk, "decision": extension.decision, "new_date": extension.new_date}
    )


@router.post("/reports/{code}/extension-decide", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def extension_decide(request, code: str, payload: DecideIn):
    report = _get(request, code)
    extension = selectors.report_extension(report=report, pk=payload.extension_id)
    services.extension_decide(actor=request.auth, extension=extension, approve=payload.approve, note=payload.note)
    return _detail(request, report)


@router.post("/reports/{code}/merge", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def merge(request, code: str, payload: MergeIn):
    into = _get(request, payload.into)
    report = services.report_merge(actor=request.auth, report=_get(request, code), into=into, note=payload.note)
    return _detail(request, report)


@router.post("/reports/{code}/hide", response={200: ReportDetailOut, **TRANSITION_ERRORS})
def hide(request, code: str, payload: HideIn):
    report = services.report_hide(
        actor=request.auth, report=_get(request, code), reason=payload.reason, hidden=payload.hidden
    )
    return _detail(request, report)
