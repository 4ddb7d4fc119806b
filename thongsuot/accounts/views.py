from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thongsuot.accounts import access, selectors, services
from thongsuot.accounts.forms import ActivationForm, ApiTokenForm, OtpForm, StaffListUploadForm
from thongsuot.accounts.models import ProvisioningBatch, Role, User
from thongsuot.accounts.provisioning import planning
from thongsuot.accounts.provisioning.reading import StaffListError, read_upload
from thongsuot.core.qr import qr_svg_data_uri


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def activate(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/activate_invalid.html", status=400)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(user=user, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(request, _("Your password is set. Sign in with your email and the new password."))
            return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form, "account": user})


@login_required
def otp_verify(request):
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(request.GET.get("next") or "home")
        form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("home")
        form.add_error("token", _("The code is wrong or has expired."))
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": qr_svg_data_uri(device.config_url), "secret_key": _grouped_key(device.bin_key)},
    )


def _grouped_key(bin_key: bytes) -> str:
    """The TOTP secret as authenticator apps ask for it when typed: base32, in groups of four."""
    import base64

    secret = base64.b32encode(bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def provisioning_upload(request):
    if not access.can_provision(request.user):  # refused before the form is offered, not after the upload
        raise PermissionDenied(
            _("Only unit administrators and the Digital Transformation Centre can provision accounts.")
        )
    form = StaffListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, _plan = services.provisioning_preview(
                uploader=request.user,
                data=read_upload(upload),
                filename=upload.name,
                deactivate_missing=form.cleaned_data["deactivate_missing"],
            )
        except StaffListError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("accounts:provisioning_preview", batch_id=batch.pk)
    return render(request, "accounts/provisioning_upload.html", {"form": form})


def _batch_or_404(request, batch_id):
    try:
        return selectors.provisioning_batch_get(user=request.user, batch_id=batch_id)
    except ProvisioningBatch.DoesNotExist:
        raise Http404 from None


@login_required
def provisioning_preview(request, batch_id: int):
    batch = _batch_or_404(request, batch_id)
    if batch.status == ProvisioningBatch.Status.APPLIED:
        plan = None
    else:
        plan = planning.build_plan(rows=batch.rows, uploader=request.user, deactivate_missing=batch.deactivate_missing)
    show = request.GET.get("show", "")
    role_names = dict(Role.objects.values_list("code", "name"))
    rows = [r for r in plan.rows if not show or r.action == show] if plan else []
    for row in rows:
        row.role_names = [role_names.get(code, code) for code in row.roles]
    context = {"batch": batch, "plan": plan, "rows": rows[:2000], "hidden": max(0, len(rows) - 2000), "show": show}
    template = "accounts/_provisioning_rows.html" if request.htmx else "accounts/provisioning_preview.html"
    return render(request, template, context)


@login_required
@require_POST
def provisioning_apply(request, batch_id: int):
    batch = _batch_or_404(request, batch_id)
    try:
        plan = services.provisioning_apply(
            actor=request.user, batch=batch, skip_errors=bool(request.POST.get("skip_errors"))
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if hasattr(exc, "messages") else str(exc))
        return redirect("accounts:provisioning_preview", batch_id=batch.pk)
    s = plan.summary
    messages.success(
        request,
        _("Applied: %(create)d created, %(update)d updated, %(unchanged)d unchanged, %(deactivate)d deactivated.") % s,
    )
    return redirect("accounts:provisioning_preview", batch_id=batch.pk)


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "raw": raw, "tokens": selectors.api_token_list(user=request.user)},
    )


@login_required
@require_POST
def api_token_revoke(request, token_id: int):
    token = selectors.api_token_list(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_tokens")
