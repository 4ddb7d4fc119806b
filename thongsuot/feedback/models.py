"""Tables of the 1022 feedback system (phản ánh kiến nghị)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thongsuot.core.attachments.models import AttachmentBase
from thongsuot.core.models import ExtensionBase
from thongsuot.core.text import fold
from thongsuot.core.timeline import TimelineEvent
from thongsuot.feedback.states import RejectReason, Status

MAX_DESCRIPTION = 4000


class Category(models.Model):
    """An area of reports, who is responsible for it and how many working days it gets."""

    class Responsible(models.TextChoices):
        COMMUNE = "commune", _("The commune-level unit where it happens")
        DEPARTMENT = "department", _("A named city department")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    responsible = models.CharField(
        _("responsible"), max_length=12, choices=Responsible.choices, default=Responsible.COMMUNE
    )
    department = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    department_code = models.CharField(
        _("department identifier"),
        max_length=35,
        blank=True,
        help_text=_("Links the department once the directory is loaded."),
    )
    handling_days = models.PositiveSmallIntegerField(_("working days to handle"), default=5)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    HOTLINE = "hotline", _("Hotline 1022")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    EMAIL = "email", _("Email")
    APP = "app", _("Mobile app")
    ZALO = "zalo", _("Zalo")


class Report(models.Model):
    """One citizen report. Contact fields are never shown to the public."""

    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION)
    public_description = models.TextField(_("public text"), blank=True, help_text=_("Shown instead of the original."))
    address = models.CharField(_("address"), max_length=500, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    resolved_unit = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit of the location"),
    )
    resolution_method = models.CharField(max_length=20, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_reports",
        verbose_name=_("handling body"),
    )
    contact_name = models.CharField(_("name"), max_length=150)
    contact_phone = models.CharField(_("phone"), max_length=15, blank=True, db_index=True)
    contact_email = models.EmailField(_("email"), blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citizen_key = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reject_reason = models.CharField(_("reason for refusal"), max_length=15, choices=RejectReason.choices, blank=True)
    status_note = models.TextField(_("note"), blank=True)
    resolution = models.TextField(_("result"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    committed_date = models.DateField(_("committed date"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    hidden = models.BooleanField(_("hidden from the public"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", verbose_name=_("merged into")
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)
    return_count = models.PositiveSmallIntegerField(default=0)
    search_folded = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["category", "status", "received_at"]),
            models.Index(  # statistics: a period's figures from the index alone (index-only scan on PostgreSQL)
                fields=[
                    "received_at",
                    "organisation",
                    "status",
                    "resolved_at",
                    "due_date",
                    "satisfied",
                    "reopen_count",
                    "merged_into",
                    "category",
                    "channel",
                ],
                name="feedback_report_stats_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def public_text(self) -> str:
        return self.public_description or self.description

    @property
    def routing_seconds(self) -> float | None:
        if self.forwarded_at is None:
            return None
        return (self.forwarded_at - self.received_at).total_seconds()

    def refresh_search(self) -> None:
        """The folded public text that the public search matches (never the contact data)."""
        parts = [self.code, self.category.name if self.category_id else "", self.public_text, self.address]
        self.search_folded = fold(" ".join(p for p in parts if p))

    def save(self, *args, **kwargs):
        self.refresh_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_folded" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_folded"]
        super().save(*args, **kwargs)


class ReportEvent(TimelineEvent):
    """One entry of a report's timeline (thongsuot.core.timeline); public entries are shown on the follow page."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)

    class Meta(TimelineEvent.Meta):
        pass

    @property
    def action_label(self) -> str:
        from thongsuot.feedback.states import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def actor_display(self) -> str:
        """Who did it as people read it: a staff member's full name and position ("Nguyễn Văn An,
        Chuyên viên"), never the e-mail address the audit label keeps; "Citizen" or "System" otherwise."""
        from thongsuot.feedback.states import ACTOR_LABELS

        if self.actor_id is not None and self.actor.full_name:
            return ", ".join(part for part in (self.actor.full_name, self.actor.position) if part)
        return str(ACTOR_LABELS.get(self.actor_label, self.actor_label))

    def __str__(self):
        return f"{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Attachment(AttachmentBase):
    """A photo or video of a report (the shared attachment fields, checked by uploads.policy())."""

    class Stage(models.TextChoices):
        CITIZEN = "citizen", _("From the citizen")
        PROGRESS = "progress", _("Progress")
        RESULT = "result", _("Result")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.CITIZEN)
    file = models.FileField(upload_to="feedback/%Y/%m/", max_length=200)
    thumbnail = models.FileField(upload_to="feedback/%Y/%m/", max_length=200, blank=True)
    public = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The address it was downloaded from (an Open311 media_url); empty for a file sent with the report.
    source_url = models.URLField(_("downloaded from"), max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class Extension(ExtensionBase):
    """A deadline extension of a report: requested with a reason and a date, decided by a leader
    (thongsuot.core.models.ExtensionBase)."""

    subject_field = "report"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="extensions")

    class Meta(ExtensionBase.Meta):
        pass

    def __str__(self):
        return f"{self.report_id} → {self.new_date}"


class Follower(models.Model):
    """A citizen told of every change: the submitter of a duplicate merged into this report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=15, blank=True)
    email = models.EmailField(blank=True)
    source = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name or self.phone or self.email


class CodeSequence(models.Model):
    """The last number handed out for a tracking-code prefix (one row per month). On PostgreSQL real
    submissions are numbered from a sequence per month instead (feedback_code_pa_yymm, which starts after
    this row if the month had one: services.intake.next_code); the demo data's DM- months stay here."""

    prefix = models.CharField(max_length=10, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class SubmissionMark(models.Model):
    """One anonymous submission, keyed by a hash of the client IP or phone, for rate limiting. On
    PostgreSQL the table is UNLOGGED (migration 0006): a crash empties it, which only restarts the count."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self):
        return f"{self.key[:8]}… {self.at:%Y-%m-%d %H:%M}"


class PendingSubmission(models.Model):
    """A citizen's submission (public form or Open311) that was validated, located, numbered and
    rate-checked, and is waiting for a task worker to register it as a Report with its timeline event and
    audit row (services.submissions). Its code is already the report's; the row is deleted in the
    transaction that registers it."""

    MAX_ATTEMPTS = 5  # a submission that failed to register this often waits for the platform team

    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    received_at = models.DateTimeField(_("received at"))
    data = models.JSONField()
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending submission")
        verbose_name_plural = _("pending submissions")

    def __str__(self):
        return self.code
