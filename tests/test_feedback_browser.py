"""1022 in a real browser: a citizen's report from the form to the rating, and the hotline screen by keyboard.

Same Chromium launch and transactional set-up as tests/test_browser.py (read its docstring). The machine
has no internet: requests to the map tile server are aborted, so the maps draw their markers on an
empty background and nothing depends on tiles.
"""

import re
import time

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import make_staff
from tests.test_browser import PASSWORD, vi
from thongsuot.core.notifications import sms
from thongsuot.directory.models import Organisation
from thongsuot.feedback.models import Channel, Report
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import BEN_THANH_POINT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CENTRE_CODE = "000.05.05.H29"  # the Digital Transformation Centre, home of the 1022 dispatchers
PHONE = "0909888777"
DESCRIPTION = "Nắp cống bị vỡ trước số 12 Lê Lợi, xe máy rất dễ sụp bánh."
ADDRESS = "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh"
RESULT = "Đã thay nắp cống mới và rào chắn khu vực."


@pytest.fixture
def new_page(browser, live_server):
    """A page in a fresh browser context (its own cookies): one per person. Records CSP violations."""
    contexts = []

    def _new_page(**options):
        context = browser.new_context(
            locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
        )
        context.set_default_timeout(15_000)
        context.route(re.compile(r"^https?://[^/]*tile\.openstreetmap\.org/"), lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def directory(transactional_db, settings, tmp_path):
    """Reference data lost to a previous test's flush, media in a temporary folder, an empty SMS outbox."""
    import importlib

    from django.apps import apps as django_apps

    from thongsuot.accounts.models import Role
    from thongsuot.directory.services import directory_load

    if not Role.objects.exists():
        importlib.import_module("thongsuot.accounts.migrations.0002_roles").seed(django_apps, None)
    if Organisation.objects.count() == 0:
        directory_load()
    settings.MEDIA_ROOT = tmp_path / "media"
    sms.outbox.clear()


@pytest.fixture
def ben_thanh(directory):
    return Organisation.objects.get(kind="commune", name="Phường Bến Thành")


@pytest.fixture
def dispatcher(directory):
    """A 1022 dispatcher: city-wide (platform role at the centre) with the handler role; has two-factor."""
    centre = Organisation.objects.get(code=CENTRE_CODE)
    user = make_staff(
        "dieuphoi@cds.test", centre, ["platform_admin", "feedback_handler"], full_name="Đỗ Điều Phối", password=PASSWORD
    )
    TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    return user


@pytest.fixture
def ward_handler(ben_thanh):
    return make_staff(
        "xuly@benthanh.test", ben_thanh, ["feedback_handler"], full_name="Xử Lý Bến Thành", password=PASSWORD
    )


@pytest.fixture
def ward_leader(ben_thanh):
    return make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"], full_name="Lãnh Đạo Phường", password=PASSWORD)


def otp_token(user) -> str:
    """The authenticator's code for a time step the device has not accepted yet.

    django-otp refuses a code of a step it has already accepted (a replay), so a second sign-in
    of the same person within 30 seconds needs the next step's code, which the device's tolerance
    admits; when even that is used, wait for the clock to reach a fresh step.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while device.last_t + 1 > totp.t() + device.tolerance:
        time.sleep(1)
    ahead = max(0, device.last_t + 1 - totp.t())
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, user, *, keyboard=False):
    """Email and password, then the authenticator code for staff who have one."""
    page.goto("/accounts/login/")
    if keyboard:  # the email field has focus when the page opens (autofocus lands at the next rendering)
        expect(page.locator("#id_username")).to_be_focused()
        page.keyboard.type(user.email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.fill("#id_username", user.email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=vi("Sign in")).click()
    if "/accounts/2fa/verify/" in page.url:
        if keyboard:  # the code field has focus too
            expect(page.locator("#id_token")).to_be_focused()
            page.keyboard.type(otp_token(user))
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            page.fill("#id_token", otp_token(user))
            with page.expect_navigation():
                page.get_by_role("button", name=vi("Continue")).click()
    assert "/accounts/" not in page.url, page.content()


def act(page, action, code, **fields):
    """Open the action on the staff report page, fill its fields, confirm, and check it was done."""
    form = page.locator(f"form[action$='/{code}/{action}/']")
    details = page.locator(f"details:has(form[action$='/{code}/{action}/'])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.get_by_role("button", name=vi("Confirm")).click()
    done = page.locator(".messages li.success")
    assert done.inner_text() == vi("Done: %(code)s.") % {"code": code}, page.content()


def tiny_photo(path):
    Image.new("RGB", (8, 8), (200, 40, 30)).save(path, "PNG")
    return path


def test_a_citizen_report_from_the_form_to_the_rating(new_page, dispatcher, ward_handler, ward_leader, tmp_path):
    ben_thanh = ward_handler.organisation

    # The citizen sends the report with a photo and the position from the browser.
    citizen = new_page(geolocation={"latitude": BEN_THANH_POINT[0], "longitude": BEN_THANH_POINT[1]})
    citizen.context.grant_permissions(["geolocation"])
    citizen.goto("/phan-anh/gui/")
    citizen.wait_for_selector("#pick-map.leaflet-container")
    citizen.get_by_label(vi("Category")).select_option(label="Sự cố hạ tầng kỹ thuật")
    citizen.get_by_label(vi("What is the problem?")).fill(DESCRIPTION)
    citizen.get_by_label(vi("Address")).fill(ADDRESS)
    citizen.locator("#pick-map").click()  # a click on the map sets the hidden position fields
    assert citizen.input_value("#id_latitude") and citizen.input_value("#id_longitude")
    assert citizen.locator("#pick-map .leaflet-marker-icon").count() == 1
    citizen.get_by_role("button", name=vi("Use my location")).click()
    expect(citizen.locator("#id_latitude")).to_have_value(f"{BEN_THANH_POINT[0]:.6f}")
    expect(citizen.locator("#id_longitude")).to_have_value(f"{BEN_THANH_POINT[1]:.6f}")
    citizen.screenshot(path="/tmp/feedback-form.png", full_page=True)
    citizen.set_input_files("#id_attachments", str(tiny_photo(tmp_path / "nap-cong.png")))
    citizen.get_by_label(vi("Your name")).fill("Trần Thị Bí Mật")
    citizen.get_by_label(vi("Phone")).fill(PHONE)
    with citizen.expect_navigation(), citizen.expect_request(is_form_post) as sent:
        citizen.get_by_role("button", name=vi("Send report")).click()
    assert "new=1" in citizen.url, citizen.content()
    assert sent.value.headers["content-type"].startswith("multipart/form-data;")  # a photo: multipart
    code = citizen.locator(".messages strong").inner_text()
    follow_url = citizen.url.replace("&new=1", "")
    report = Report.objects.get(code=code)
    assert report.status == Status.RECEIVED and report.channel == Channel.WEB
    assert (report.latitude, report.longitude) == pytest.approx(BEN_THANH_POINT)
    photo = report.attachments.get()
    assert photo.content_type == "image/png" and photo.stage == "citizen"
    assert citizen.locator("#report-map.leaflet-container").is_visible()  # its own place, on its own page

    # The dispatcher finds it in the queue, verifies it and forwards it to the ward.
    staff = new_page()
    sign_in(staff, dispatcher)
    staff.goto("/xu-ly-phan-anh/dieu-phoi/")
    staff.get_by_role("link", name=code).click()
    staff.wait_for_url(f"**/xu-ly-phan-anh/{code}/")
    act(staff, "verify", code)
    act(staff, "assign", code, organisation=str(ben_thanh.pk))
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED and report.organisation == ben_thanh

    # The ward's handler accepts, starts and resolves it.
    handler = new_page()
    sign_in(handler, ward_handler)
    handler.goto(f"/xu-ly-phan-anh/{code}/")
    act(handler, "accept", code)
    act(handler, "progress", code, note="Đã khảo sát hiện trường, đang thay nắp cống.")
    act(handler, "resolve", code, resolution=RESULT)
    report.refresh_from_db()
    assert report.status == Status.RESOLVED

    # The ward's leader publishes the result (a leader or unit administrator of the unit, or a dispatcher).
    leader = new_page()
    sign_in(leader, ward_leader)
    leader.goto(f"/xu-ly-phan-anh/{code}/")
    act(leader, "publish", code)
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED

    # The citizen comes back with the follow link and is satisfied.
    citizen.goto(follow_url)
    assert citizen.get_by_text(RESULT, exact=True).is_visible()
    citizen.check("input[name=rating][value='5']")
    citizen.check("input[name=satisfied][value='1']")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name=vi("Send rating")).click()
    assert citizen.locator(".messages li.success").inner_text() == vi("Thank you. Your answer was recorded.")
    assert citizen.locator(".facts dd.status-closed").inner_text() == vi("Closed")
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.satisfied is True and report.rating == 5

    # Everyone sees it in the published list and on its map, without the citizen's contact data.
    visitor = new_page()
    visitor.goto("/phan-anh/?q=nap cong")  # search without diacritics
    assert visitor.get_by_role("link", name=code).is_visible()
    visitor.wait_for_selector("#reports-map[data-loaded='1']")
    marker = visitor.locator(f"#reports-map .leaflet-marker-icon[title='{code}']")
    marker.click()
    popup = visitor.locator("#reports-map .leaflet-popup-content")
    assert "Sự cố hạ tầng kỹ thuật" in popup.inner_text() and ben_thanh.name in popup.inner_text()
    assert popup.get_by_role("link", name=vi("Follow this report")).get_attribute("href") == f"/phan-anh/{code}/"
    visitor.screenshot(path="/tmp/feedback-list.png", full_page=True)
    body = visitor.content()
    assert PHONE not in body and "Trần Thị Bí Mật" not in body
    assert PHONE not in visitor.evaluate("fetch('/phan-anh/ban-do.json').then(r => r.text())")

    for page in (citizen, staff, handler, leader, visitor):
        assert page.csp_errors == [], (page.url, page.csp_errors)


def test_hotline_entry_with_the_keyboard_only(new_page, dispatcher):
    operator = new_page()
    sign_in(operator, dispatcher, keyboard=True)
    operator.goto("/xu-ly-phan-anh/tiep-nhan/")
    keyboard = operator.keyboard

    def focused() -> str:
        return operator.evaluate("document.activeElement.name || document.activeElement.id")

    started = time.monotonic()
    # First call: the phone field has focus; Tab moves on in the order of the call; Enter saves.
    expect(operator.locator("#id_contact_phone")).to_be_focused()
    keyboard.type(PHONE)
    keyboard.press("Tab")
    assert focused() == "contact_name"
    keyboard.type("Lê Văn Gọi")
    keyboard.press("Tab")
    assert focused() == "category"
    keyboard.press("ArrowDown")  # the first category
    keyboard.press("Tab")
    assert focused() == "description"
    keyboard.type(DESCRIPTION)
    keyboard.press("Tab")
    assert focused() == "address"
    keyboard.type(ADDRESS)
    with operator.expect_navigation():
        keyboard.press("Enter")
    first = Report.objects.get(contact_phone=PHONE)
    assert operator.locator(".messages li.success").inner_text() == vi("Saved as %(code)s.") % {"code": first.code}
    assert operator.locator("#hotline-last").get_by_role("link", name=first.code).is_visible()

    # The form is empty and ready for the next call; Ctrl+Enter saves from the description.
    expect(operator.locator("#id_contact_phone")).to_be_focused()
    assert operator.input_value("#id_contact_phone") == ""
    keyboard.type("0912345678")
    keyboard.press("Tab")
    keyboard.type("Phạm Thị Hai")
    keyboard.press("Tab")
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")  # the second category
    keyboard.press("Tab")
    keyboard.press("Tab")
    keyboard.type("Chợ Bến Thành, Phường Bến Thành")
    keyboard.press("Shift+Tab")
    assert focused() == "description"
    keyboard.type("Đèn tín hiệu giao thông không hoạt động.")
    with operator.expect_navigation():
        keyboard.press("Control+Enter")
    assert time.monotonic() - started < 60

    second = Report.objects.get(contact_phone="0912345678")
    assert operator.locator(".messages li.success").inner_text() == vi("Saved as %(code)s.") % {"code": second.code}
    for report, category in ((first, "ha-tang-ky-thuat"), (second, "giao-thong")):
        assert report.channel == Channel.HOTLINE and report.created_by == dispatcher
        assert report.category.code == category and report.status == Status.RECEIVED
    assert second.description == "Đèn tín hiệu giao thông không hoạt động." and second.address.startswith("Chợ Bến")
    assert operator.csp_errors == []
    assert settings.FEEDBACK_MAP_TILES_URL  # the tiles are configured, and nothing above needed them


def is_form_post(request) -> bool:
    return request.method == "POST" and request.url.endswith("/phan-anh/gui/")


def test_a_report_without_files_is_sent_url_encoded(new_page, ben_thanh):
    """The page's script sends multipart only with a file attached: a report without one is URL-encoded,
    cheaper for the server to read, and arrives the same (Vietnamese text, a literal + and & included)."""
    page = new_page()
    page.goto("/phan-anh/gui/")
    page.get_by_label(vi("Category")).select_option(label="Sự cố hạ tầng kỹ thuật")
    page.get_by_label(vi("What is the problem?")).fill(DESCRIPTION + " Ống nước 1+1 & nắp 50%.")
    page.get_by_label(vi("Address")).fill(ADDRESS)
    page.get_by_label(vi("Your name")).fill("Trần Thị Bí Mật")
    page.get_by_label(vi("Phone")).fill(PHONE)
    with page.expect_navigation(), page.expect_request(is_form_post) as sent:
        page.get_by_role("button", name=vi("Send report")).click()
    assert sent.value.headers["content-type"] == "application/x-www-form-urlencoded"
    report = Report.objects.get(code=page.locator(".messages strong").inner_text())
    assert report.description == DESCRIPTION + " Ống nước 1+1 & nắp 50%."
    assert report.contact_name == "Trần Thị Bí Mật" and report.resolved_unit == ben_thanh
    assert not report.attachments.exists()
    assert page.csp_errors == []


def test_the_form_and_the_list_work_without_javascript(new_page, ben_thanh):
    page = new_page(java_script_enabled=False)
    page.goto("/phan-anh/gui/")
    assert not page.locator("fieldset.map-pick").is_visible()  # no map without the script: the address is enough
    page.get_by_label(vi("Category")).select_option(label="Sự cố hạ tầng kỹ thuật")
    page.get_by_label(vi("What is the problem?")).fill(DESCRIPTION)
    page.get_by_label(vi("Address")).fill(ADDRESS)
    page.get_by_label(vi("Your name")).fill("Trần Thị Bí Mật")
    page.get_by_label(vi("Phone")).fill(PHONE)
    with page.expect_navigation(), page.expect_request(is_form_post) as sent:
        page.get_by_role("button", name=vi("Send report")).click()
    assert sent.value.headers["content-type"].startswith("multipart/form-data;")  # the form's own enctype
    report = Report.objects.get(code=page.locator(".messages strong").inner_text())
    assert report.latitude is None and report.resolved_unit == ben_thanh
    page.goto("/phan-anh/")
    assert page.get_by_role("button", name=vi("Search")).is_visible()
    assert not page.locator("#reports-map").is_visible()
