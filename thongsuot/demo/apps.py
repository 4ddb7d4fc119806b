from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (`manage.py load_demo`, `manage.py generate_feedback`): above every system, which it may
    all use, and outside their runtime code."""

    name = "thongsuot.demo"
    label = "demo"
    verbose_name = "Demo data"
