"""The names of the directory's audit actions (read by thongsuot.core.audit_display)."""

from django.utils.translation import gettext_lazy as _

from thongsuot.core.audit_display import register_action_labels, register_field_labels

register_action_labels(
    {
        "organisation.create": _("Organisation added"),
        "organisation.rename": _("Organisation renamed"),
        "organisation.update": _("Organisation updated"),
        "organisation.retire": _("Organisation retired"),
    }
)
register_field_labels(
    "directory.organisation", {"parent": _("Parent organisation"), "counterpart": _("Corresponding unit")}
)
