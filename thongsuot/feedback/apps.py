from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "thongsuot.feedback"
    label = "feedback"
    verbose_name = _("1022 feedback")

    def ready(self):
        from thongsuot.feedback import uploads

        uploads.register_owner()
