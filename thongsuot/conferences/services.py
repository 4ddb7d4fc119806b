"""Every change of the conferences system: keyword-only, atomic, audited in the same transaction."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts.models import User
from thongsuot.conferences import janus, notifications, selectors
from thongsuot.conferences.audit_actions import EndpointAudit, GroupAudit, MeetingAudit
from thongsuot.conferences.models import Endpoint, EndpointGroup, Invitation, JoinToken, Meeting, MeetingDocument
from thongsuot.conferences.states import ORGANISER_ROLES, TIMELINE, WORKFLOW, Status
from thongsuot.core import attachments
from thongsuot.core.audit import audit_entry, audit_record, audit_record_bulk
from thongsuot.core.notifications import notify
from thongsuot.core.workflow import transition
from thongsuot.directory.models import Organisation

# Endpoints are made for the commune-level units and the city's departments.
ENDPOINT_KINDS = (Organisation.Kind.COMMUNE, Organisation.Kind.DEPARTMENT, Organisation.Kind.CITY)
BUILT_IN_GROUPS = (
    ("tat-ca-phuong", EndpointGroup.Kind.WARDS, Organisation.DivisionType.WARD, "Tất cả phường"),
    ("tat-ca-xa", EndpointGroup.Kind.COMMUNES, Organisation.DivisionType.COMMUNE, "Tất cả xã"),
)


# Endpoints and groups ----------------------------------------------------------------------------


@transaction.atomic
def endpoints_sync(*, actor="system") -> dict[str, int]:
    """One endpoint for every active unit and department that has none, and the built-in groups
    (all wards, all communes) holding exactly their endpoints. Running it again changes nothing."""
    have = set(Endpoint.objects.values_list("organisation_id", flat=True))
    new = [
        Endpoint(
            organisation=org,
            code=f"{org.code}.HNTH1",
            name=f"Điểm cầu {org.name}",
            room=f"Phòng họp trực tuyến {org.short_name or org.name}",
        )
        for org in Organisation.objects.filter(is_active=True, kind__in=ENDPOINT_KINDS).exclude(pk__in=have)
    ]
    created = Endpoint.objects.bulk_create(new)
    created = list(Endpoint.objects.filter(code__in=[e.code for e in new]))
    audit_record_bulk(
        audit_entry(actor=actor, action=EndpointAudit.CREATE, obj=e, organisation_id=e.organisation_id) for e in created
    )
    for code, kind, division, name in BUILT_IN_GROUPS:
        group, made = EndpointGroup.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        wanted = set(
            Endpoint.objects.filter(
                is_active=True, organisation__is_active=True, organisation__division_type=division
            ).values_list("pk", flat=True)
        )
        current = set(group.endpoints.values_list("pk", flat=True))
        if made or wanted != current:
            group.endpoints.set(wanted)
            audit_record(actor=actor, action=GroupAudit.SAVE, obj=group, after={"endpoints": len(wanted)})
    return {"created": len(created), "endpoints": Endpoint.objects.count()}


def _require_endpoint_change(actor, endpoint):
    from thongsuot.accounts import access

    access.require_change(actor, endpoint.organisation_id, roles=("unit_admin", "leader"))


@transaction.atomic
def endpoint_update(*, actor, endpoint, fields: dict, operators=None) -> Endpoint:
    """A unit administrator describes their endpoint (room, address, contact, equipment, link, operators)."""
    _require_endpoint_change(actor, endpoint)
    allowed = {"name", "room", "address", "contact_name", "contact_phone", "equipment", "network_link"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be changed.")]})
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": [_("Give the endpoint a name.")]})
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = {name: getattr(endpoint, name) for name in fields}
    for name, value in fields.items():
        setattr(endpoint, name, str(value).strip())
    endpoint.full_clean()
    endpoint.save()
    after = dict(fields)
    if operators is not None:
        operators = list(operators)
        outside = [u for u in operators if u.organisation_id != endpoint.organisation_id or u.kind != "staff"]
        if outside:
            raise ValidationError({"operators": [_("Operators must be staff of the endpoint's own unit.")]})
        before["operators"] = sorted(endpoint.operators.values_list("pk", flat=True))
        endpoint.operators.set(operators)
        after["operators"] = sorted(u.pk for u in operators)
    audit_record(
        actor=actor,
        action=EndpointAudit.UPDATE,
        obj=endpoint,
        organisation_id=endpoint.organisation_id,
        before=before,
        after=after,
    )
    return endpoint


@transaction.atomic
def group_save(*, actor, code: str, name: str, endpoint_ids: list[int]) -> EndpointGroup:
    """A custom cluster of endpoints (city organisers only)."""
    if not selectors.can_invite_any(actor):
        raise PermissionDenied(_("Your role does not allow this action."))
    if not name.strip():
        raise ValidationError({"name": [_("Give the group a name.")]})
    endpoints = list(Endpoint.objects.filter(pk__in=endpoint_ids, is_active=True))
    if not endpoints or len(endpoints) != len(set(endpoint_ids)):
        raise ValidationError({"endpoints": [_("Choose one or more existing endpoints.")]})
    group, _made = EndpointGroup.objects.update_or_create(
        code=code, defaults={"name": name.strip(), "kind": EndpointGroup.Kind.CUSTOM}
    )
    if group.kind != EndpointGroup.Kind.CUSTOM:
        raise ValidationError({"code": [_("A built-in group cannot be changed.")]})
    group.endpoints.set(endpoints)
    audit_record(actor=actor, action=GroupAudit.SAVE, obj=group, after={"endpoints": sorted(endpoint_ids)})
    return group


# Meetings ----------------------------------------------------------------------------------------


def resolve_invitees(*, actor, everyone=False, kinds=(), groups=(), endpoints=()) -> list[Endpoint]:
    """The endpoints an invitation names: all units, by kind (commune, department, city), by group,
    or one by one. A unit's own organisers may invite only their own unit's endpoints."""
    visible = selectors.endpoint_list(user=actor)
    chosen = visible.none()
    if everyone:
        chosen = visible
    else:
        bad_kinds = set(kinds) - {k.value for k in ENDPOINT_KINDS}
        if bad_kinds:
            raise ValidationError({"kinds": [_("Unknown kind of unit.")]})
        picked = set()
        if kinds:
            picked |= set(visible.filter(organisation__kind__in=kinds).values_list("pk", flat=True))
        if groups:
            group_rows = EndpointGroup.objects.filter(pk__in=groups)
            if group_rows.count() != len(set(groups)):
                raise ValidationError({"groups": [_("Unknown group.")]})
            picked |= set(visible.filter(groups__in=group_rows).values_list("pk", flat=True))
        if endpoints:
            found = set(visible.filter(pk__in=endpoints).values_list("pk", flat=True))
            if found != set(endpoints):
                raise ValidationError({"endpoints": [_("You may not invite one or more of these endpoints.")]})
            picked |= found
        chosen = visible.filter(pk__in=picked)
    chosen = list(chosen)
    if not chosen:
        raise ValidationError({"endpoints": [_("Invite at least one endpoint.")]})
    return chosen


def _check_times(starts_at, ends_at, *, now=None):
    now = now or timezone.now()
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": [_("Give the start date and time.")]})
    if ends_at is None or timezone.is_naive(ends_at):
        raise ValidationError({"ends_at": [_("Give the end date and time.")]})
    if starts_at < now - timedelta(minutes=5):
        raise ValidationError({"starts_at": [_("A meeting cannot start in the past.")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The meeting must end after it starts.")]})
    if ends_at - starts_at > timedelta(hours=12):
        raise ValidationError({"ends_at": [_("A meeting lasts at most 12 hours.")]})


def _check_chair(chair, organisation_id):
    if chair is None or chair.kind != User.Kind.STAFF or not chair.is_active:
        raise ValidationError({"chair": [_("The chair must be an active staff member.")]})


def place(*, endpoints: int, starts_at, ends_at, exclude_pk=None) -> str:
    """The configured Janus server with room for `endpoints` more at that time (the least loaded);
    ValidationError when none has."""
    load = selectors.servers_load(starts_at=starts_at, ends_at=ends_at, exclude_pk=exclude_pk)
    fitting = [s for s in janus.servers() if load.get(s["name"], 0) + endpoints <= s["capacity"]]
    if not fitting:
        raise ValidationError(
            {"endpoints": [_("No media server has room for %(n)d more endpoints at that time.") % {"n": endpoints}]}
        )
    return min(fitting, key=lambda s: load.get(s["name"], 0) / s["capacity"])["name"]


def _audience(meeting, endpoints=None) -> list[User]:
    """Who hears about a meeting: its chair, the operators of every invited endpoint and the organisers
    (leaders, unit administrators, clerks) of those endpoints' units."""
    endpoints = list(endpoints if endpoints is not None else meeting.endpoints.all())
    org_ids = {e.organisation_id for e in endpoints}
    people = {meeting.chair_id}
    people |= set(User.objects.filter(conference_endpoints__in=endpoints, is_active=True).values_list("pk", flat=True))
    people |= set(
        User.objects.filter(
            organisation_id__in=org_ids, is_active=True, kind=User.Kind.STAFF, roles__code__in=ORGANISER_ROLES
        ).values_list("pk", flat=True)
    )
    return list(User.objects.filter(pk__in=people))


def _random_room() -> int:
    while True:
        room = secrets.randbelow(2**52) + 10**9
        if not Meeting.objects.filter(janus_room=room).exists():
            return room


@attachments.discard_files_on_error
@transaction.atomic
def meeting_schedule(
    *, actor, title, chair, starts_at, ends_at, agenda="", invite: dict, files=(), now=None
) -> Meeting:
    """A new meeting of the actor's unit, its invited endpoints told (e-mail with an .ics file and the
    list in the platform)."""
    if not (selectors.can_invite_any(actor) or actor.has_role(*ORGANISER_ROLES)) or actor.organisation_id is None:
        raise PermissionDenied(_("Your role does not allow this action."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the meeting a title.")]})
    _check_times(starts_at, ends_at, now=now)
    _check_chair(chair, actor.organisation_id)
    invited = resolve_invitees(actor=actor, **invite)
    checked = attachments.check(uploads_policy(), list(files), field="files") if files else []
    server = place(endpoints=len(invited), starts_at=starts_at, ends_at=ends_at)
    meeting = Meeting(
        organisation_id=actor.organisation_id,
        title=title[:300],
        chair=chair,
        starts_at=starts_at,
        ends_at=ends_at,
        agenda=(agenda or "").strip(),
        janus_server=server,
        janus_room=_random_room(),
        created_by=actor,
    )
    meeting.full_clean(exclude=["endpoints"])
    meeting.save()
    Invitation.objects.bulk_create(Invitation(meeting=meeting, endpoint=e) for e in invited)
    for item in checked:
        MeetingDocument.objects.create(
            meeting=meeting, **attachments.save(item, field=MeetingDocument._meta.get_field("file"))
        )
    TIMELINE.record(
        meeting,
        actor=actor,
        action="schedule",
        to_status=Status.SCHEDULED,
        save=False,
        note=_("%(n)d endpoints invited") % {"n": len(invited)},
    )
    notify(notifications.INVITED, _audience(meeting, invited), {"meeting_id": meeting.pk})
    return meeting


def uploads_policy():
    from thongsuot.conferences.uploads import DOCUMENTS

    return DOCUMENTS


@transaction.atomic
def meeting_update(*, actor, meeting, fields: dict, invite: dict | None = None, now=None) -> Meeting:
    """Change a scheduled meeting (title, chair, times, agenda, invited endpoints): everyone invited,
    before or after, is told again; an endpoint no longer invited gets a cancellation."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "update")
    unknown = set(fields) - {"title", "chair", "starts_at", "ends_at", "agenda"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be changed.")]})
    values = {
        name: fields.get(name, getattr(meeting, name)) for name in ("title", "chair", "starts_at", "ends_at", "agenda")
    }
    values["title"] = (values["title"] or "").strip()
    if not values["title"]:
        raise ValidationError({"title": [_("Give the meeting a title.")]})
    if "starts_at" in fields or "ends_at" in fields:
        _check_times(values["starts_at"], values["ends_at"], now=now)
    _check_chair(values["chair"], meeting.organisation_id)
    before = list(meeting.endpoints.all())
    after = resolve_invitees(actor=actor, **invite) if invite is not None else before
    values["janus_server"] = place(
        endpoints=len(after), starts_at=values["starts_at"], ends_at=values["ends_at"], exclude_pk=meeting.pk
    )
    values["sequence"] = meeting.sequence + 1
    removed = [e for e in before if e not in after]
    if invite is not None:
        meeting.invitations.exclude(endpoint__in=after).delete()
        have = set(meeting.invitations.values_list("endpoint_id", flat=True))
        Invitation.objects.bulk_create(Invitation(meeting=meeting, endpoint=e) for e in after if e.pk not in have)
    TIMELINE.record(meeting, actor=actor, action="update", fields=values)
    notify(notifications.CHANGED, _audience(meeting, after), {"meeting_id": meeting.pk})
    if removed:
        gone = {u.pk for u in _audience(meeting, removed)} - {u.pk for u in _audience(meeting, after)}
        notify(notifications.CANCELLED, list(User.objects.filter(pk__in=gone)), {"meeting_id": meeting.pk})
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the meeting is cancelled.")]})
    transition(
        WORKFLOW,
        meeting,
        Status.CANCELLED,
        actor=actor,
        note=reason.strip(),
        fields={"cancel_reason": reason.strip(), "sequence": meeting.sequence + 1},
    )
    notify(notifications.CANCELLED, _audience(meeting), {"meeting_id": meeting.pk})
    return meeting


@attachments.discard_files_on_error
@transaction.atomic
def meeting_attach(*, actor, meeting, files) -> list[MeetingDocument]:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "attach")
    if meeting.documents.count() + len(files) > uploads_policy().max_files:
        raise ValidationError({"files": [_("Too many documents for one meeting.")]})
    checked = attachments.check(uploads_policy(), list(files), field="files")
    field = MeetingDocument._meta.get_field("file")
    saved = [MeetingDocument.objects.create(meeting=meeting, **attachments.save(c, field=field)) for c in checked]
    TIMELINE.record(meeting, actor=actor, action="attach", note=", ".join(d.original_name for d in saved))
    return saved


def _server(meeting) -> dict:
    return janus.server_named(meeting.janus_server)


def _media_error(exc) -> ValidationError:
    return ValidationError({"__all__": [_("The media server is not available: %(e)s") % {"e": exc}]})


@transaction.atomic
def meeting_start(*, actor, meeting) -> Meeting:
    """The chair opens the meeting: its private room is created on its Janus server."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "start")
    try:
        janus.room_create(
            _server(meeting), room=meeting.janus_room, secret=meeting.room_secret, description=meeting.title
        )
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    transition(WORKFLOW, meeting, Status.LIVE, actor=actor)
    return meeting


@transaction.atomic
def meeting_end(*, actor, meeting) -> Meeting:
    """The chair ends the meeting: its room is destroyed (everyone still in it leaves)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "end")
    transition(WORKFLOW, meeting, Status.ENDED, actor=actor)
    tokens = list(meeting.join_tokens.values_list("token", flat=True))
    meeting.join_tokens.all().delete()
    if meeting.recording:  # the room goes, and Janus closes its recordings with it
        Meeting.objects.filter(pk=meeting.pk).update(recording=False)
        meeting.recording = False
        from thongsuot.conferences.services_recording import convert_later

        convert_later(meeting)
    meeting.participations.filter(left_at__isnull=True).update(
        left_at=meeting.ended_at or timezone.now(), left_how="ended", has_floor=False
    )
    try:
        janus.room_destroy(_server(meeting), room=meeting.janus_room, secret=meeting.room_secret)
        for token in tokens:
            janus.token_remove(_server(meeting), token=token)
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    return meeting


def can_operate(user, endpoint) -> bool:
    """An endpoint's operator: named on it, or an administrator or leader of its unit."""
    if not (getattr(user, "is_authenticated", False) and user.kind == User.Kind.STAFF and user.is_active):
        return False
    if endpoint.operators.filter(pk=user.pk).exists():
        return True
    return user.organisation_id == endpoint.organisation_id and user.has_role("unit_admin", "leader")


@transaction.atomic
def join_token_issue(*, actor, meeting, endpoint, now=None) -> JoinToken:
    """A short-lived token for one endpoint to join one live meeting's room, added to that room's
    allowed list on Janus (no other room accepts it)."""
    now = now or timezone.now()
    meeting = Meeting.objects.get(pk=meeting.pk)  # its state now, not the caller's copy
    if not can_operate(actor, endpoint):
        raise PermissionDenied(_("You do not operate this endpoint."))
    if not meeting.invitations.filter(endpoint=endpoint).exists():
        raise PermissionDenied(_("This endpoint is not invited to the meeting."))
    if meeting.status != Status.LIVE:
        raise ValidationError({"meeting": [_("The meeting is not live.")]})
    token = JoinToken.objects.create(
        meeting=meeting,
        endpoint=endpoint,
        user=actor,
        token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(minutes=settings.JANUS_TOKEN_MINUTES),
    )
    try:
        janus.room_allow(_server(meeting), room=meeting.janus_room, secret=meeting.room_secret, tokens=[token.token])
        janus.token_add(_server(meeting), token=token.token)  # the browser's key to Janus' API
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    audit_record(
        actor=actor,
        action=MeetingAudit.JOIN_TOKEN,
        obj=meeting,
        organisation_id=endpoint.organisation_id,
        after={"endpoint": endpoint.code, "expires_at": token.expires_at},
    )
    return token


def join_tokens_expire(*, now=None) -> int:
    """Take expired tokens off their rooms' allowed lists (a sweep; idempotent)."""
    now = now or timezone.now()
    done = 0
    for token in JoinToken.objects.filter(expires_at__lt=now).select_related("meeting"):
        meeting = token.meeting
        if meeting.status == Status.LIVE:
            try:
                janus.room_allow(
                    _server(meeting),
                    room=meeting.janus_room,
                    secret=meeting.room_secret,
                    tokens=[token.token],
                    action="remove",
                )
                janus.token_remove(_server(meeting), token=token.token)
            except janus.JanusError:
                continue
        token.delete()
        done += 1
    return done
