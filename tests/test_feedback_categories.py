"""Administrators manage the 1022 categories: validation naming the field, audit, access, deadlines."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.test_feedback_api import bearer
from thongsuot.core.calendar import add_working_days
from thongsuot.core.models import AuditEntry
from thongsuot.directory.models import Organisation
from thongsuot.feedback import services
from thongsuot.feedback.models import Category
from thongsuot.feedback.testing import submit


def _save(actor, **overrides):
    data = {"code": "o-nhiem-tieng-on", "name": "Ô nhiễm tiếng ồn", "responsible": "commune", "handling_days": 3}
    data.update(overrides)
    return services.category_save(actor=actor, **data)


def test_create_and_update_are_audited(centre_admin):
    category = _save(centre_admin)
    assert category.position > 1 and category.is_active
    entry = AuditEntry.objects.get(action="feedback.category.create")
    assert entry.after["code"] == "o-nhiem-tieng-on" and entry.before is None
    _save(centre_admin, category=category, handling_days=7, is_active=False)
    category.refresh_from_db()
    assert category.handling_days == 7 and not category.is_active
    update = AuditEntry.objects.get(action="feedback.category.update")
    assert update.before["handling_days"] == 3 and update.after["handling_days"] == 7


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "Có Dấu"}, "code"),
        ({"code": "cay-xanh"}, "code"),  # taken by a seeded category
        ({"name": "  "}, "name"),
        ({"responsible": "nobody"}, "responsible"),
        ({"responsible": "department"}, "department"),
        ({"handling_days": 0}, "handling_days"),
        ({"handling_days": 61}, "handling_days"),
    ],
)
def test_errors_name_the_field_and_write_nothing(centre_admin, overrides, field):
    count = Category.objects.count()
    with pytest.raises(ValidationError) as exc:
        _save(centre_admin, **overrides)
    assert field in exc.value.message_dict
    assert Category.objects.count() == count
    assert not AuditEntry.objects.filter(action__startswith="feedback.category").exists()


def test_a_ward_cannot_be_the_responsible_department(centre_admin, ben_thanh):
    with pytest.raises(ValidationError) as exc:
        _save(centre_admin, responsible="department", department=ben_thanh)
    assert "department" in exc.value.message_dict


def test_only_platform_administrators(ward_admin, city_leader):
    for actor in (ward_admin, city_leader):
        with pytest.raises(PermissionDenied):
            _save(actor)


def test_new_deadline_applies_to_new_reports(centre_admin):
    category = Category.objects.get(code="ha-tang-ky-thuat")
    before = submit()
    _save(centre_admin, category=category, code=category.code, name=category.name, handling_days=2)
    after = submit(contact_phone="0912000111", client_ip="198.51.100.3")
    before.refresh_from_db()
    assert after.due_date == add_working_days(after.received_at, 2)
    assert before.due_date == add_working_days(before.received_at, 5)


def test_pages(client, login, centre_admin, ward_admin):
    assert login(ward_admin).get("/xu-ly-phan-anh/danh-muc/").status_code == 403
    admin = login(centre_admin)
    assert "cay-xanh" in admin.get("/xu-ly-phan-anh/danh-muc/").content.decode()
    response = admin.post(
        "/xu-ly-phan-anh/danh-muc/moi/",
        {"code": "bad code", "name": "", "responsible": "commune", "handling_days": "5", "is_active": "on"},
    )
    assert response.status_code == 200
    assert Category.objects.filter(name="").count() == 0
    response = admin.post(
        "/xu-ly-phan-anh/danh-muc/moi/",
        {
            "code": "pccc",
            "name": "Phòng cháy chữa cháy",
            "responsible": "commune",
            "handling_days": "3",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Category.objects.get(code="pccc")
    department = Organisation.objects.get(code="000.00.09.H29")
    response = admin.post(
        f"/xu-ly-phan-anh/danh-muc/{created.pk}/",
        {
            "code": "pccc",
            "name": "Phòng cháy chữa cháy",
            "responsible": "department",
            "department": department.pk,
            "handling_days": "4",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.department == department and not created.is_active and created.handling_days == 4


def test_api(client, centre_admin, ward_admin):
    admin = bearer(centre_admin)
    listed = client.get("/api/v1/feedback/categories", **bearer(ward_admin)).json()
    assert {c["code"]: c["handling_days"] for c in listed}["cay-xanh"] == 5
    payload = {"code": "pccc", "name": "Phòng cháy", "responsible": "department", "department_code": "000.00.09.H29"}
    response = client.post("/api/v1/feedback/categories", payload, content_type="application/json", **admin)
    assert response.status_code == 201 and response.json()["department_code"] == "000.00.09.H29"
    bad = client.put(
        "/api/v1/feedback/categories/pccc",
        {**payload, "handling_days": 0},
        content_type="application/json",
        **admin,
    )
    assert bad.status_code == 400 and "handling_days" in bad.json()["errors"]
    refused = client.post(
        "/api/v1/feedback/categories",
        {**payload, "code": "khac-2"},
        content_type="application/json",
        **bearer(ward_admin),
    )
    assert refused.status_code == 403


def test_django_admin_shows_categories_but_changes_nothing(client, login, centre_admin):
    centre_admin.is_superuser = centre_admin.is_staff = True
    centre_admin.save()
    admin = login(centre_admin)
    category = Category.objects.get(code="cay-xanh")
    assert admin.get("/admin/feedback/category/").status_code == 200
    response = admin.post(f"/admin/feedback/category/{category.pk}/change/", {"handling_days": 1, "name": "x"})
    category.refresh_from_db()
    assert response.status_code == 403 and category.handling_days == 5


def test_the_suggestion_only_reads_and_the_sweep_links_the_department_audited(db, dispatcher):
    """A category naming its department by code only: the dispatcher's suggestion finds it without writing;
    the periodic sweep stores the link, with its audit row, once."""
    from thongsuot.feedback import selectors
    from thongsuot.feedback.tasks import feedback_sweep

    department = Organisation.objects.filter(kind="department", is_active=True).first()
    category = Category.objects.create(
        code="lien-ket", name="Liên kết", responsible="department", department_code=department.code, handling_days=5
    )
    report = submit(category="lien-ket")
    assert selectors.suggested_organisation(report) == department
    category.refresh_from_db()
    assert category.department_id is None and not AuditEntry.objects.filter(action="feedback.category.update").exists()
    feedback_sweep.call()
    category.refresh_from_db()
    assert category.department_id == department.pk
    entry = AuditEntry.objects.get(action="feedback.category.update", object_id=str(category.pk))
    assert entry.actor_label == "system" and entry.before["department"] is None
    assert entry.after["department"] == department.pk
    assert services.categories_departments_link() == 0  # done once
