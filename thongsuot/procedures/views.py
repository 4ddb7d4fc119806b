from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.accounts import access
from thongsuot.core.exports import xlsx_response
from thongsuot.procedures import catalogue, deadlines, selectors, services
from thongsuot.procedures.catalogue import BODY_KINDS, STEP_ROLES
from thongsuot.procedures.models import Procedure

SHOWN_ROWS = 500


def catalogue_list(request):
    q, field, level = request.GET.get("q", "")[:200], request.GET.get("field", "")[:200], request.GET.get("level", "")
    procedures = selectors.procedure_search(q=q, field=field, level=level if level in Procedure.Level.values else "")
    page = Paginator(procedures, 25).get_page(request.GET.get("page"))
    can_import = access.has_city_wide_change(request.user)
    return render(
        request,
        "procedures/catalogue_list.html",
        {
            "page": page,
            "q": q,
            "field": field,
            "level": level,
            "fields": selectors.procedure_fields(),
            "levels": Procedure.Level.choices,
            "can_import": can_import,
        },
    )


def catalogue_detail(request, code: str):
    procedure = selectors.procedure_get(code=code)
    now = timezone.now()
    steps = [
        {
            "name": step.name,
            "share": step.share,
            "due_at": step.due_at,
            "body_label": BODY_KINDS[step.body],
            "role_label": STEP_ROLES[step.role],
        }
        for step in deadlines.step_due_times(procedure, now)
    ]
    return render(
        request,
        "procedures/catalogue_detail.html",
        {
            "procedure": procedure,
            "steps": steps,
            "due_at": deadlines.due_at(procedure, now),
        },
    )


def catalogue_export(request):
    rows = (catalogue.workbook_row(procedure) for procedure in selectors.procedures_for_export())
    header = [header for header, _name in catalogue.COLUMNS]
    return xlsx_response(filename="danh-muc-thu-tuc.xlsx", sheet="Thủ tục hành chính", header=header, rows=rows)


@login_required
def import_upload(request):
    services.require_catalogue_admin(request.user)  # refused before the form is offered
    errors = []
    if request.method == "POST":
        try:
            batch = services.catalogue_import_preview(actor=request.user, upload=request.FILES.get("file"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("procedures:import_preview", batch_id=batch.pk)
    return render(request, "procedures/import_upload.html", {"errors": errors}, status=400 if errors else 200)


@login_required
def import_preview(request, batch_id: int):
    batch = selectors.catalogue_import_get(user=request.user, batch_id=batch_id)
    show = request.GET.get("show", "")
    rows = [row for row in batch.rows if not show or row["action"] == show]
    has_errors = any(row["action"] == "error" for row in batch.rows)
    applicable = any(row["action"] in ("create", "update") for row in batch.rows)
    return render(
        request,
        "procedures/import_preview.html",
        {
            "batch": batch,
            "rows": rows[:SHOWN_ROWS],
            "hidden": max(0, len(rows) - SHOWN_ROWS),
            "has_errors": has_errors,
            "applicable": applicable,
            "show": show,
        },
    )


@login_required
@require_POST
def import_apply(request, batch_id: int):
    batch = selectors.catalogue_import_get(user=request.user, batch_id=batch_id)
    try:
        counts = services.catalogue_import_apply(
            actor=request.user, batch=batch, skip_errors=bool(request.POST.get("skip_errors"))
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Applied: %(create)s created, %(update)s updated, %(unchanged)s unchanged.") % counts
        )
    return redirect("procedures:import_preview", batch_id=batch.pk)
