"""The conferences API under /api/v1/conferences/: endpoints, groups, meetings, calendars, join tokens."""

import hmac
import json
from datetime import datetime
from functools import wraps

from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBasicAuth

from thongsuot.accounts.models import User
from thongsuot.conferences import (
    janus,
    selectors,
    selectors_attendance,
    selectors_quality,
    services,
    services_attendance,
    services_controls,
    services_events,
    services_recording,
)
from thongsuot.conferences.models import Endpoint, Meeting
from thongsuot.conferences.states import WORKFLOW
from thongsuot.core.workflow import TransitionError

router = Router(tags=["conferences"])


class ConfEndpointOut(Schema):
    id: int
    code: str
    name: str
    organisation_id: int
    organisation: str
    room: str
    address: str
    contact_name: str
    contact_phone: str
    equipment: str
    network_link: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name


class ConfGroupOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    endpoint_ids: list[int]

    @staticmethod
    def resolve_endpoint_ids(obj):
        return sorted(obj.endpoints.values_list("pk", flat=True))


class ConfMeetingOut(Schema):
    id: int
    title: str
    status: str
    organisation_id: int
    chair_id: int
    starts_at: datetime
    ends_at: datetime
    agenda: str
    cancel_reason: str
    endpoint_ids: list[int]
    allowed_actions: list[str] = []


class ConfInviteIn(Schema):
    everyone: bool = False
    kinds: list[str] = []
    groups: list[int] = []
    endpoints: list[int] = []


class ConfMeetingIn(Schema):
    title: str
    chair_id: int
    starts_at: datetime
    ends_at: datetime
    agenda: str = ""
    invite: ConfInviteIn


class ConfMeetingPatch(Schema):
    title: str | None = None
    chair_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    agenda: str | None = None
    invite: ConfInviteIn | None = None


class ConfCancelIn(Schema):
    reason: str


class ConfTokenOut(Schema):
    token: str
    expires_at: datetime
    room: int
    server: str
    publish: bool = False


class ConfFloorOut(Schema):
    publish: bool
    has_floor: bool
    in_room: bool


def _conflicts(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except TransitionError as exc:
            raise HttpError(409, " ".join(exc.messages)) from exc

    return wrapper


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meeting_get(user=request.user, pk=pk)
    except Meeting.DoesNotExist as exc:
        raise HttpError(404, "Not found") from exc


def _out(request, meeting):
    fields = ("id", "title", "status", "organisation_id", "chair_id", "starts_at", "ends_at", "agenda", "cancel_reason")
    return {
        **{name: getattr(meeting, name) for name in fields},
        "endpoint_ids": sorted(meeting.invitations.values_list("endpoint_id", flat=True)),
        "allowed_actions": WORKFLOW.available_actions(request.user, meeting),
    }


def _chair(chair_id):
    chair = User.objects.filter(pk=chair_id).first()
    if chair is None:
        raise ValidationError({"chair_id": ["Unknown user."]})
    return chair


@router.get("/endpoints", response=list[ConfEndpointOut])
def endpoints(request, kind: str = "", q: str = ""):
    return list(selectors.endpoint_list(user=request.user, kind=kind, query=q[:100])[:500])


@router.get("/groups", response=list[ConfGroupOut])
def groups(request):
    return list(selectors.group_list(user=request.user))


@router.get("/endpoints/{pk}/calendar", response=list[ConfMeetingOut])
def calendar(request, pk: int):
    endpoint = (
        selectors.endpoint_list(user=request.user).filter(pk=pk).first()
        or selectors.my_endpoints(user=request.user).filter(pk=pk).first()
    )
    if endpoint is None:
        raise HttpError(404, "Not found")
    return [_out(request, m) for m in selectors.endpoint_calendar(user=request.user, endpoint=endpoint)]


@router.get("/meetings", response=list[ConfMeetingOut])
def meetings(request, status: str = ""):
    return [_out(request, m) for m in selectors.meeting_list(user=request.user, status=status)[:200]]


@router.post("/meetings", response={201: ConfMeetingOut})
def meeting_create(request, payload: ConfMeetingIn):
    meeting = services.meeting_schedule(
        actor=request.user,
        title=payload.title,
        chair=_chair(payload.chair_id),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        agenda=payload.agenda,
        invite=payload.invite.dict(),
    )
    return 201, _out(request, meeting)


@router.get("/meetings/{pk}", response=ConfMeetingOut)
def meeting(request, pk: int):
    return _out(request, _meeting(request, pk))


@router.patch("/meetings/{pk}", response=ConfMeetingOut)
@_conflicts
def meeting_patch(request, pk: int, payload: ConfMeetingPatch):
    meeting = _meeting(request, pk)
    data = payload.dict(exclude_unset=True)
    invite = data.pop("invite", None)
    if "chair_id" in data:
        data["chair"] = _chair(data.pop("chair_id"))
    meeting = services.meeting_update(actor=request.user, meeting=meeting, fields=data, invite=invite)
    return _out(request, meeting)


@router.post("/meetings/{pk}/cancel", response=ConfMeetingOut)
@_conflicts
def meeting_cancel(request, pk: int, payload: ConfCancelIn):
    return _out(
        request, services.meeting_cancel(actor=request.user, meeting=_meeting(request, pk), reason=payload.reason)
    )


@router.post("/meetings/{pk}/start", response=ConfMeetingOut)
@_conflicts
def meeting_start(request, pk: int):
    return _out(request, services.meeting_start(actor=request.user, meeting=_meeting(request, pk)))


@router.post("/meetings/{pk}/end", response=ConfMeetingOut)
@_conflicts
def meeting_end(request, pk: int):
    return _out(request, services.meeting_end(actor=request.user, meeting=_meeting(request, pk)))


@router.post("/meetings/{pk}/endpoints/{endpoint_id}/token", response={201: ConfTokenOut})
def join_token(request, pk: int, endpoint_id: int):
    """A short-lived token for the operator's endpoint to join this live meeting's room."""
    meeting = _meeting(request, pk)
    endpoint = Endpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise HttpError(404, "Not found")
    token = services.join_token_issue(actor=request.user, meeting=meeting, endpoint=endpoint)
    return 201, {
        "token": token.token,
        "expires_at": token.expires_at,
        "room": meeting.janus_room,
        "server": meeting.janus_server,
        "publish": selectors.may_publish(meeting=meeting, endpoint=endpoint),
    }


@router.get("/meetings/{pk}/endpoints/{endpoint_id}/floor", response=ConfFloorOut)
def floor(request, pk: int, endpoint_id: int):
    """For the endpoint's join page: may it publish now (the host's own endpoint, or it has the floor)?"""
    meeting = _meeting(request, pk)
    endpoint = meeting.endpoints.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise HttpError(404, "Not found")
    if not services.can_operate(request.user, endpoint):
        raise HttpError(403, "You do not operate this endpoint.")
    stay = meeting.participations.filter(endpoint=endpoint, left_at__isnull=True).order_by("-joined_at").first()
    return {
        "publish": selectors.may_publish(meeting=meeting, endpoint=endpoint),
        "has_floor": bool(stay and stay.has_floor),
        "in_room": stay is not None,
    }


# The chair's console -----------------------------------------------------------------------------


class ConfParticipantOut(Schema):
    id: int
    endpoint_id: int
    endpoint: str
    display: str
    janus_id: int
    joined_at: datetime
    left_at: datetime | None
    muted: bool
    has_floor: bool

    @staticmethod
    def resolve_endpoint(obj):
        return obj.endpoint.name


class ConfMuteIn(Schema):
    mute: bool = True


def _participation(meeting, participant_id: int):
    found = meeting.participations.select_related("endpoint").filter(pk=participant_id).first()
    if found is None:
        raise HttpError(404, "Not found")
    return found


@router.get("/meetings/{pk}/participants", response=list[ConfParticipantOut])
def participants(request, pk: int, present: bool = True):
    """Who is (or was) in the meeting's room, from Janus' events."""
    meeting = _meeting(request, pk)
    rows = meeting.participations.select_related("endpoint")
    return list(rows.filter(left_at__isnull=True) if present else rows)


@router.post("/meetings/{pk}/participants/{participant_id}/mute", response=ConfParticipantOut)
@_conflicts
def participant_mute(request, pk: int, participant_id: int, payload: ConfMuteIn):
    meeting = _meeting(request, pk)
    return services_controls.participant_mute(
        actor=request.user, meeting=meeting, participation=_participation(meeting, participant_id), mute=payload.mute
    )


@router.post("/meetings/{pk}/mute-all")
@_conflicts
def mute_all(request, pk: int):
    return {"muted": services_controls.participants_mute_all(actor=request.user, meeting=_meeting(request, pk))}


@router.post("/meetings/{pk}/participants/{participant_id}/floor", response=ConfParticipantOut)
@_conflicts
def floor_give(request, pk: int, participant_id: int):
    meeting = _meeting(request, pk)
    return services_controls.floor_give(
        actor=request.user, meeting=meeting, participation=_participation(meeting, participant_id)
    )


@router.post("/meetings/{pk}/participants/{participant_id}/floor/take", response=ConfParticipantOut)
@_conflicts
def floor_take(request, pk: int, participant_id: int):
    meeting = _meeting(request, pk)
    return services_controls.floor_take(
        actor=request.user, meeting=meeting, participation=_participation(meeting, participant_id)
    )


@router.post("/meetings/{pk}/participants/{participant_id}/remove", response=ConfParticipantOut)
@_conflicts
def participant_remove(request, pk: int, participant_id: int):
    meeting = _meeting(request, pk)
    return services_controls.participant_remove(
        actor=request.user, meeting=meeting, participation=_participation(meeting, participant_id)
    )


# Janus' events, roll-call ------------------------------------------------------------------------


class JanusEventsAuth(HttpBasicAuth):
    """Janus' HTTP event handler signs in as its server's name with that server's events secret."""

    def authenticate(self, request, username, password):
        for server in janus.servers():
            secret = server.get("events_secret", "")
            if server["name"] == username and secret and hmac.compare_digest(secret, password):
                return username
        return None


MAX_EVENTS = 5000


@router.post("/janus/events", auth=JanusEventsAuth(), response={204: None}, include_in_schema=False)
def janus_events(request):
    """Where Janus POSTs its events (one, or a list when grouped): joins and leaves, media statistics."""
    try:
        events = json.loads(request.body or b"null")
    except ValueError as exc:
        raise HttpError(400, "Not JSON") from exc
    events = events if isinstance(events, list) else [events]
    if len(events) > MAX_EVENTS:
        raise HttpError(413, "Too many events in one request")
    services_events.janus_events_record(server_name=request.auth, events=events)
    return 204, None


class ConfAttendanceOut(Schema):
    endpoint_id: int
    endpoint: str
    organisation: str
    status: str
    first_joined: datetime | None
    last_left: datetime | None
    in_room: bool
    minutes: int
    joins: int
    mark_reason: str


class ConfMarkIn(Schema):
    mark: str
    reason: str


def _attendance_meeting(request, pk):
    meeting = _meeting(request, pk)
    if not selectors_attendance.can_view_attendance(request.user, meeting):
        raise HttpError(403, "Only the meeting's host sees its attendance.")
    return meeting


@router.get("/meetings/{pk}/attendance", response=list[ConfAttendanceOut])
def attendance(request, pk: int):
    meeting = _attendance_meeting(request, pk)
    return [
        {
            "endpoint_id": row.endpoint.pk,
            "endpoint": row.endpoint.name,
            "organisation": row.endpoint.organisation.name,
            "status": row.status,
            "first_joined": row.first_joined,
            "last_left": row.last_left,
            "in_room": row.in_room,
            "minutes": row.minutes,
            "joins": row.joins,
            "mark_reason": row.mark.reason if row.mark else "",
        }
        for row in selectors_attendance.attendance(meeting=meeting)
    ]


@router.post("/meetings/{pk}/attendance/{endpoint_id}", response={200: dict})
@_conflicts
def attendance_mark(request, pk: int, endpoint_id: int, payload: ConfMarkIn):
    meeting = _meeting(request, pk)
    endpoint = meeting.endpoints.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise HttpError(404, "Not found")
    saved = services_attendance.attendance_mark(
        actor=request.user, meeting=meeting, endpoint=endpoint, mark=payload.mark, reason=payload.reason
    )
    return {"endpoint_id": endpoint.pk, "mark": saved.mark, "reason": saved.reason}


# Connection quality ------------------------------------------------------------------------------


def _streams_out(row) -> dict:
    return {
        media: {
            "grade": f.grade,
            "samples": f.samples,
            "link_quality": f.quality,
            "rtt_ms": f.rtt,
            "jitter_ms": f.jitter,
            "kbps_in": f.kbps_in,
            "kbps_out": f.kbps_out,
            "lost": f.lost,
        }
        for media, f in row.streams.items()
    }


@router.get("/meetings/{pk}/quality")
def quality(request, pk: int):
    """The live board (every invited endpoint, the smoothed figures of the last minute) and the summary of
    the whole meeting (the share of the time each endpoint was poor or fair)."""
    meeting = _attendance_meeting(request, pk)
    return {
        "live": [
            {"endpoint_id": r.endpoint.pk, "in_room": r.in_room, "grade": r.grade, "streams": _streams_out(r)}
            for r in selectors_quality.live_board(meeting=meeting)
        ],
        "summary": [
            {
                "endpoint_id": r.endpoint.pk,
                "grade": r.grade,
                "share_poor": round(r.share_red, 3),
                "share_fair": round(r.share_amber, 3),
                "streams": _streams_out(r),
            }
            for r in selectors_quality.summary(meeting=meeting)
        ],
    }


class ConfRecordIn(Schema):
    record: bool


@router.post("/meetings/{pk}/recording")
@_conflicts
def recording(request, pk: int, payload: ConfRecordIn):
    """The chair starts or stops recording; stopped recordings are converted by the task worker."""
    meeting = services_recording.recording_set(actor=request.user, meeting=_meeting(request, pk), record=payload.record)
    return {"recording": meeting.recording, "recordings": meeting.recordings.count()}
