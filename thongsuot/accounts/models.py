from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import roles


class Role(models.Model):
    """A role a staff member holds. `city_wide` roles see and change every organisation's records."""

    # The platform's common roles. A system declares its own in its AppConfig (thongsuot.accounts.roles),
    # which also says which every unit needs and which reach every unit of one system.
    PLATFORM_ADMIN = roles.PLATFORM_ADMIN
    UNIT_ADMIN = roles.UNIT_ADMIN
    LEADER = roles.LEADER
    CLERK = roles.CLERK
    SPECIALIST = roles.SPECIALIST
    ONE_STOP_OFFICER = roles.ONE_STOP_OFFICER

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    city_wide = models.BooleanField(_("city-wide access"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A staff member of one organisation, or a citizen. Never both."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")

    kind = models.CharField(_("account kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=15, blank=True, db_index=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    # The language the user last chose in the page header: their notifications are written in it ("": the
    # platform's default, Vietnamese). Kept by accounts.middleware.RememberLanguageMiddleware.
    language = models.CharField(_("language"), max_length=8, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="user_email_unique"),
            models.CheckConstraint(
                condition=Q(kind="citizen", organisation__isnull=True) | Q(kind="staff"),
                name="citizen_has_no_organisation",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF

    def role_codes(self) -> set[str]:
        cache = getattr(self, "_role_codes", None)
        if cache is None:
            cache = set(self.roles.values_list("code", flat=True)) if self.pk else set()
            self._role_codes = cache
        return cache

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))


class ApiToken(models.Model):
    """A personal token for machine clients: only its SHA-256 is stored; it expires and can be revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ProvisioningBatch(models.Model):
    """One uploaded staff list: its parsed rows, the preview, and whether it was applied."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")

    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)
    deactivate_missing = models.BooleanField(default=False)
    summary = models.JSONField(default=dict)
    organisations = models.ManyToManyField("directory.Organisation", blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.created_at:%d/%m/%Y %H:%M})"
