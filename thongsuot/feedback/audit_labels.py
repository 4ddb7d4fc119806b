"""The names of the 1022 system's audit actions (read by thongsuot.core.audit_display): a report's
actions are the timeline's (states.ACTION_LABELS)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from thongsuot.core.audit_display import register_action_labels, register_field_labels
from thongsuot.feedback.states import ACTION_LABELS

register_action_labels(
    {
        **{
            f"feedback.report.{action}": format_lazy("{}: {}", _("1022 report"), label)
            for action, label in ACTION_LABELS.items()
        },
        "feedback.category.create": _("1022 category added"),
        "feedback.category.update": _("1022 category changed"),
        "feedback.open311.request": _("Open311 report received"),
        "feedback.open311_client.create": _("Open311 app registered"),
        "feedback.open311_client.update": _("Open311 app changed"),
        "feedback.open311_client.activate": _("Open311 app activated"),
        "feedback.open311_client.revoke": _("Open311 app revoked"),
        "feedback.submission.retry": _("1022 submission retried"),
    }
)
register_field_labels(
    "feedback.report", {"reopen_count": _("Times reopened"), "return_count": _("Times returned as not ours")}
)
