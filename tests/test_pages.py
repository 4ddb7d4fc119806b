"""Pages: scoping through the browser-facing views (another unit's data stays out of reach)."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_staff
from thongsuot.accounts.models import ProvisioningBatch, User
from thongsuot.feedback import services as feedback_services
from thongsuot.feedback.testing import submit
from thongsuot.navigation import menu_for, menu_links

pytestmark = pytest.mark.django_db
LIST = "Họ tên,Email,Vai trò,Đơn vị\nĐỗ Minh,minh@benthanh.test,clerk,Phường Bến Thành\n"


def upload(client, text=LIST, name="list.csv", **extra):
    return client.post("/accounts/provisioning/", {"file": SimpleUploadedFile(name, text.encode()), **extra})


def test_upload_preview_apply_through_pages(login, ward_admin):
    client = login(ward_admin)
    response = upload(client)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "minh@benthanh.test" in preview.content.decode()
    batch = ProvisioningBatch.objects.get()
    applied = client.post(f"/accounts/provisioning/{batch.pk}/apply/", follow=True)
    assert applied.status_code == 200
    assert User.objects.filter(email="minh@benthanh.test").exists()


def test_htmx_filter_returns_only_the_rows(login, ward_admin):
    client = login(ward_admin)
    location = upload(client)["Location"]
    partial = client.get(location, {"show": "create"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "minh@benthanh.test" in partial.content.decode()


def test_bad_file_shows_a_clear_error_and_writes_nothing(login, ward_admin):
    response = upload(login(ward_admin), text="a,b\n1,2\n")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ProvisioningBatch.objects.exists()


def test_another_wards_admin_cannot_open_or_apply_the_batch(login, client, ward_admin, other_ward_admin):
    location = upload(login(ward_admin))["Location"]
    batch = ProvisioningBatch.objects.get()
    login(other_ward_admin)
    assert client.get(location).status_code == 404
    assert client.post(f"/accounts/provisioning/{batch.pk}/apply/").status_code == 404
    assert not User.objects.filter(email="minh@benthanh.test").exists()


def test_a_clerk_cannot_provision(login, ward_clerk):
    response = upload(login(ward_clerk))  # refused before the form is even offered (issue 14.5c)
    assert response.status_code == 403 and not ProvisioningBatch.objects.exists()


def test_pages_need_sign_in(client):
    for url in ["/san-sang/", "/accounts/provisioning/", "/nhat-ky/", "/accounts/tokens/", "/he-thong/documents/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_token_page_shows_the_token_once(login, ward_clerk):
    client = login(ward_clerk)
    response = client.post("/accounts/tokens/", {"name": "máy chủ", "days": 30})
    raw = response.context["raw"]
    assert raw.startswith("ts_") and raw in response.content.decode()
    assert raw not in client.get("/accounts/tokens/").content.decode()
    assert ward_clerk.api_tokens.count() == 1


def test_health_endpoint(client):
    assert client.get("/healthz").json()["status"] == "ok"


# The front page, the staff's work, the menus and the error pages ------------------------------------


def test_the_front_page_is_public_and_offers_the_citizens_services(client, db):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in body and "Thành phố Hồ Chí Minh" in body
    for url in ["/phan-anh/gui/", "/phan-anh/", "/phan-anh/xep-hang/", "/phan-anh/tra-cuu/", "/accounts/login/"]:
        assert f'"{url}' in body, url
    # nothing links to a system that is not in service yet
    assert "/he-thong/" not in body


def test_signed_in_staff_land_on_their_work_with_counts(client, login, centre_admin, ben_thanh, sai_gon):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    leader = make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"])
    for _ in range(2):
        feedback_services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    feedback_services.report_assign(actor=centre_admin, report=submit(), organisation=sai_gon)  # another ward's
    submit()  # waiting for the dispatcher

    page = login(handler).get("/")
    work = {w.key: w.count for w in page.context["feedback_work"]}
    assert work["assigned"] == 2  # their own ward's only
    assert "dispatch" not in work and "extensions" not in work and "resolved" not in work
    assert 'data-work="assigned"' in page.content.decode()

    centre = login(centre_admin).get("/").context["feedback_work"]
    assert {w.key: w.count for w in centre}["assigned"] == 3 and {w.key: w.count for w in centre}["dispatch"] == 1

    assert "extensions" in {w.key for w in login(leader).get("/").context["feedback_work"]}


def _personas(ben_thanh, centre_admin, city_leader, dispatcher, ward_admin, ward_clerk):
    handler = make_staff("xuly2@benthanh.test", ben_thanh, ["feedback_handler"])
    return [centre_admin, city_leader, dispatcher, ward_admin, ward_clerk, handler]


def test_every_menu_link_opens_for_its_persona(
    client, login, ben_thanh, centre_admin, city_leader, dispatcher, ward_admin, ward_clerk
):
    for user in _personas(ben_thanh, centre_admin, city_leader, dispatcher, ward_admin, ward_clerk):
        login(user)
        for url in menu_links(user):
            assert client.get(url).status_code == 200, (user.username, url)
        client.logout()
    for url in menu_links(None):
        assert Client().get(url).status_code == 200, url


def test_menus_show_only_what_the_role_can_open(db, centre_admin, ward_clerk, dispatcher, ward_admin):
    def links(user):
        return set(menu_links(user))

    assert "/nhat-ky/" in links(centre_admin) and "/xu-ly-phan-anh/danh-muc/" in links(centre_admin)
    assert "/nhat-ky/" not in links(ward_clerk) and "/accounts/provisioning/" not in links(ward_clerk)
    assert "/xu-ly-phan-anh/dieu-phoi/" not in links(ward_clerk)
    assert "/xu-ly-phan-anh/dieu-phoi/" in links(dispatcher) and "/xu-ly-phan-anh/tiep-nhan/" in links(dispatcher)
    assert "/xu-ly-phan-anh/danh-muc/" not in links(dispatcher)
    assert "/accounts/provisioning/" in links(ward_admin)
    assert links(None) == {"/phan-anh/gui/", "/phan-anh/", "/phan-anh/xep-hang/", "/thu-tuc/", "/tra-cuu-ho-so/"}
    assert [i.key for i in menu_for(None, "/phan-anh/xep-hang/") if i.active] == ["ranking"]


def test_a_forbidden_page_is_in_vietnamese_inside_the_layout_and_not_an_error_log(client, login, ward_clerk, caplog):
    login(ward_clerk)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/nhat-ky/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in body and 'class="usa-header' in body and 'href="/"' in body
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.levelno < logging.ERROR and not r.exc_info for r in records)


def test_not_found_page_in_both_languages(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/khong-co-trang-nay/").content.decode()


def test_csrf_failure_page_explains_in_vietnamese(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/phan-anh/gui/", {"description": "x"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_server_error_page_is_in_the_layout(rf, db):
    from django.contrib.auth.models import AnonymousUser

    from thongsuot.errors import server_error

    request = rf.get("/")
    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500 and "Đã có lỗi ở phía hệ thống" in response.content.decode()


def test_dates_and_times_read_dd_mm_yyyy_hh_mm_in_both_languages():
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 3, 2, 8, 5)
    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "02/03/2026 08:05"
            assert formats.date_format(moment, "DATETIME_FORMAT") == "02/03/2026 08:05"
            assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "02/03/2026"
