from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "thongsuot.readiness"
    label = "readiness"
    verbose_name = "Readiness"
