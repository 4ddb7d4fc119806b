"""The catalogue of administrative procedures (issue 16, item 1).

A procedure's required documents and processing steps are lists kept on the procedure itself (JSON),
checked by `catalogue.clean_record`: they are always read, written, imported and exported with it."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
