"""Thin pages of the conferences system: meetings, the invitation form, endpoints and their calendars."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.accounts.decorators import staff_required
from thongsuot.conferences import janus, selectors, selectors_attendance, services
from thongsuot.conferences.forms import MeetingForm
from thongsuot.conferences.models import Meeting
from thongsuot.conferences.states import ACTION_LABELS, WORKFLOW, Status
from thongsuot.core.forms import apply_errors


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meeting_get(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def _may_schedule(user) -> bool:
    return selectors.may_schedule(user)


@staff_required
def home(request):
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    meetings = selectors.meeting_list(user=request.user, status=status).order_by("-starts_at")[:200]
    return render(
        request,
        "conferences/home.html",
        {
            "meetings": meetings,
            "statuses": Status.choices,
            "status": status,
            "my_endpoints": selectors.my_endpoints(user=request.user),
            "may_schedule": _may_schedule(request.user),
            "quality_report": selectors.can_see_quality_report(request.user),
            "media_ok": janus.available(),
        },
    )


def _save_meeting(request, form, meeting=None):
    data = form.cleaned_data
    fields = {k: data[k] for k in ("title", "chair", "starts_at", "ends_at", "agenda")}
    if meeting is None:
        return services.meeting_schedule(
            actor=request.user, invite=form.invite(), files=request.FILES.getlist("files"), **fields
        )
    return services.meeting_update(actor=request.user, meeting=meeting, fields=fields, invite=form.invite())


@staff_required
def meeting_new(request):
    if not _may_schedule(request.user):
        raise PermissionDenied(_("Your role does not allow this action."))
    endpoints = selectors.endpoint_list(user=request.user)
    form = MeetingForm(request.POST or None, user=request.user, endpoints=endpoints)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = _save_meeting(request, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting is scheduled and the endpoints are invited."))
            return redirect("conferences:meeting", meeting.pk)
    return render(request, "conferences/form.html", {"form": form, "meeting": None})


@staff_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    if not WORKFLOW.may(request.user, meeting, "update"):
        raise PermissionDenied(_("This cannot be done to this meeting."))
    endpoints = selectors.endpoint_list(user=request.user)
    initial = {
        "title": meeting.title,
        "chair": meeting.chair,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "agenda": meeting.agenda,
        "endpoints": list(meeting.endpoints.all()),
    }
    form = MeetingForm(request.POST or None, initial=initial, user=request.user, endpoints=endpoints)
    if request.method == "POST" and form.is_valid():
        try:
            _save_meeting(request, form, meeting)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting is changed and everyone invited is told."))
            return redirect("conferences:meeting", meeting.pk)
    return render(request, "conferences/form.html", {"form": form, "meeting": meeting})


@staff_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(
        request,
        "conferences/meeting.html",
        {
            "meeting": meeting,
            "endpoints": selectors.invited_endpoints(meeting=meeting),
            "documents": meeting.documents.all(),
            "recordings": meeting.recordings.select_related("endpoint"),
            "events": meeting.events.select_related("actor"),
            "actions": WORKFLOW.available_actions(request.user, meeting),
            "action_labels": ACTION_LABELS,
            "media_ok": janus.available(janus.server_named(meeting.janus_server)) if meeting.janus_server else False,
            "host": selectors_attendance.can_view_attendance(request.user, meeting),
            "joinable": [
                e
                for e in selectors.invited_endpoints(meeting=meeting).filter(
                    pk__in=selectors.my_endpoints(user=request.user).values("pk")
                )
                if services.can_operate(request.user, e)
            ]
            if meeting.status == Status.LIVE
            else [],
        },
    )


@staff_required
@require_POST
def act(request, pk, action):
    meeting = _meeting(request, pk)
    try:
        if action == "start":
            services.meeting_start(actor=request.user, meeting=meeting)
        elif action == "end":
            services.meeting_end(actor=request.user, meeting=meeting)
        elif action == "cancel":
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
        elif action == "attach":
            services.meeting_attach(actor=request.user, meeting=meeting, files=request.FILES.getlist("files"))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("conferences:meeting", meeting.pk)


@staff_required
def endpoints(request):
    kind = request.GET.get("kind", "")
    rows = selectors.endpoint_list(user=request.user, kind=kind, query=request.GET.get("q", "")[:100])
    return render(
        request,
        "conferences/endpoints.html",
        {"endpoints": rows[:300], "total": rows.count(), "groups": selectors.group_list(user=request.user)},
    )


@staff_required
def endpoint_calendar(request, pk):
    endpoint = (
        selectors.endpoint_list(user=request.user).filter(pk=pk).first()
        or selectors.my_endpoints(user=request.user).filter(pk=pk).first()
    )
    if endpoint is None:
        raise Http404
    meetings = selectors.endpoint_calendar(user=request.user, endpoint=endpoint)
    return render(request, "conferences/endpoint.html", {"endpoint": endpoint, "meetings": meetings})
