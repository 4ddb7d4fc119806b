from django.db import migrations

ROLES = [
    ("platform_admin", "Quản trị nền tảng", True),
    ("unit_admin", "Quản trị đơn vị", False),
    ("leader", "Lãnh đạo", False),
    ("clerk", "Văn thư", False),
    ("specialist", "Chuyên viên", False),
    ("one_stop_officer", "Cán bộ một cửa", False),
    ("feedback_handler", "Cán bộ xử lý 1022", False),
]


def seed(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, city_wide in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "city_wide": city_wide})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
