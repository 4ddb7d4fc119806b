"""Staff pages: the dispatcher queue, a unit's list, a report with its allowed actions, hotline entry.

Every action form posts to `act`, which calls exactly one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.accounts import access
from thongsuot.accounts.decorators import staff_required
from thongsuot.core.forms import apply_errors
from thongsuot.core.middleware import client_ip_of
from thongsuot.feedback import SYSTEM, forms, selectors, services, states
from thongsuot.feedback import escalations as escalations_read
from thongsuot.feedback.states import Status


@staff_required
def home(request):
    """The unit's reports (all reports for the city), filterable by status, text and handling unit: the
    open ones first (the overdue first, then by due date, the soonest first), then the finished ones."""
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")[:200]
    organisation = request.GET.get("organisation", "")
    organisation_id = int(organisation) if organisation.isdecimal() else None
    reports = selectors.report_list(
        user=request.user, status=status if status in Status.values else None, q=q, organisation_id=organisation_id
    ).order_by(
        Case(When(status__in=states.OPEN, then=Value(0)), default=Value(1)),
        "-overdue",
        F("due_date").asc(nulls_last=True),
        "received_at",
    )
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "q": q,
        "organisation_id": organisation_id,
        "statuses": Status.choices,
        "dispatcher": access.has_city_wide_view(request.user, system=SYSTEM),
    }
    return render(request, "feedback/staff/home.html", context)


@staff_required
def escalations(request):
    """The escalation list: overdue reports and units with reports falling due, worst first."""
    context = {
        "units": escalations_read.escalation_by_unit(user=request.user),
        "page": Paginator(escalations_read.overdue_reports(user=request.user), 50).get_page(request.GET.get("page")),
        "waiting": escalations_read.waiting_for_routing(user=request.user)[:50],
        "target_minutes": int(escalations_read.FORWARDING_TARGET.total_seconds() // 60),
        "backlog": selectors.pending_submissions_stalled()
        if access.has_city_wide_view(request.user, system=SYSTEM)
        else None,
    }
    return render(request, "feedback/staff/escalations.html", context)


@staff_required
def queue(request):
    if not access.has_city_wide_view(request.user, system=SYSTEM):
        raise PermissionDenied(_("The queue is for the 1022 dispatchers."))
    page = Paginator(selectors.dispatch_queue(user=request.user), 20).get_page(request.GET.get("page"))
    duplicates = selectors.reports_duplicates(user=request.user, reports=list(page), limit=3)
    targets = selectors.routing_target_list()
    rows = []
    for report in page:
        suggested = selectors.suggested_organisation(report)
        rows.append(
            {
                "report": report,
                "assign_form": forms.AssignForm(
                    initial={"organisation": suggested}, prefix=report.code, targets=targets
                ),
                "suggested": suggested,
                "duplicates": duplicates[report.pk],
            }
        )
    context = {
        "page": page,
        "rows": rows,
        "reject_form": forms.RejectForm(),
        "backlog": selectors.pending_submissions_stalled(),
    }
    return render(request, "feedback/staff/queue.html", context)


@staff_required
def report_detail(request, code):
    report = selectors.report_get(user=request.user, code=code)
    actions = selectors.available_actions(user=request.user, report=report)
    suggested = selectors.suggested_organisation(report)
    action_forms = {
        "verify": forms.VerifyForm(initial={"category": report.category}),
        "assign": forms.AssignForm(initial={"organisation": suggested}),
        "reject": forms.RejectForm(),
        "merge": forms.MergeForm(),
        "accept": forms.NoteForm(),
        "return": forms.ReasonForm(),
        "progress": forms.ProgressForm(initial={"committed_date": report.committed_date}),
        "resolve": forms.ResolveForm(),
        "publish": forms.PublishForm(),
        "extend": forms.ExtendForm(),
        "hide": forms.HideForm(initial={"hidden": "0" if report.hidden else "1"}),
    }
    context = {
        "report": report,
        "actions": [(name, action_forms.get(name)) for name in actions if name != "decide"],
        "pending": selectors.pending_extensions(report=report) if "decide" in actions else [],
        "events": selectors.report_timeline(report=report),
        "attachments": selectors.report_attachments(report=report),
        "suggested": suggested,
        "duplicates": selectors.report_duplicates(user=request.user, report=report) if "merge" in actions else [],
        "decide_form": forms.DecideForm(),
        "note_form": forms.InternalNoteForm() if services.note_allowed(request.user, report) else None,
    }
    return render(request, "feedback/staff/report.html", context)


def _merge(user, report, data):
    into = selectors.report_find(user=user, code=data["into"].strip())
    if into is None:
        raise ValidationError({"into": [_("No open report has this tracking code.")]})
    return services.report_merge(actor=user, report=report, into=into, note=data["note"])


def _decide(user, report, data):
    extension = selectors.pending_extension(report=report, pk=data["extension"])
    if extension is None:
        raise ValidationError({"extension": [_("This extension is no longer pending.")]})
    return services.extension_decide(actor=user, extension=extension, approve=data["approve"], note=data["note"])


# action → (form, the one service it calls)
ACTIONS = {
    "verify": (
        forms.VerifyForm,
        lambda u, r, d, f: services.report_verify(actor=u, report=r, category=d["category"], note=d["note"]),
    ),
    "reject": (
        forms.RejectForm,
        lambda u, r, d, f: services.report_reject(actor=u, report=r, reason=d["reason"], note=d["note"]),
    ),
    "assign": (
        forms.AssignForm,
        lambda u, r, d, f: services.report_assign(actor=u, report=r, organisation=d["organisation"], note=d["note"]),
    ),
    "merge": (forms.MergeForm, lambda u, r, d, f: _merge(u, r, d)),
    "accept": (forms.NoteForm, lambda u, r, d, f: services.report_accept(actor=u, report=r, note=d["note"])),
    "return": (forms.ReasonForm, lambda u, r, d, f: services.report_return(actor=u, report=r, reason=d["reason"])),
    "progress": (
        forms.ProgressForm,
        lambda u, r, d, f: services.report_update_progress(
            actor=u, report=r, note=d["note"], committed_date=d["committed_date"], files=f
        ),
    ),
    "resolve": (
        forms.ResolveForm,
        lambda u, r, d, f: services.report_resolve(actor=u, report=r, resolution=d["resolution"], files=f),
    ),
    "publish": (
        forms.PublishForm,
        lambda u, r, d, f: services.report_publish(actor=u, report=r, public_description=d["public_description"]),
    ),
    "extend": (
        forms.ExtendForm,
        lambda u, r, d, f: services.report_extend(actor=u, report=r, reason=d["reason"], new_date=d["new_date"]),
    ),
    "decide": (forms.DecideForm, lambda u, r, d, f: _decide(u, r, d)),
    "note": (forms.InternalNoteForm, lambda u, r, d, f: services.report_note_add(actor=u, report=r, note=d["note"])),
    "hide": (
        forms.HideForm,
        lambda u, r, d, f: services.report_hide(actor=u, report=r, reason=d["reason"], hidden=d["hidden"]),
    ),
}


@require_POST
@staff_required
def act(request, code, action):
    if action not in ACTIONS:
        raise Http404("Unknown action")
    report = selectors.report_get(user=request.user, code=code)
    form_class, call = ACTIONS[action]
    prefix = code if action == "assign" and f"{code}-organisation" in request.POST else None
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        labels = {name: field.label for name, field in form.fields.items()}
        messages.error(request, "; ".join(f"{labels.get(k, '')}: {' '.join(v)}" for k, v in form.errors.items()))
    else:
        try:
            call(request.user, report, form.cleaned_data, request.FILES.getlist("attachments"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done: %(code)s.") % {"code": report.code})
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect("feedback:queue")
    if selectors.report_find(user=request.user, code=report.code) is not None:
        return redirect("feedback:staff_report", code=report.code)
    return redirect("feedback:staff_home")


@staff_required
def hotline(request):
    """Quick entry for hotline operators: keyboard only, Enter submits, the form comes back empty."""
    if not access.has_city_wide_change(request.user, system=SYSTEM):  # the service checks it too
        raise PermissionDenied(_("Hotline entry is for the 1022 operators."))
    form = forms.HotlineForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                **{k: v for k, v in form.cleaned_data.items() if k != "attachments"},
                files=form.cleaned_data["attachments"],
                actor=request.user,
                client_ip=client_ip_of(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            status = 400
        else:
            messages.success(request, _("Saved as %(code)s.") % {"code": report.code})
            return redirect(f"{reverse('feedback:hotline')}?last={report.code}")
    elif request.method == "POST":
        status = 400
    return render(
        request, "feedback/staff/hotline.html", {"form": form, "last": request.GET.get("last", "")}, status=status
    )
