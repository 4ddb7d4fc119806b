"""The audit log page as people read it: labelled actions, a before/after diff, the city's time."""

import datetime

import pytest
from django.utils import timezone

from thongsuot.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_the_audit_log_shows_labels_a_readable_diff_and_the_citys_time(login, centre_admin, ward_clerk):
    from unittest import mock

    moment = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 02/03 in the city
    with mock.patch("django.utils.timezone.now", return_value=moment):  # rows are append-only: set at creation
        audit_record(actor=centre_admin, action="two_factor.enable", obj=centre_admin)
    audit_record(
        actor=centre_admin,
        action="account.update",
        obj=ward_clerk,
        before={"is_active": True, "position": None, "full_name": "Trần Văn Cũ", "email": "x@y.test"},
        after={"is_active": False, "position": "Văn thư", "full_name": "Trần Văn Cũ", "email": "x@y.test"},
    )
    audit_record(
        actor=centre_admin,
        action="api_token.create",
        obj=centre_admin,
        after={"name": "Máy chủ", "expires_at": "2026-03-01T01:30:00+00:00"},
    )

    page = login(centre_admin).get("/nhat-ky/", {"actor": centre_admin.email}).content.decode()
    assert "Bật xác thực hai lớp khi đăng nhập" in page and "Cập nhật tài khoản" in page
    assert "02/03/2026 00:30" in page  # the entry's time, in the city and dd/mm/yyyy HH:MM
    changes = page.split("Cập nhật tài khoản", 1)[1].split("</tr>", 1)[0]
    assert "Đang hoạt động: <del>có</del> → không" in changes
    assert "Chức vụ: <del>—</del> → Văn thư" in changes
    assert "Trần Văn Cũ" not in changes  # unchanged fields are left out
    for raw in ("True", "False", "None", "{", "'"):
        assert raw not in changes, raw
    token = page.split("Tạo mã truy cập API", 1)[1].split("</tr>", 1)[0]
    assert "01/03/2026 08:30" in token and "+00:00" not in token


def test_an_action_no_app_named_shows_its_code(login, centre_admin):
    audit_record(actor=centre_admin, action="something.new", obj=centre_admin, after={"n": 1})
    page = login(centre_admin).get("/nhat-ky/", {"actor": centre_admin.email}).content.decode()
    assert "something.new" in page and timezone.localdate().strftime("%d/%m/%Y") in page


def test_the_directorys_entries_name_every_field(login, centre_admin):
    page = login(centre_admin).get("/nhat-ky/", {"action": "organisation.create"}).content.decode()
    changes = page.split('<ul class="changes">', 1)[1].split("</ul>", 1)[0]
    assert "Cơ quan cấp trên:" in changes and "Parent" not in changes and "Counterpart" not in changes
