"""The dossiers' pages: the desk's queue, intake form and dossier page with the actions the workflow table
offers; a citizen's online submission and own dossiers; the public lookup by code and phone digits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.accounts.decorators import staff_required
from thongsuot.core.forms import apply_errors
from thongsuot.procedures import selectors, services
from thongsuot.procedures.forms import ActionForm, IntakeForm, LookupForm, OnlineForm
from thongsuot.procedures.models import Procedure
from thongsuot.procedures.states import WORKFLOW, Status


@staff_required
def queue(request):
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    q = request.GET.get("q", "")[:100]
    dossiers = selectors.dossier_queue(user=request.user, status=status, q=q)
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/dossier_queue.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": Status.choices,
            "may_receive": selectors.may_receive(request.user),
        },
    )


@staff_required
def intake(request):
    if not selectors.may_receive(request.user):
        raise PermissionDenied(_("Only a one-stop desk officer may receive a dossier."))
    code = request.GET.get("thu_tuc") or request.POST.get("thu_tuc") or ""
    procedure = Procedure.objects.filter(code=code, active=True).first() if code else None
    if procedure is None:
        procedures = selectors.procedure_search(q=request.GET.get("q", "")[:200])[:50]
        return render(
            request, "procedures/dossier_choose.html", {"procedures": procedures, "q": request.GET.get("q", "")}
        )
    form = IntakeForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data.get("deciding_unit")
        try:
            dossier = services.dossier_intake(
                actor=request.user,
                procedure=procedure,
                applicant=form.applicant(),
                received=[int(i) for i in form.cleaned_data["received"]],
                decision=form.cleaned_data["decision"],
                deciding_unit_id=unit.pk if unit else None,
                missing=form.cleaned_data["missing"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Dossier %(code)s recorded.") % {"code": dossier.code})
            return redirect("procedures:dossier", code=dossier.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "procedures/dossier_intake.html", {"form": form, "procedure": procedure}, status=status)


@login_required
def detail(request, code):
    dossier = selectors.dossier_get(user=request.user, code=code)
    return render(
        request,
        "procedures/dossier_detail.html",
        {
            "dossier": dossier,
            "documents": dossier.documents.all(),
            "steps": dossier.steps.all(),
            "events": dossier.events.all() if request.user.kind == "staff" else dossier.events.filter(public=True),
            "actions": WORKFLOW.available_actions(request.user, dossier),
            "form": ActionForm(initial={"deciding_unit": dossier.deciding_unit_id}),
        },
    )


ACTIONS = {
    "accept": lambda user, dossier, data, files: services.dossier_accept(actor=user, dossier=dossier),
    "request_additional": lambda user, dossier, data, files: services.dossier_request_additional(
        actor=user, dossier=dossier, missing=data["missing"]
    ),
    "supply_additional": lambda user, dossier, data, files: services.dossier_supply_additional(
        actor=user,
        dossier=dossier,
        note=data["note"],
        received=data["received"],
        files={int(name[9:]): f for name, f in files.items() if name.startswith("document_") and name[9:].isdigit()},
    ),
    "refuse": lambda user, dossier, data, files: services.dossier_refuse(
        actor=user, dossier=dossier, reason=data["reason"]
    ),
    "forward": lambda user, dossier, data, files: services.dossier_forward(
        actor=user, dossier=dossier, deciding_unit_id=data["deciding_unit"]
    ),
    "complete_step": lambda user, dossier, data, files: services.dossier_complete_step(
        actor=user, dossier=dossier, note=data["note"]
    ),
    "approve": lambda user, dossier, data, files: services.dossier_approve(
        actor=user, dossier=dossier, note=data["note"]
    ),
    "return_result": lambda user, dossier, data, files: services.dossier_return_result(
        actor=user, dossier=dossier, note=data["note"], result_file=files.get("result_file")
    ),
    "apologise": lambda user, dossier, data, files: services.dossier_apologise(
        actor=user, dossier=dossier, reason=data["reason"], new_due_at=data["new_due_at"]
    ),
    "pay": lambda user, dossier, data, files: services.dossier_pay(actor=user, dossier=dossier),
    "rate": lambda user, dossier, data, files: services.dossier_rate(
        actor=user, dossier=dossier, rating=data["rating"], note=data["note"]
    ),
    "withdraw": lambda user, dossier, data, files: services.dossier_withdraw(
        actor=user, dossier=dossier, reason=data["reason"]
    ),
}


@login_required
@require_POST
def act(request, code, command):
    dossier = selectors.dossier_get(user=request.user, code=code)
    if command not in ACTIONS:
        raise Http404("No such action")
    form = ActionForm(request.POST, request.FILES)
    form.is_valid()
    data = {name: form.cleaned_data.get(name, "") for name in ("note", "reason", "missing")}
    unit = form.cleaned_data.get("deciding_unit")
    data.update(
        received=[int(i) for i in request.POST.getlist("received") if i.isdigit()],
        new_due_at=form.cleaned_data.get("new_due_at"),
        rating=form.cleaned_data.get("rating"),
        deciding_unit=unit.pk if unit else None,
    )
    try:
        ACTIONS[command](request.user, dossier, data, request.FILES)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role does not allow this action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("procedures:dossier", code=dossier.code)


@login_required
def submit_online(request, code):
    procedure = selectors.procedure_get(code=code)
    if request.user.kind != "citizen":
        raise PermissionDenied(_("Sign in with a citizen account to submit a dossier online."))
    if procedure.online == Procedure.Online.NONE:
        raise Http404("This procedure is not online")
    initial = {"applicant_name": request.user.full_name, "applicant_phone": request.user.phone}
    form = OnlineForm(request.POST or None, request.FILES or None, procedure=procedure, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_submit(
                actor=request.user,
                procedure=procedure,
                receiving_unit=form.cleaned_data["receiving_unit"],
                applicant=form.applicant(),
                files=form.files_by_index(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your dossier was sent: its code is %(code)s.") % {"code": dossier.code})
            return redirect("procedures:dossier", code=dossier.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "procedures/dossier_online.html", {"form": form, "procedure": procedure}, status=status)


@login_required
def my_dossiers(request):
    if request.user.kind != "citizen":
        return redirect("procedures:queue")
    return render(request, "procedures/dossier_mine.html", {"dossiers": selectors.dossiers_visible(user=request.user)})


def lookup(request):
    """Anyone: a dossier's progress from its code and the last four digits of the applicant's phone."""
    from thongsuot.core.request_context import client_ip
    from thongsuot.procedures import lookup_limits

    form = LookupForm(request.GET or None)
    dossier, not_found, blocked = None, False, False
    if request.GET and form.is_valid():
        code, ip = form.cleaned_data["code"], client_ip()
        blocked = lookup_limits.blocked(code, ip)
        if not blocked:
            dossier = selectors.dossier_lookup(code=code, phone_check=form.cleaned_data["phone"])
            not_found = dossier is None
            if not_found:
                lookup_limits.failed(code, ip)
    return render(
        request,
        "procedures/dossier_lookup.html",
        {
            "form": form,
            "dossier": dossier,
            "not_found": not_found,
            "blocked": blocked,
            "events": dossier.events.filter(public=True) if dossier else [],
        },
    )


@login_required
def result_file(request, code):
    """The result's file, to those who may see the dossier (its applicant among them)."""
    from django.http import FileResponse

    dossier = selectors.dossier_get(user=request.user, code=code)
    if not dossier.result_file:
        raise Http404("No result file")
    return FileResponse(dossier.result_file.open("rb"), as_attachment=True, filename=f"ket-qua-{dossier.code}.pdf")


@login_required
def form_pdf(request, code, number):
    """A form of TT 03/2025 for the dossier, when the workflow reached it: 01 once received, 02 once
    additional documents were asked for, 03 once refused."""
    from urllib.parse import urlencode

    from thongsuot.core.reporting.pdf import pdf_response
    from thongsuot.procedures import slips

    dossier = selectors.dossier_get(user=request.user, code=code)
    if number == "01" and dossier.received_at:
        lookup = request.build_absolute_uri(reverse("procedures:lookup")) + "?" + urlencode({"code": dossier.code})
        content = slips.receipt_pdf(dossier, lookup_url=lookup)
    elif number == "02" and dossier.additional_requests:
        content = slips.additional_request_pdf(dossier)
    elif number == "03" and dossier.status == Status.REFUSED:
        content = slips.refusal_pdf(dossier)
    elif number == "04" and dossier.apologised_at:
        content = slips.apology_pdf(dossier)
    elif number == "bien-lai" and dossier.fee_receipt:
        content = slips.fee_receipt_pdf(dossier)
    elif number == "06" and dossier.received_at:
        content = slips.control_slip_pdf(dossier)
    else:
        raise Http404("This form does not apply to the dossier")
    return pdf_response(content, filename=f"mau-{number}-{dossier.code}.pdf")


@staff_required
def tracking_log(request, fmt):
    """Mẫu 07, the tracking log of the dossiers the user's unit received or decides, for a period (this
    month by default), as XLSX or PDF."""
    import datetime

    from django.utils import timezone

    from thongsuot.core.exports import xlsx_response
    from thongsuot.core.reporting.pdf import pdf_response, table_pdf
    from thongsuot.procedures import tracking

    if fmt not in ("xlsx", "pdf"):
        raise Http404("No such format")
    today = timezone.localdate()
    try:
        first = (
            datetime.date.fromisoformat(request.GET.get("tu", "")) if request.GET.get("tu") else today.replace(day=1)
        )
        last = datetime.date.fromisoformat(request.GET.get("den", "")) if request.GET.get("den") else today
    except ValueError:
        raise Http404("Bad dates") from None
    dossiers = tracking.period_dossiers(selectors.dossiers_visible(user=request.user), first=first, last=last)[:5000]
    rows = tracking.rows(dossiers)
    name = f"so-theo-doi-ho-so-{first:%Y%m%d}-{last:%Y%m%d}"
    if fmt == "xlsx":
        return xlsx_response(filename=f"{name}.xlsx", sheet="Sổ theo dõi hồ sơ", header=tracking.HEADER, rows=rows)
    unit = request.user.organisation.name if request.user.organisation_id else ""
    content = table_pdf(
        title="SỔ THEO DÕI HỒ SƠ (Mẫu số 07 - Thông tư 03/2025/TT-VPCP)",
        lines=[unit, f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"],
        header=tracking.HEADER,
        rows=rows,
        widths=tracking.WIDTHS,
        system="Thủ tục hành chính",
    )
    return pdf_response(content, filename=f"{name}.pdf")
