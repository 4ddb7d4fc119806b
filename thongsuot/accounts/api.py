from django.core.exceptions import PermissionDenied
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from thongsuot.accounts import selectors, services
from thongsuot.accounts.models import ProvisioningBatch
from thongsuot.accounts.provisioning.reading import StaffListError, read_upload
from thongsuot.core.cleaning import CleanLine

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    organisation_id: int | None
    position: str
    roles: list[str]


class StaffOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    position: str
    organisation_id: int | None
    is_active: bool
    activated: bool
    roles: list[str]


class PlanRowOut(Schema):
    line: int
    action: str
    email: str
    full_name: str
    organisation_id: int | None
    organisation_name: str
    roles: list[str]
    changes: list[str]
    errors: list[str]


class PreviewOut(Schema):
    batch_id: int
    status: str
    summary: dict
    rows: list[PlanRowOut]


@router.get("/me", response=MeOut)
def me(request):
    u = request.auth
    return MeOut(
        username=u.username,
        full_name=u.full_name,
        kind=u.kind,
        organisation_id=u.organisation_id,
        position=u.position,
        roles=sorted(u.role_codes()),
    )


@router.get("/staff", response=list[StaffOut])
def staff(request, organisation_id: int | None = None):
    return [
        StaffOut(
            id=u.pk,
            email=u.email,
            full_name=u.full_name,
            phone=u.phone,
            position=u.position,
            organisation_id=u.organisation_id,
            is_active=u.is_active,
            activated=u.activated_at is not None,
            roles=sorted(r.code for r in u.roles.all()),
        )
        for u in selectors.staff_list(user=request.auth, organisation_id=organisation_id)
    ]


@router.post("/provisioning", response={201: PreviewOut})
def provisioning_upload(request, file: File[UploadedFile], deactivate_missing: Form[bool] = False):
    """Upload a staff list (CSV or XLSX): returns the preview of every row. Nothing changes until apply."""
    try:
        batch, plan = services.provisioning_preview(
            uploader=request.auth,
            data=read_upload(file),
            filename=file.name or "upload",
            deactivate_missing=deactivate_missing,
        )
    except StaffListError as exc:
        raise HttpError(400, str(exc)) from None
    preview = PreviewOut(
        batch_id=batch.pk, status=batch.status, summary=plan.summary, rows=[r.__dict__ for r in plan.rows]
    )
    return Status(201, preview)


@router.post("/provisioning/{batch_id}/apply", response=PreviewOut)
def provisioning_apply(request, batch_id: int, skip_errors: bool = False):
    """Apply a previewed list. Refused while rows have errors, unless skip_errors=true."""
    try:
        batch = selectors.provisioning_batch_get(user=request.auth, batch_id=batch_id)
    except ProvisioningBatch.DoesNotExist:
        raise HttpError(404, "Unknown batch") from None
    plan = services.provisioning_apply(actor=request.auth, batch=batch, skip_errors=skip_errors)
    return PreviewOut(
        batch_id=batch.pk,
        status=ProvisioningBatch.Status.APPLIED,
        summary=plan.summary,
        rows=[r.__dict__ for r in plan.rows],
    )


class TokenIn(Schema):
    name: CleanLine
    days: int = 90


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    expires_at: str
    revoked: bool
    token: str | None = None


@router.post("/tokens", response={201: TokenOut})
def token_create(request, body: TokenIn):
    token, raw = services.api_token_create(user=request.auth, name=body.name, days=body.days)
    out = TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        expires_at=token.expires_at.isoformat(),
        revoked=False,
        token=raw,
    )
    return Status(201, out)


@router.delete("/tokens/{token_id}", response=TokenOut)
def token_revoke(request, token_id: int):
    token = selectors.api_token_list(user=request.auth).filter(pk=token_id).first()
    if token is None:
        raise HttpError(404, "Unknown token")
    try:
        services.api_token_revoke(actor=request.auth, token=token)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return TokenOut(
        id=token.pk, name=token.name, prefix=token.prefix, expires_at=token.expires_at.isoformat(), revoked=True
    )
