"""Pages: scoping through the browser-facing views (another unit's data stays out of reach)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thongsuot.accounts.models import ProvisioningBatch, User

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
    for url in ["/", "/san-sang/", "/accounts/provisioning/", "/nhat-ky/", "/accounts/tokens/"]:
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


def test_dates_and_times_read_dd_mm_yyyy_hh_mm_in_both_languages():
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 3, 2, 8, 5)
    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "02/03/2026 08:05"
            assert formats.date_format(moment, "DATETIME_FORMAT") == "02/03/2026 08:05"
            assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "02/03/2026"
