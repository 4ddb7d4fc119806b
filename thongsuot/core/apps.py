from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thongsuot.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.core import checks

        from thongsuot.core.sweeps import check_no_settings_lists

        checks.register(check_no_settings_lists)
