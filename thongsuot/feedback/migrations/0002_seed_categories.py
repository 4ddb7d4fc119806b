"""The areas of the 1022 system (domain.md), with working days to handle each."""

from django.db import migrations

# code, name, responsible department identifier ("" = the commune-level unit), working days
CATEGORIES = [
    ("ha-tang-ky-thuat", "Sự cố hạ tầng kỹ thuật", "", 5),
    ("giao-thong", "Giao thông", "", 5),
    ("trat-tu-do-thi", "Trật tự đô thị", "", 5),
    ("ve-sinh-moi-truong", "Vệ sinh môi trường", "", 5),
    ("cap-nuoc-ngap-nuoc", "Cấp nước và ngập nước", "", 5),
    ("cay-xanh", "Cây xanh", "", 5),
    ("chieu-sang-dien", "Chiếu sáng và điện", "", 5),
    ("vien-thong", "Viễn thông", "000.00.05.H29", 7),
    ("giao-thong-cong-cong", "Giao thông công cộng", "000.00.09.H29", 7),
    ("tai-nguyen-moi-truong", "Tài nguyên và môi trường", "", 7),
    ("y-te", "Y tế", "", 5),
    ("du-lich", "Du lịch", "000.00.12.H29", 7),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính", "", 5),
    ("kien-nghi-lanh-dao", "Kiến nghị gửi lãnh đạo Thành phố", "000.00.01.H29", 10),
    ("khac", "Khác", "", 10),
]


def seed(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    Organisation = apps.get_model("directory", "Organisation")
    for position, (code, name, department_code, days) in enumerate(CATEGORIES, start=1):
        department = Organisation.objects.filter(code=department_code).first() if department_code else None
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "responsible": "department" if department_code else "commune",
                "department_code": department_code,
                "department": department,
                "handling_days": days,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("feedback", "Category").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
