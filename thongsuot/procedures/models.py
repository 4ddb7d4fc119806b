"""The catalogue of administrative procedures (issue 16, item 1).

A procedure's required documents and processing steps are lists kept on the procedure itself (JSON),
checked by `catalogue.clean_record`: they are always read, written, imported and exported with it."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from thongsuot.core.timeline import TimelineEvent
from thongsuot.procedures.states import Channel, Status

# The national code of a procedure (Cơ sở dữ liệu quốc gia về TTHC): "1.001193", "2.000908", or the
# code of its local implementation "1.001193.000.00.00.H29" (H29: Hồ Chí Minh City).
CODE_PATTERN = r"^[1-3]\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})?$"
code_validator = RegexValidator(
    re.compile(CODE_PATTERN),
    _("A procedure code looks like 1.001193 or 1.001193.000.00.00.H29."),
    code="invalid_code",
)


class Procedure(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        COMMUNE = "commune", _("Commune")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        WORKING_HOURS = "working_hours", _("working hours")

    class Online(models.TextChoices):
        NONE = "none", _("Not online")
        PARTIAL = "partial", _("Online in part")
        FULL = "full", _("Online in full")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=500)
    name_folded = models.CharField(max_length=500, editable=False, db_index=True)
    field = models.CharField(_("field"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COMMUNE)
    time_amount = models.DecimalField(_("processing time"), max_digits=6, decimal_places=1)
    time_unit = models.CharField(_("time unit"), max_length=20, choices=TimeUnit.choices)
    time_note = models.CharField(_("processing time as published"), max_length=500, blank=True)
    fee = models.PositiveIntegerField(_("fee (VND)"), default=0)
    fee_note = models.CharField(_("fee as published"), max_length=500, blank=True)
    documents = models.JSONField(_("required documents"), default=list)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    result = models.CharField(_("result"), max_length=500)
    steps = models.JSONField(_("processing steps"), default=list)
    regardless_of_residence = models.BooleanField(_("received regardless of residence"), default=False)
    online = models.CharField(_("online service"), max_length=10, choices=Online.choices, default=Online.NONE)
    cutoff_hour = models.TimeField(_("cut-off hour"), null=True, blank=True)
    active = models.BooleanField(_("in force"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field", "name"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def fee_display(self) -> str:
        """The fee in đồng as Vietnamese writes it: 50.000."""
        return f"{self.fee:,}".replace(",", ".")

    def save(self, *args, **kwargs):
        from thongsuot.core.text import fold

        self.name_folded = fold(self.name)[:500]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)


class CatalogueImport(models.Model):
    """An uploaded catalogue workbook, read and checked but not yet applied: its preview."""

    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    rows = models.JSONField(default=list)  # [{"line", "action", "code", "name", "record", "errors", "changes"}]
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename


# Dossiers (hồ sơ) -------------------------------------------------------------------------------------


class Dossier(models.Model):
    """One applicant's dossier for one procedure: received online or at a unit's one-stop desk, decided by
    its deciding unit (the same or another: phi địa giới), through the procedure's steps (DossierStep) to
    the legal due time (procedures.deadlines), with its timeline (DossierEvent) and audit rows."""

    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    # the counter that gave the code (core.numbering): the receiving unit's, per day
    number = models.PositiveIntegerField()
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    receiving_unit = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving unit")
    )
    deciding_unit = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding unit")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    applicant_id_number = models.CharField(_("ID number"), max_length=12)
    applicant_phone = models.CharField(_("phone"), max_length=15)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    # the clock stopped while waiting for additional documents
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_from = models.CharField(max_length=20, blank=True)
    additional_requests = models.PositiveSmallIntegerField(default=0)
    missing = models.TextField(_("documents missing"), blank=True)
    current_step = models.PositiveSmallIntegerField(_("current step"), default=0)
    fee = models.PositiveIntegerField(_("fee (VND)"), default=0)
    fee_paid_at = models.DateTimeField(_("fee paid at"), null=True, blank=True)
    fee_channel = models.CharField(max_length=10, blank=True)  # desk | online
    fee_receipt = models.CharField(_("receipt number"), max_length=30, blank=True)
    fee_transaction = models.CharField(max_length=100, blank=True)  # the gateway's, when paid online
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    result_note = models.TextField(_("result"), blank=True)
    result_file = models.FileField(upload_to="procedures/results/%Y/%m/", max_length=200, blank=True)
    late = models.BooleanField(_("late"), default=False)
    # a late dossier's apology and new date (Mẫu 04); the due time first given stays here
    apology_reason = models.TextField(_("reason for the delay"), blank=True)
    apologised_at = models.DateTimeField(null=True, blank=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    # the applicant's rating of the service, after the result
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_note = models.TextField(_("comment"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["receiving_unit", "status"]),
            models.Index(fields=["deciding_unit", "status"]),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return self.code

    @property
    def phone_check(self) -> str:
        """The last four digits of the applicant's phone: the check of the public lookup."""
        return self.applicant_phone[-4:]

    @property
    def last_processing_step(self) -> int:
        """The index of the last step processed before the leader's approval (at least 1)."""
        steps = self.procedure.steps
        leader = next((i for i, step in enumerate(steps) if step.get("role") == "leader" and i > 0), len(steps) - 1)
        return max(1, leader - 1)


class DossierDocument(models.Model):
    """A required document of the procedure as received in the dossier (or not: `received`), with its
    file when it was sent online (core.attachments)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    index = models.PositiveSmallIntegerField()
    name = models.CharField(_("document"), max_length=500)
    original = models.BooleanField(_("original"), default=True)
    count = models.PositiveSmallIntegerField(_("copies"), default=1)
    mandatory = models.BooleanField(default=True)
    received = models.BooleanField(_("received"), default=False)
    file = models.FileField(upload_to="procedures/documents/%Y/%m/", max_length=200, blank=True)
    thumbnail = models.FileField(upload_to="procedures/documents/%Y/%m/", max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["index", "pk"]

    def __str__(self):
        return self.name


class DossierStep(models.Model):
    """One of the procedure's steps for this dossier, with its due time and when it was done."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    index = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=500)
    body = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=50, blank=True)
    share = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["dossier", "index"], name="procedures_step_unique")]

    def __str__(self):
        return self.name

    @property
    def late(self) -> bool:
        return bool(self.completed_at and self.completed_at > self.due_at)


class DossierEvent(TimelineEvent):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        pass

    @property
    def label(self):
        from thongsuot.procedures.states import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)
