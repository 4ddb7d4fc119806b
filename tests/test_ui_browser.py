"""What the browser shows on pages that are not one system's workflow: the API docs, the favicon,
the file picker. Same Chromium launch and transactional set-up as tests/test_browser.py."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page(browser, live_server):
    """A Vietnamese browser page that records console errors (CSP violations included)."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.failed_requests = []
    page.on("requestfailed", lambda r: page.failed_requests.append(r.url))
    yield page
    context.close()


def test_api_docs_render_the_operations_from_local_files(page):
    response = page.goto("/api/v1/docs")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "cdn" not in page.content()
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() > 10
    assert page.get_by_text("/api/v1/feedback/reports", exact=False).first.is_visible()
    assert page.console_errors == []
    assert page.failed_requests == []


@pytest.fixture
def ward_leader(browser):
    import importlib

    from django.apps import apps as django_apps

    from tests.conftest import make_staff
    from tests.test_browser import PASSWORD
    from thongsuot.accounts.models import Role
    from thongsuot.directory.models import Organisation
    from thongsuot.directory.services import directory_load

    if not Role.objects.exists():
        importlib.import_module("thongsuot.accounts.migrations.0002_roles").seed(django_apps, None)
    if Organisation.objects.count() == 0:
        directory_load()
    ben_thanh = Organisation.objects.get(kind="commune", name="Phường Bến Thành")
    return make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"], full_name="Trần Lãnh Đạo", password=PASSWORD)


def test_the_statistics_chart_draws_at_its_size_without_a_csp_error(page, ward_leader):
    from tests.test_browser import sign_in

    sign_in(page, ward_leader)
    page.goto("/xu-ly-phan-anh/thong-ke/")
    chart = page.locator("figure.chart svg")
    chart.wait_for()
    assert chart.evaluate("el => getComputedStyle(el).fontSize") == "11px"
    assert chart.bounding_box()["width"] <= 880
    legend = chart.locator("g text")
    first, second = legend.nth(0).bounding_box(), legend.nth(1).bounding_box()
    assert first["x"] + first["width"] < second["x"] - 18  # the legend's labels do not overlap
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_pages_name_the_platforms_icon(page):
    page.goto("/phan-anh/gui/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text()
    assert page.request.get("/favicon.ico").ok  # for what names no icon (the API, PDFs)


def test_the_file_picker_speaks_vietnamese_in_an_english_browser(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto("/phan-anh/gui/")
        native = page.locator("input[type=file][name=attachments]")
        box = native.bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1  # the browser's "Choose Files" is not shown
        button = page.locator(".file-picker-button")
        assert button.is_visible() and button.inner_text() == "Chọn tệp"
        assert page.locator(".file-picker-names").inner_text() == "Chưa chọn tệp nào"
        native.focus()  # still reached by the keyboard
        assert button.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
        with page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(
            files=[{"name": "ổ-gà.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"\x00" * 64}]
        )
        assert page.locator(".file-picker-names").inner_text() == "ổ-gà.jpg"
    finally:
        context.close()


def test_the_committed_date_stays_in_the_date_picker_after_a_progress_update(page, ward_leader):
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import make_staff
    from tests.test_browser import PASSWORD, sign_in
    from thongsuot.feedback import services
    from thongsuot.feedback.testing import submit

    unit = ward_leader.organisation
    handler = make_staff("xuly@benthanh.test", unit, ["feedback_handler"], full_name="Lê Xử Lý", password=PASSWORD)
    dispatcher = make_staff("dieuphoi@cds.test", unit, ["platform_admin"], password=PASSWORD)
    report = services.report_assign(actor=dispatcher, report=submit(), organisation=unit)
    services.report_accept(actor=handler, report=report)
    committed = timezone.localdate() + timedelta(days=7)

    sign_in(page, handler)
    page.goto(f"/xu-ly-phan-anh/{report.code}/")
    form = page.locator(f"form[action$='/{report.code}/progress/']")
    if not form.is_visible():
        form.locator("xpath=ancestor::details/summary").click()
    form.locator("textarea[name=note]").fill("Đã khảo sát hiện trường")
    form.locator("input[name=committed_date]").fill(committed.isoformat())
    with page.expect_navigation():
        form.get_by_role("button").last.click()
    form = page.locator(f"form[action$='/{report.code}/progress/']")
    assert form.locator("input[name=committed_date]").input_value() == committed.isoformat()
    # saving again without touching the date keeps it
    if not form.is_visible():
        form.locator("xpath=ancestor::details/summary").click()
    form.locator("textarea[name=note]").fill("Đang thi công")
    with page.expect_navigation():
        form.get_by_role("button").last.click()
    report.refresh_from_db()
    assert report.committed_date == committed
