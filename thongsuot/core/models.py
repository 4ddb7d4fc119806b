from django.conf import settings
from django.db import models
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


from thongsuot.core.notifications.models import Notification  # noqa: E402, F401 (the app's models live here)
