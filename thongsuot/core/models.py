from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who, what, which object, when, from where, before and after.

    Append-only: rows are never updated or deleted (enforced here and, on PostgreSQL,
    by a trigger installed in the migration).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class CalendarDay(models.Model):
    """An administrator's exception to the national calendar: an extra day off or a working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Day off")
        WORKING = "working", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.reason}"


class NumberCounter(models.Model):
    """The last number given in one series, for one scope and one period (thongsuot.core.numbering).

    Incremented by `next_number` in the transaction of the record that takes the number, so a rolled-back
    record gives its number back; the unique constraint is the backstop against two rows of one counter.
    """

    series = models.CharField(_("series"), max_length=60)
    scope = models.CharField(_("scope"), max_length=100)
    period = models.CharField(_("period"), max_length=60)
    value = models.PositiveBigIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["series", "scope", "period"], name="core_numbercounter_unique"),
        ]

    def __str__(self):
        return f"{self.series}/{self.scope}/{self.period}: {self.value}"


class Term(models.Model):
    """A committee term (nhiệm kỳ) of a Party body, or one of its congresses (đại hội): the periods over
    which Party documents are numbered (Hướng dẫn 36-HD/VPTW).

    A term runs from the day after one congress closes to the day the next one closes (`ends` empty while
    it is the current one); a congress numbers all its documents in one series from its opening to its
    closing. `body` is the key the numbering scope uses (e.g. the body's electronic identifier).
    """

    class Kind(models.TextChoices):
        TERM = "term", _("Committee term")
        CONGRESS = "congress", _("Congress")

    body = models.CharField(_("body"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TERM)
    key = models.CharField(_("key"), max_length=40, help_text=_("For example 2025-2030."))
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        ordering = ["body", "kind", "starts"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "key"], name="core_term_unique_key"),
            models.CheckConstraint(
                condition=models.Q(ends__isnull=True) | models.Q(ends__gte=models.F("starts")),
                name="core_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.body} {self.get_kind_display()} {self.key}"


class ExtensionBase(models.Model):
    """A deadline extension: requested with a reason and a new date, decided (approved or refused) by a
    leader. Abstract: each system's model adds the foreign key to what it extends and names it in
    `subject_field`; `thongsuot.core.services.extension_request` and `extension_decide` write it."""

    subject_field = ""  # the name of the subclass's foreign key to the record whose deadline moves

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    reason = models.TextField(_("reason"))
    previous_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(_("new due date"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]

    @classmethod
    def pending_for(cls, subject) -> models.QuerySet:
        """The extensions of `subject` waiting for a decision (at most one: extension_request sees to it)."""
        return cls.objects.filter(**{cls.subject_field: subject}, decision=cls.Decision.PENDING)

    @property
    def subject(self):
        return getattr(self, self.subject_field)
