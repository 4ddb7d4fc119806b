from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from thongsuot.feedback import roles


class FeedbackConfig(AppConfig):
    name = "thongsuot.feedback"
    label = "feedback"
    verbose_name = _("1022 feedback")
    roles = roles.DECLARED  # its handlers and its dispatchers (see thongsuot/accounts/roles.py)

    def import_models(self):
        """The app's models: models.py, and the Open311 clients kept beside their adapter (open311/), which
        models.py must not import (open311 is built on the rest of the app, not under it)."""
        super().import_models()
        from thongsuot.feedback.open311 import models as open311_models  # noqa: F401

    def ready(self):
        from thongsuot.core.notifications import register
        from thongsuot.feedback import uploads
        from thongsuot.feedback.notifications import EVENTS

        register(*EVENTS)
        uploads.register_owner()
