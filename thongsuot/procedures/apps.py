from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "thongsuot.procedures"
    label = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from thongsuot.core.notifications import register
        from thongsuot.procedures import uploads
        from thongsuot.procedures.notifications import EVENTS

        register(*EVENTS)
        uploads.register_owner()
