"""The meeting room in the browser: the join page of an endpoint's operator (Janus' JS client, with the
short-lived token the platform issues) and the chair's console (htmx, acting through the services)."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thongsuot.accounts.decorators import staff_required
from thongsuot.conferences import janus, services, services_controls, services_recording
from thongsuot.conferences.models import Endpoint
from thongsuot.conferences.states import WORKFLOW, Status
from thongsuot.conferences.views import _meeting
from thongsuot.core.middleware import CSP

CONSOLE_POLL_SECONDS = 3


def _with_janus_origin(response, server):
    """The page talks to Janus' HTTP API on its own origin: the CSP's connect-src names it."""
    url = urlsplit(janus.browser_url(server))
    origin = f"{url.scheme}://{url.netloc}"
    response.headers["Content-Security-Policy"] = CSP.replace("connect-src 'self'", f"connect-src 'self' {origin}")
    return response


@staff_required
def join(request, pk, endpoint_id):
    meeting = _meeting(request, pk)
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id, invitations__meeting=meeting)
    if not services.can_operate(request.user, endpoint):
        raise PermissionDenied(_("You do not operate this endpoint."))
    server = janus.server_named(meeting.janus_server) if meeting.janus_server else None
    context = {
        "meeting": meeting,
        "endpoint": endpoint,
        "live": meeting.status == Status.LIVE,
        "janus_url": janus.browser_url(server) if server else "",
        "opaque_id": f"ts-{meeting.pk}-{endpoint.pk}",
        "token_url": f"/api/v1/conferences/meetings/{meeting.pk}/endpoints/{endpoint.pk}/token",
        "floor_url": f"/api/v1/conferences/meetings/{meeting.pk}/endpoints/{endpoint.pk}/floor",
    }
    response = render(request, "conferences/join.html", context)
    return _with_janus_origin(response, server) if server else response


def _console_meeting(request, pk):
    meeting = _meeting(request, pk)
    if "moderate" not in WORKFLOW.available_actions(request.user, meeting):
        raise PermissionDenied(_("Only the meeting's chair and its organisers use the console."))
    return meeting


def _actions_for(participation) -> list[tuple[str, str]]:
    actions = [("unmute", _("Unmute")) if participation.muted else ("mute", _("Mute"))]
    actions.append(
        ("take-floor", _("Take the floor back")) if participation.has_floor else ("floor", _("Give the floor"))
    )
    actions.append(("remove", _("Remove")))
    return actions


def _console_context(meeting):
    server = janus.server_named(meeting.janus_server)
    present = list(meeting.participations.filter(left_at__isnull=True).select_related("endpoint__organisation"))
    for participation in present:
        participation.console_actions = _actions_for(participation) if meeting.status == Status.LIVE else []
    return {
        "meeting": meeting,
        "present": present,
        "invited": meeting.invitations.count(),
        "publishers": janus.PUBLISHERS,
        "capacity": server["capacity"],
        "poll": CONSOLE_POLL_SECONDS,
    }


@staff_required
def console(request, pk):
    meeting = _console_meeting(request, pk)
    template = "conferences/_console.html" if request.headers.get("HX-Request") else "conferences/console.html"
    return render(request, template, _console_context(meeting))


ACTIONS = {
    "mute": lambda actor, meeting, p: services_controls.participant_mute(
        actor=actor, meeting=meeting, participation=p, mute=True
    ),
    "unmute": lambda actor, meeting, p: services_controls.participant_mute(
        actor=actor, meeting=meeting, participation=p, mute=False
    ),
    "floor": lambda actor, meeting, p: services_controls.floor_give(actor=actor, meeting=meeting, participation=p),
    "take-floor": lambda actor, meeting, p: services_controls.floor_take(actor=actor, meeting=meeting, participation=p),
    "remove": lambda actor, meeting, p: services_controls.participant_remove(
        actor=actor, meeting=meeting, participation=p
    ),
}


@staff_required
@require_POST
def console_act(request, pk, action, participant_id=None):
    meeting = _console_meeting(request, pk)
    try:
        if action == "mute-all":
            services_controls.participants_mute_all(actor=request.user, meeting=meeting)
        elif action in ("record", "stop-recording"):
            services_recording.recording_set(actor=request.user, meeting=meeting, record=action == "record")
        elif action in ACTIONS and participant_id is not None:
            participation = get_object_or_404(meeting.participations, pk=participant_id)
            ACTIONS[action](request.user, meeting, participation)
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    if request.headers.get("HX-Request"):
        return render(request, "conferences/_console.html", _console_context(meeting))
    return redirect("conferences:console", meeting.pk)
