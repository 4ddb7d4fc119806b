import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thongsuot.conferences.states import Status
from thongsuot.core.attachments.models import AttachmentBase
from thongsuot.core.timeline import TimelineEvent


class Endpoint(models.Model):
    """A meeting room (điểm cầu) of a unit or department, from which it joins the city's meetings."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="conference_endpoints"
    )
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    room = models.CharField(_("meeting room"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    network_link = models.CharField(_("network link"), max_length=200, blank=True)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="conference_endpoints", verbose_name=_("operators")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__kind", "organisation__name", "code"]
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")

    def __str__(self):
        return self.name


class EndpointGroup(models.Model):
    """Endpoints a meeting can invite at once: all wards, all communes, or a custom cluster."""

    class Kind(models.TextChoices):
        WARDS = "wards", _("All wards (phường)")
        COMMUNES = "communes", _("All communes (xã)")
        CUSTOM = "custom", _("Custom cluster")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CUSTOM)
    endpoints = models.ManyToManyField(Endpoint, blank=True, related_name="groups", verbose_name=_("endpoints"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("endpoint group")
        verbose_name_plural = _("endpoint groups")

    def __str__(self):
        return self.name


def _room_secret():
    return secrets.token_urlsafe(24)


class Meeting(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="conference_meetings"
    )
    title = models.CharField(_("title"), max_length=300)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings", verbose_name=_("chair")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    endpoints = models.ManyToManyField(
        Endpoint, through="Invitation", related_name="meetings", verbose_name=_("invited endpoints")
    )
    sequence = models.PositiveIntegerField(default=0, help_text="The iCalendar SEQUENCE: raised on each change.")
    janus_server = models.CharField(max_length=60, blank=True)
    janus_room = models.BigIntegerField(null=True, blank=True, unique=True)
    room_secret = models.CharField(max_length=64, default=_room_secret, editable=False)
    cancel_reason = models.TextField(blank=True)
    recording = models.BooleanField(default=False, help_text="Janus records every publisher's feeds now.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="invitations")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "endpoint"], name="conferences_invitation_once")]

    def __str__(self):
        return f"{self.meeting_id} → {self.endpoint_id}"


class JoinToken(models.Model):
    """A short-lived token the platform issues to one operator for one meeting's Janus room."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="join_tokens")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.meeting_id}/{self.endpoint_id} until {self.expires_at:%H:%M}"


class MeetingEvent(TimelineEvent):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        pass

    @property
    def action_label(self) -> str:
        from thongsuot.conferences.states import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


def _document_path(instance, filename):
    return f"conferences/{instance.meeting_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class MeetingDocument(AttachmentBase):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(max_length=200, upload_to=_document_path)
    thumbnail = models.FileField(max_length=200, blank=True, upload_to=_document_path)


class Participation(models.Model):
    """One stay of an endpoint in a meeting's Janus room, from Janus' own events (joined → leaving);
    a rejoin is a new row."""

    class Left(models.TextChoices):
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed by the chair")
        ENDED = "ended", _("Meeting ended")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="participations")
    janus_id = models.BigIntegerField()
    session_id = models.BigIntegerField(null=True, blank=True)
    handle_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    opaque_id = models.CharField(max_length=100, blank=True)
    display = models.CharField(max_length=200, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    left_how = models.CharField(max_length=10, choices=Left.choices, blank=True)
    muted = models.BooleanField(default=False)
    has_floor = models.BooleanField(default=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        indexes = [models.Index(fields=["meeting", "janus_id"], name="conferences_part_janus")]

    def __str__(self):
        return f"{self.endpoint_id} in {self.meeting_id} from {self.joined_at:%H:%M}"

    @property
    def is_present(self) -> bool:
        return self.left_at is None


class AttendanceMark(models.Model):
    """The host's own mark for an endpoint (joined by phone, failed to connect): it overrides the roll-call
    from Janus' events."""

    class Mark(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance_marks")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(_("mark"), max_length=10, choices=Mark.choices)
    reason = models.CharField(_("reason"), max_length=300)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "endpoint"], name="conferences_mark_once")]

    def __str__(self):
        return f"{self.endpoint_id}: {self.mark}"


class QualitySample(models.Model):
    """Janus' media statistics for one stream of one participant at one moment (every stats period)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="samples")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    media = models.CharField(max_length=5)  # audio | video
    rtt = models.PositiveIntegerField(null=True, blank=True, help_text="Round-trip time, ms.")
    lost = models.PositiveIntegerField(null=True, blank=True, help_text="Packets lost so far (ours and theirs).")
    jitter = models.FloatField(null=True, blank=True, help_text="Jitter, ms (the worse of both sides).")
    link_quality = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Janus' 0–100 link quality.")
    kbps_in = models.PositiveIntegerField(null=True, blank=True)
    kbps_out = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["meeting", "endpoint", "at"], name="conferences_quality_ep")]

    def __str__(self):
        return f"{self.endpoint_id} {self.media} at {self.at:%H:%M:%S}"


def _recording_path(instance, filename):
    return f"conferences/{instance.meeting_id}/recordings/{secrets.token_hex(8)}-{filename[-80:]}"


class MeetingRecording(AttachmentBase):
    """One recorded feed of a meeting (an endpoint's sound or picture), converted by janus-pp-rec into a
    playable file; downloadable by whoever sees the meeting (the invited units, the organiser, the chair)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    media = models.CharField(max_length=5)  # audio | video
    file = models.FileField(max_length=200, upload_to=_recording_path)
    thumbnail = models.FileField(max_length=200, blank=True, upload_to=_recording_path)

    class Meta:
        ordering = ["created_at", "pk"]
