from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "thongsuot.conferences"
    label = "conferences"
    verbose_name = _("Video conferences")

    def ready(self):
        from thongsuot.conferences import uploads
        from thongsuot.conferences.notifications import EVENTS
        from thongsuot.core.notifications import register

        register(*EVENTS)
        uploads.register_owner()
