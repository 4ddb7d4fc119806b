"""Public pages of 1022 (no login): send a report, follow it, rate it, browse published results."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.core.forms import apply_errors
from thongsuot.core.middleware import client_ip_of
from thongsuot.feedback import selectors, services, states
from thongsuot.feedback.forms import RateForm, ReopenForm, SubmitForm
from thongsuot.feedback.links import follow_path
from thongsuot.feedback.states import Status


def _map() -> dict:
    """What the map script reads from the page: the tile server and its attribution."""
    return {"tiles": settings.FEEDBACK_MAP_TILES_URL, "attribution": settings.FEEDBACK_MAP_ATTRIBUTION}


def report_new(request):
    """The citizen's form. A POST goes straight to the service, which checks every field; the form is
    built only to show the page, with the service's errors on their fields."""
    status = 200
    if request.method == "POST":
        try:
            accepted = services.submission_accept(
                **{name: request.POST.get(name, "") for name in SUBMIT_FIELDS},
                files=request.FILES.getlist("attachments"),
                actor=request.user if request.user.is_authenticated else None,
                client_ip=client_ip_of(request),
            )
        except ValidationError as exc:
            form = SubmitForm(request.POST, request.FILES)
            form.is_valid()
            apply_errors(form, exc)
            status = 429 if isinstance(exc, services.RateLimited) else 400
        else:
            # HttpResponseRedirect with a path: redirect() would first try to reverse() the path as a URL name
            return HttpResponseRedirect(f"{follow_path(accepted.code)}?k={accepted.citizen_key}&new=1")
    else:
        form = SubmitForm()
    response = render(request, "feedback/public/new.html", {"form": form, "map": _map()}, status=status)
    if status == 429:
        response["Retry-After"] = "3600"  # the limits count the last hour's submissions
    return response


SUBMIT_FIELDS = [name for name in SubmitForm.base_fields if name != "attachments"]


def _citizen_key(request, report) -> str:
    key = request.GET.get("k") or request.POST.get("k") or ""
    return key if key and hmac.compare_digest(key, report.citizen_key) else ""


def follow(request, code):
    try:
        report = selectors.public_report(code=code)
    except Http404:
        pending = selectors.pending_submission(code=code)
        if pending is None:
            raise
        # accepted, not yet registered by the worker (seconds): the page reloads itself until it is
        context = {
            "pending": pending,
            "new": request.GET.get("new") == "1",
            # the worker gave up: the platform team was alerted (services.submission_failed_alert)
            "stuck": pending.attempts >= pending.MAX_ATTEMPTS,
        }
        return render(request, "feedback/public/pending.html", context)
    key = _citizen_key(request, report)
    owner = bool(key) or (request.user.is_authenticated and report.citizen_id == request.user.pk)
    context = {
        "report": report,
        "events": _public_events(report, owner=owner),
        "attachments": selectors.public_attachments(report=report),
        "key": key,
        "new": owner and request.GET.get("new") == "1",
        "rate_form": RateForm(initial={"k": key}) if owner and report.status == Status.PUBLISHED else None,
        "reopen_form": ReopenForm(initial={"k": key})
        if owner and report.status == Status.RATED and not report.satisfied
        else None,
        # codes are guessable: the text of a report is public only once its result is published
        "show_text": owner or (report.status in states.PUBLIC and not report.hidden),
        "map": _map(),
    }
    return render(request, "feedback/public/follow.html", context)


def _public_events(report, *, owner: bool) -> list:
    """The public timeline as this visitor may read it. Codes are sequential, so anyone can type one: until
    the result is published (and while the report is hidden) the notes are shown to the citizen who sent
    it only, and the result's text (the note of the step to "resolved") to nobody: the dispatcher may
    still edit or hold it. The events are copies in memory; nothing is saved."""
    events = list(selectors.report_timeline(report=report, public_only=True))
    if report.status in states.PUBLIC and not report.hidden:
        return events
    for event in events:
        if not owner or event.to_status == Status.RESOLVED:
            event.note = ""
    return events


def _citizen_post(request, code, form_class, call):
    report = selectors.public_report(code=code)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(report, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you. Your answer was recorded."))
    else:
        messages.error(request, _("Please answer every question."))
    key = request.POST.get("k", "")
    return HttpResponseRedirect(follow_path(report.code) + (f"?k={key}" if key else ""))


def _actor(request):
    return request.user if request.user.is_authenticated else None


@require_POST
def rate(request, code):
    return _citizen_post(
        request,
        code,
        RateForm,
        lambda report, d: services.report_rate(
            actor=_actor(request),
            report=report,
            rating=d["rating"],
            satisfied=d["satisfied"],
            comment=d["comment"],
            key=d["k"],
        ),
    )


@require_POST
def reopen(request, code):
    return _citizen_post(
        request,
        code,
        ReopenForm,
        lambda report, d: services.report_reopen(actor=_actor(request), report=report, reason=d["reason"], key=d["k"]),
    )


def public_list(request):
    q = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")[:40]
    page = Paginator(selectors.public_reports(q=q, category=category), 20).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "category": category, "categories": selectors.categories(), "map": _map()}
    return render(request, "feedback/public/list.html", context)


def lookup(request):
    """Find a report by its tracking code (any state: the follow page shows what may be public)."""
    code = request.GET.get("code", "").strip().upper()[:20]
    if code:
        try:
            return HttpResponseRedirect(follow_path(selectors.public_report(code=code).code))
        except Http404:
            messages.error(request, _("No report has the tracking code “%(code)s”.") % {"code": code})
    return redirect(reverse("feedback:public_list") + "#lookup")


def map_points(request):
    """The published reports of the list's filter (same q and category) with a position, for its map."""
    q = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")[:40]
    points = selectors.public_map_points(q=q, category=category)
    return JsonResponse({"points": points, "limit": selectors.PUBLIC_MAP_LIMIT})
