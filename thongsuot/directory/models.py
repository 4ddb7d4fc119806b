from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# QĐ 20/2020/QĐ-TTg: at most 35 characters of 0-9, A-Z and dots, dot-separated groups.
identifier_validator = RegexValidator(
    r"^[0-9A-Z]+(\.[0-9A-Z]+)*$", _("An identifier uses only 0-9, A-Z and dots between groups.")
)


class Organisation(models.Model):
    """A body on the platform: the city, a commune-level unit, a department or a Party body.

    Organisations are never deleted: a unit that disappears from the reference data is retired.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        COMMUNE = "commune", _("Commune-level unit")
        DEPARTMENT = "department", _("City department or agency")
        PARTY = "party", _("Party body")

    class DivisionType(models.TextChoices):
        WARD = "phuong", _("Ward (phường)")
        COMMUNE = "xa", _("Commune (xã)")
        SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")

    code = models.CharField(_("electronic identifier"), max_length=35, unique=True, validators=[identifier_validator])
    admin_code = models.CharField(_("administrative unit code"), max_length=10, unique=True, null=True, blank=True)
    seq = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    division_type = models.CharField(_("unit type"), max_length=10, choices=DivisionType.choices, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    counterpart = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a unit's Party committee: the unit it belongs to."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def save(self, *args, **kwargs):
        from thongsuot.core.text import fold

        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.name
