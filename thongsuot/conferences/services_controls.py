"""The chair's console acting on a live meeting's room on Janus: mute or unmute one participant or
everyone, give or take the floor, remove a participant. Only the meeting's chair and its organiser unit's
leaders, administrators and clerks (and platform administrators) may: the workflow's "moderate" action.

The chair and a few speakers publish; the others are kept muted and speak when given the floor (their
audio and video unmuted, the previous speaker's muted). Each change is audited in its transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.conferences import janus
from thongsuot.conferences.audit_actions import MeetingAudit
from thongsuot.conferences.models import Meeting, Participation
from thongsuot.conferences.states import WORKFLOW
from thongsuot.core.audit import audit_record


def _media_error(exc) -> ValidationError:
    return ValidationError({"__all__": [_("The media server is not available: %(e)s") % {"e": exc}]})


def _locked(actor, meeting, participation=None):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "moderate")
    if participation is None:
        return meeting, None
    participation = Participation.objects.select_for_update().filter(pk=participation.pk, meeting=meeting).first()
    if participation is None or participation.left_at is not None:
        raise ValidationError({"participant": [_("This participant is not in the meeting.")]})
    return meeting, participation


def _streams(server, participation, kinds) -> list[dict]:
    if participation.session_id is None or participation.handle_id is None:
        return []
    streams = janus.publisher_streams(server, session_id=participation.session_id, handle_id=participation.handle_id)
    return [s for s in streams if s.get("type") in kinds]


def _moderate(meeting, participation, *, mute: bool, kinds=("audio",)) -> list[str]:
    """Mute (or unmute) the participant's published streams of `kinds` on Janus; the mids acted on."""
    server = janus.server_named(meeting.janus_server)
    mids = []
    for stream in _streams(server, participation, kinds):
        janus.moderate(
            server,
            room=meeting.janus_room,
            secret=meeting.room_secret,
            participant=participation.janus_id,
            mid=str(stream["mid"]),
            mute=mute,
        )
        mids.append(str(stream["mid"]))
    return mids


def _audit(actor, meeting, action, participation=None, **after):
    if participation is not None:
        after = {"endpoint": participation.endpoint.code, "participant": participation.janus_id, **after}
    audit_record(actor=actor, action=action, obj=meeting, organisation_id=meeting.organisation_id, after=after)


@transaction.atomic
def participant_mute(*, actor, meeting, participation, mute: bool = True) -> Participation:
    """Mute (or unmute) one participant's microphone for everyone."""
    meeting, participation = _locked(actor, meeting, participation)
    try:
        mids = _moderate(meeting, participation, mute=mute)
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    if not mids:
        raise ValidationError({"participant": [_("This participant sends no sound.")]})
    participation.muted = mute
    participation.save(update_fields=["muted"])
    _audit(actor, meeting, MeetingAudit.MUTE if mute else MeetingAudit.UNMUTE, participation, mids=mids)
    return participation


@transaction.atomic
def participants_mute_all(*, actor, meeting) -> int:
    """Mute every participant's microphone except the floor holder's; returns how many were muted."""
    meeting, _none = _locked(actor, meeting)
    done = []
    present = Participation.objects.select_for_update().filter(meeting=meeting, left_at__isnull=True, has_floor=False)
    try:
        for participation in present.select_related("endpoint"):
            if _moderate(meeting, participation, mute=True):
                participation.muted = True
                participation.save(update_fields=["muted"])
                done.append(participation.endpoint.code)
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    _audit(actor, meeting, MeetingAudit.MUTE_ALL, endpoints=done)
    return len(done)


@transaction.atomic
def floor_give(*, actor, meeting, participation) -> Participation:
    """Give the floor to one participant: their sound and picture go to everyone; whoever held the
    floor before is muted."""
    meeting, participation = _locked(actor, meeting, participation)
    try:
        for previous in (
            Participation.objects.select_for_update()
            .filter(meeting=meeting, has_floor=True)
            .exclude(pk=participation.pk)
        ):
            if previous.left_at is None:
                _moderate(meeting, previous, mute=True, kinds=("audio", "video"))
            previous.has_floor, previous.muted = False, previous.left_at is None
            previous.save(update_fields=["has_floor", "muted"])
        mids = _moderate(meeting, participation, mute=False, kinds=("audio", "video"))
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    participation.has_floor, participation.muted = True, False
    participation.save(update_fields=["has_floor", "muted"])
    _audit(actor, meeting, MeetingAudit.FLOOR_GIVE, participation, mids=mids)
    return participation


@transaction.atomic
def floor_take(*, actor, meeting, participation) -> Participation:
    """Take the floor back: the participant's sound and picture are muted again."""
    meeting, participation = _locked(actor, meeting, participation)
    if not participation.has_floor:
        raise ValidationError({"participant": [_("This participant does not have the floor.")]})
    try:
        mids = _moderate(meeting, participation, mute=True, kinds=("audio", "video"))
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    participation.has_floor, participation.muted = False, True
    participation.save(update_fields=["has_floor", "muted"])
    _audit(actor, meeting, MeetingAudit.FLOOR_TAKE, participation, mids=mids)
    return participation


@transaction.atomic
def participant_remove(*, actor, meeting, participation, now=None) -> Participation:
    """Remove a participant from the room: Janus kicks them and their endpoint's join tokens are taken
    off the room (a new token must be asked for to come back)."""
    meeting, participation = _locked(actor, meeting, participation)
    server = janus.server_named(meeting.janus_server)
    tokens = list(meeting.join_tokens.filter(endpoint=participation.endpoint).values_list("token", flat=True))
    try:
        janus.kick(server, room=meeting.janus_room, secret=meeting.room_secret, participant=participation.janus_id)
    except janus.JanusError as exc:
        if exc.code != 428:  # 428: no such participant (already gone): record the removal all the same
            raise _media_error(exc) from exc
    try:
        if tokens:
            janus.room_allow(
                server, room=meeting.janus_room, secret=meeting.room_secret, tokens=tokens, action="remove"
            )
        for token in tokens:
            janus.token_remove(server, token=token)
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    meeting.join_tokens.filter(endpoint=participation.endpoint).delete()
    participation.left_at = now or timezone.now()
    participation.left_how = Participation.Left.REMOVED
    participation.has_floor = False
    participation.save(update_fields=["left_at", "left_how", "has_floor"])
    _audit(actor, meeting, MeetingAudit.REMOVE, participation)
    return participation
