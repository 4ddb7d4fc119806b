"""The names of the accounts' audit actions (read by thongsuot.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from thongsuot.core.audit_display import register_action_labels, register_field_labels

register_action_labels(
    {
        "account.create": _("Account created"),
        "account.update": _("Account updated"),
        "account.deactivate": _("Account deactivated"),
        "account.activate": _("Account activated"),
        "account.password_reset": _("Password reset"),
        "citizen.register": _("Citizen registered"),
        "provisioning.preview": _("Staff list uploaded for preview"),
        "provisioning.apply": _("Staff list applied"),
        "api_token.create": _("API token created"),
        "api_token.revoke": _("API token revoked"),
        "two_factor.enable": _("Two-factor sign-in enabled"),
    }
)
register_field_labels("accounts.apitoken", {"prefix": _("Token prefix")})
register_field_labels(  # the summary of a staff list: rows per action
    "accounts.provisioningbatch",
    {
        "create": _("Create"),
        "update": _("Update"),
        "unchanged": _("Unchanged"),
        "deactivate": _("Deactivate"),
        "error": _("Errors"),
    },
)
