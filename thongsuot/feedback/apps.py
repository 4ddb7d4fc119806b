from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "thongsuot.feedback"
    label = "feedback"
    verbose_name = _("1022 feedback")

    def ready(self):
        from thongsuot.core.notifications import register
        from thongsuot.feedback import uploads
        from thongsuot.feedback.notifications import EVENTS

        register(*EVENTS)
        uploads.register_owner()
