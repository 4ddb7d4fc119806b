"""The 1022 dispatcher role: routes reports to every unit, within the feedback system only."""

from django.db import migrations


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.update_or_create(code="feedback_dispatcher", defaults={"name": "Điều phối viên 1022", "city_wide": False})


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code="feedback_dispatcher").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(seed, unseed)]
