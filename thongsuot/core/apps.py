from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thongsuot.core"
    label = "core"
    verbose_name = "Core"

    def import_models(self):
        """The app's models: models.py, and the notifications' kept in their package (notifications/),
        which models.py must not import (the notifications are built on the audit log, not under it)."""
        super().import_models()
        from thongsuot.core.notifications import models as notification_models  # noqa: F401

    def ready(self):
        from django.core import checks

        from thongsuot.core.sweeps import check_no_settings_lists

        checks.register(check_no_settings_lists)
