"""Janus' own events, as its HTTP event handler POSTs them, turned into attendance and quality rows.

- a VideoRoom "joined" event carries the room, the participant's id and the join token it used: the
  token names the endpoint (the platform issued it for one endpoint of one meeting) → a Participation;
- "leaving" / "kicked" (room, id) close it; the room's "destroyed" closes every stay still open;
- media statistics (type 32, subtype 3: rtt, loss, jitter, link quality, bytes per second) of a handle
  → a QualitySample of the stay that handle belongs to (by handle, else by the client's opaque id).

Janus may send an event twice (it retries): a join already recorded or a stay already closed is left as
it is. Events of rooms the platform does not know are ignored."""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from thongsuot.conferences.audit_actions import MeetingAudit
from thongsuot.conferences.models import JoinToken, Meeting, Participation, QualitySample
from thongsuot.conferences.states import Status
from thongsuot.core.audit import audit_record

log = logging.getLogger(__name__)

PLUGIN_EVENT, MEDIA_EVENT, MEDIA_STATS = 64, 32, 3


def _when(event) -> datetime:
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float) and stamp > 0:
        return datetime.fromtimestamp(stamp / 1_000_000, tz=UTC)
    return timezone.now()


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _meeting(server_name, room) -> Meeting | None:
    if _int(room) is None:
        return None
    return Meeting.objects.filter(janus_server=server_name, janus_room=room).first()


def _joined(server_name, event, data) -> bool:
    meeting = _meeting(server_name, data.get("room"))
    janus_id = _int(data.get("id"))
    if meeting is None or janus_id is None or meeting.status != Status.LIVE:
        return False
    if meeting.participations.filter(janus_id=janus_id, left_at__isnull=True).exists():
        return False  # a retransmission
    grant = JoinToken.objects.filter(meeting=meeting, token=str(data.get("token") or "")).first()
    if grant is None:
        log.warning("Janus %s: a join to room %s with a token the platform does not know", server_name, meeting.pk)
        return False
    stay = Participation.objects.create(
        meeting=meeting,
        endpoint=grant.endpoint,
        janus_id=janus_id,
        session_id=_int(event.get("session_id")),
        handle_id=_int(event.get("handle_id")),
        opaque_id=str(event.get("opaque_id") or "")[:100],
        display=str(data.get("display") or "")[:200],
        joined_at=_when(event),
    )
    audit_record(
        actor=f"janus:{server_name}",
        action=MeetingAudit.JOINED,
        obj=meeting,
        organisation_id=grant.endpoint.organisation_id,
        after={"endpoint": grant.endpoint.code, "participant": janus_id, "at": stay.joined_at},
    )
    return True


def _left(server_name, event, data, how) -> bool:
    meeting = _meeting(server_name, data.get("room"))
    if meeting is None:
        return False
    stays = meeting.participations.filter(left_at__isnull=True).select_related("endpoint")
    if data.get("event") != "destroyed":
        stays = stays.filter(janus_id=_int(data.get("id")))
    at = _when(event)
    closed = 0
    for stay in stays:
        stay.left_at, stay.left_how, stay.has_floor = max(at, stay.joined_at), how, False
        stay.save(update_fields=["left_at", "left_how", "has_floor"])
        audit_record(
            actor=f"janus:{server_name}",
            action=MeetingAudit.LEFT,
            obj=meeting,
            organisation_id=stay.endpoint.organisation_id,
            after={"endpoint": stay.endpoint.code, "participant": stay.janus_id, "at": stay.left_at, "how": how},
        )
        closed += 1
    return bool(closed)


def _stay_of(event) -> Participation | None:
    handle = _int(event.get("handle_id"))
    open_stays = Participation.objects.filter(left_at__isnull=True, meeting__status=Status.LIVE)
    stay = open_stays.filter(handle_id=handle).first() if handle is not None else None
    opaque = str(event.get("opaque_id") or "")
    if stay is None and opaque:
        stay = open_stays.filter(opaque_id=opaque).order_by("-joined_at").first()
    return stay


def _kbps(value):
    value = _int(value)
    return None if value is None or value < 0 else round(value * 8 / 1000)


def _media(event) -> bool:
    stats = event.get("event") or {}
    if stats.get("media") not in ("audio", "video"):
        return False
    stay = _stay_of(event)
    if stay is None:
        return False
    received, sent = _int(stats.get("packets-received")) or 0, _int(stats.get("packets-sent")) or 0
    if received:
        quality = _int(stats.get("in-media-link-quality"))
    elif sent:
        quality = _int(stats.get("out-media-link-quality"))
    else:
        quality = None  # nothing flowed yet: no figure rather than a false zero
    jitters = [j for j in (stats.get("jitter-local"), stats.get("jitter-remote")) if isinstance(j, int | float)]
    lost = [_int(stats.get("lost")), _int(stats.get("lost-by-remote"))]
    QualitySample.objects.create(
        participation=stay,
        meeting_id=stay.meeting_id,
        endpoint_id=stay.endpoint_id,
        at=_when(event),
        media=stats["media"],
        rtt=_int(stats.get("rtt")) if received or sent else None,
        lost=sum(n for n in lost if n is not None and n >= 0) if received or sent else None,
        jitter=max(jitters) if jitters and (received or sent) else None,
        link_quality=None if quality is None else max(0, min(100, quality)),
        kbps_in=_kbps(stats.get("bytes-received-lastsec")),
        kbps_out=_kbps(stats.get("bytes-sent-lastsec")),
    )
    return True


def _relevant(event) -> bool:
    if not isinstance(event, dict):
        return False
    if event.get("type") == MEDIA_EVENT:
        return event.get("subtype") == MEDIA_STATS
    if event.get("type") != PLUGIN_EVENT:
        return False
    body = event.get("event") or {}
    data = body.get("data") if isinstance(body, dict) else None
    return (
        body.get("plugin") == "janus.plugin.videoroom"
        and isinstance(data, dict)
        and data.get("event") in ("joined", "leaving", "kicked", "destroyed")
    )


def janus_events_record(*, server_name: str, events: list[dict]) -> dict[str, int]:
    """Record what matters in a batch of one Janus server's events (in one transaction; a batch with
    nothing that matters, most of them, touches no table); returns how many of each were kept."""
    kept = {"joined": 0, "left": 0, "stats": 0}
    events = [event for event in events if _relevant(event)]
    if not events:
        return kept
    with transaction.atomic():
        for event in events:
            if event["type"] == MEDIA_EVENT:
                kept["stats"] += _media(event)
                continue
            data = event["event"]["data"]
            name = data["event"]
            if name == "joined":
                kept["joined"] += _joined(server_name, event, data)
            else:
                how = {"leaving": Participation.Left.LEFT, "kicked": Participation.Left.REMOVED}.get(
                    name, Participation.Left.ENDED
                )
                kept["left"] += _left(server_name, event, data, how)
    return kept
