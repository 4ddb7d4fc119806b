from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "thongsuot.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from thongsuot.core.notifications import events
        from thongsuot.documents import notifications, uploads

        uploads.register_owner()
        events.register(*notifications.EVENTS)
