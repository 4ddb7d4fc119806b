"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Run only these with `pytest -m browser`; the rest of the suite with `pytest -m "not browser"`.
The live server needs transactional tests, which pytest-django runs after the other database tests
and which end with a flush of every table. serialized_rollback=True, as in the suite's other
transactional tests, brings back the migrations' data (roles, content types) before each test and
keeps the flush from re-creating content types that the next such test would restore again; the
directory, loaded after that snapshot was taken, is loaded again when a flush has removed it.
"""

import csv
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import make_staff
from thongsuot.accounts.models import ProvisioningBatch, Role, User
from thongsuot.directory.models import Organisation
from thongsuot.directory.services import directory_load

PASSWORD = "Ph0ng-Test!2025"
SCREENSHOT = "/tmp/browser-preview.png"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def directory(transactional_db):
    """The reference data a transactional test may have lost to the previous test's flush."""
    if not Role.objects.exists():
        importlib.import_module("thongsuot.accounts.migrations.0002_roles").seed(django_apps, None)
    if Organisation.objects.count() == 0:
        directory_load()


@pytest.fixture
def unit_admin(directory):
    ben_thanh = Organisation.objects.get(kind="commune", name="Phường Bến Thành")
    return make_staff(
        "quantri@benthanh.test", ben_thanh, ["unit_admin"], full_name="Lê Thị Quản Trị", password=PASSWORD
    )


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Sign in")).click()
    assert "/accounts/login/" not in page.url, page.content()


def staff_list(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Họ tên", "Email", "Số điện thoại", "Chức vụ", "Vai trò", "Đơn vị"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # what Excel writes for "CSV UTF-8"


def test_unit_admin_provisions_own_ward_in_the_browser(page, unit_admin):
    ben_thanh = unit_admin.organisation
    sai_gon = Organisation.objects.get(kind="commune", name="Phường Sài Gòn")
    data = staff_list(
        [
            ["Nguyễn Thị Hằng", "hang@benthanh.test", "0901000001", "Chủ tịch UBND", "Lãnh đạo", ben_thanh.code],
            ["Trần Văn Đức", "duc@benthanh.test", "0901000002", "Văn thư", "clerk", "Phường Bến Thành"],
            ["Lê Quốc Việt", "viet@benthanh.test", "", "Chuyên viên", "Văn thư; leader", ben_thanh.code],
            ["Phạm Văn Khác", "khac@saigon.test", "0901000004", "Văn thư", "Văn thư", sai_gon.name],
        ]
    )

    sign_in(page, unit_admin)
    page.get_by_role("link", name=vi("Configure accounts from a staff list")).click()
    page.wait_for_url("**/accounts/provisioning/")
    page.set_input_files("#id_file", files=[{"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name=vi("Preview")).click()
    page.wait_for_url("**/accounts/provisioning/*/")

    batch = ProvisioningBatch.objects.get(uploaded_by=unit_admin)
    assert page.url.endswith(f"/accounts/provisioning/{batch.pk}/")
    summary = page.locator("#summary")
    for label, count in (("Create", 3), ("Update", 0), ("Unchanged", 0), ("Deactivate", 0), ("Errors", 1)):
        assert summary.get_by_text(f"{vi(label)}: {count}", exact=True).is_visible()
    error_row = page.locator("#rows tr.error")
    assert error_row.count() == 1
    assert "khac@saigon.test" in error_row.inner_text()
    assert error_row.get_by_text(vi("Unit: you may only provision accounts of your own unit.")).is_visible()
    assert page.locator("#rows tr.create").count() == 3
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The form refuses to apply a list with errors until the user chooses to skip them.
    page.click("#apply")
    assert page.locator("input[name=skip_errors]").evaluate("el => el.validity.valueMissing")
    assert page.url.endswith(f"/accounts/provisioning/{batch.pk}/")
    assert not User.objects.filter(email="hang@benthanh.test").exists()

    page.get_by_label(vi("Apply the valid rows and skip the rows with errors")).check()
    with page.expect_navigation():
        page.click("#apply")
    applied = "Applied: %(create)d created, %(update)d updated, %(unchanged)d unchanged, %(deactivate)d deactivated."
    message = vi(applied) % {"create": 3, "update": 0, "unchanged": 0, "deactivate": 0}
    assert page.locator(".messages li.success").inner_text() == message

    created = {u.email: u for u in User.objects.filter(email__endswith="@benthanh.test").prefetch_related("roles")}
    assert set(created) == {"quantri@benthanh.test", "hang@benthanh.test", "duc@benthanh.test", "viet@benthanh.test"}
    roles = {email: sorted(r.code for r in u.roles.all()) for email, u in created.items()}
    assert roles["hang@benthanh.test"] == ["leader"]
    assert roles["duc@benthanh.test"] == ["clerk"]
    assert roles["viet@benthanh.test"] == ["clerk", "leader"]
    assert {u.organisation_id for u in created.values()} == {ben_thanh.pk}
    assert created["duc@benthanh.test"].phone == "0901000002"
    assert not User.objects.filter(email="khac@saigon.test").exists()
    assert User.objects.filter(organisation=sai_gon).count() == 0
    batch.refresh_from_db()
    assert batch.status == ProvisioningBatch.Status.APPLIED


def test_sign_in_with_the_keyboard_only(page, unit_admin):
    page.goto("/accounts/login/")
    # The email field has focus when the page opens; Tab moves on to the password; Enter submits.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(unit_admin.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    assert page.get_by_text(unit_admin.full_name).first.is_visible()
    # The skip link is the first thing Tab reaches on a signed-in page, and it leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
