"""The names of the procedures system's audit actions (read by thongsuot.core.audit_display): a dossier's
actions are its timeline's (states.ACTION_LABELS)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from thongsuot.core.audit_display import register_action_labels
from thongsuot.procedures.states import ACTION_LABELS

register_action_labels(
    {
        f"procedures.dossier.{action}": format_lazy("{}: {}", _("Dossier"), label)
        for action, label in ACTION_LABELS.items()
    }
)
