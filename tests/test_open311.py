"""Open311 GeoReport v2 at /open311/v2/: services, requests (POST and GET), tokens, keys, privacy."""

import json
from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import make_staff
from thongsuot.core.models import AuditEntry
from thongsuot.feedback import services
from thongsuot.feedback.models import Channel, Report
from thongsuot.feedback.open311.models import Open311Client
from thongsuot.feedback.open311.services import open311_client_set_active
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import BEN_THANH_POINT, JPEG, submit, upload

BASE = "/open311/v2"
NAME, PHONE, EMAIL = "Nguyễn Văn Dân", "0901234567", "dan@example.test"
SECRETS = (NAME, PHONE, EMAIL, "Bí Mật", "0909888777", "bimat@example.test")


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


def published(report, *, handler, dispatcher, ben_thanh, files=()):
    services.report_assign(actor=dispatcher, report=report, organisation=ben_thanh)
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý")
    services.report_resolve(actor=handler, report=report, resolution="Đã thay nắp cống mới.", files=files)
    return services.report_publish(actor=dispatcher, report=report)


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml")
    return ET.fromstring(response.content)


def get_json(client, path, **params):
    response = client.get(f"{BASE}/{path}.json", params)
    assert response["Content-Type"].startswith("application/json")
    return response


def assert_no_contact_data(response):
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text


def spec_errors(response, status: int) -> list[str]:
    """The descriptions of a spec error body (JSON or XML), checking its shape and codes."""
    assert response.status_code == status
    if response["Content-Type"].startswith("text/xml"):
        root = xml(response)
        assert root.tag == "errors"
        assert [e.tag for e in root] == ["error"] * len(root) and len(root) >= 1
        assert {e.findtext("code") for e in root} == {str(status)}
        return [e.findtext("description") for e in root]
    body = response.json()
    assert isinstance(body, list) and body
    assert {item["code"] for item in body} == {status}
    return [item["description"] for item in body]


def post_request(client, fmt="json", **overrides):
    data = {
        "service_code": "ha-tang-ky-thuat",
        "lat": str(BEN_THANH_POINT[0]),
        "long": str(BEN_THANH_POINT[1]),
        "description": "Nắp cống bị vỡ trước số 12 Lê Lợi.",
        "first_name": "Nguyễn Văn",
        "last_name": "Dân",
        "phone": PHONE,
        "email": EMAIL,
        "device_id": "thiet-bi-1",
        "account_id": "acc-42",
    }
    data.update(overrides)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{BASE}/requests.{fmt}", data)


# Services ---------------------------------------------------------------------------------------


def test_service_list_json(client, db):
    response = get_json(client, "services")
    assert response.status_code == 200
    services_ = response.json()
    codes = [s["service_code"] for s in services_]
    assert "ha-tang-ky-thuat" in codes and "vien-thong" in codes
    item = next(s for s in services_ if s["service_code"] == "ha-tang-ky-thuat")
    assert set(item) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert item["service_name"] == "Sự cố hạ tầng kỹ thuật"
    assert item["metadata"] is False and item["type"] == "realtime"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_service_list_xml(client, db):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    first = root.find("service[service_code='ha-tang-ky-thuat']")
    assert first is not None
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") == "false" and first.findtext("type") == "realtime"
    assert first.findtext("service_name") == "Sự cố hạ tầng kỹ thuật"


def test_service_definition_both_formats_and_unknown(client, db):
    body = get_json(client, "services/ha-tang-ky-thuat").json()
    assert body == {"service_code": "ha-tang-ky-thuat", "attributes": []}
    root = xml(client.get(f"{BASE}/services/ha-tang-ky-thuat.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "ha-tang-ky-thuat"
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    assert spec_errors(client.get(f"{BASE}/services/khong-co.json"), 404)[0].startswith("service_code:")
    spec_errors(client.get(f"{BASE}/services/khong-co.xml"), 404)


def test_unknown_format_and_jurisdiction(client, db):
    assert client.get(f"{BASE}/services.csv").status_code == 404
    assert client.get(f"{BASE}/requests.html").status_code == 404
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "tphcm"}).status_code == 200
    assert spec_errors(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "hanoi"}), 404)[0].startswith(
        "jurisdiction_id:"
    )


def test_configured_jurisdiction(client, db, settings):
    settings.OPEN311_JURISDICTION_ID = "hochiminhcity.gov.vn"
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "hochiminhcity.gov.vn"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "tphcm"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "danang"}).status_code == 404


# POST requests ----------------------------------------------------------------------------------


def test_post_json_creates_a_report_routed_by_position(db, api_key, ben_thanh):
    client = Client(enforce_csrf_checks=True)  # an app has no CSRF cookie
    response = post_request(client, api_key=api_key, jurisdiction_id="tphcm")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    assert body[0]["account_id"] == "acc-42"
    report = Report.objects.get(code=body[0]["service_request_id"])
    assert report.channel == Channel.OPEN311
    assert report.status == Status.RECEIVED
    assert report.resolved_unit == ben_thanh
    assert report.category.code == "ha-tang-ky-thuat"
    assert (report.contact_name, report.contact_phone, report.contact_email) == (NAME, PHONE, EMAIL)
    assert report.code in body[0]["service_notice"]
    assert_no_contact_data(response)
    entry = AuditEntry.objects.get(action="feedback.open311.request", object_id=str(report.pk))
    assert entry.after["device_id"] == "thiet-bi-1"
    assert Open311Client.objects.get().last_used_at is not None


def test_post_xml_and_api_key_in_query(client, api_key, ben_thanh):
    response = client.post(
        f"{BASE}/requests.xml?api_key={api_key}",
        {
            "service_code": "cay-xanh",
            "address_string": "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
            "description": "Cây đổ chắn đường.",
            "first_name": "Trần Thị",
            "last_name": "Bí Mật",
            "email": "bimat@example.test",
        },
    )
    assert response.status_code == 201, response.content
    root = xml(response)
    assert root.tag == "service_requests"
    [request] = list(root)
    assert request.tag == "request"
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    report = Report.objects.get(code=request.findtext("service_request_id"))
    assert report.resolved_unit == ben_thanh and report.category.code == "cay-xanh"
    assert_no_contact_data(response)


def test_post_json_body_and_address_id(client, api_key, ben_thanh):
    payload = {
        "api_key": api_key,
        "service_code": "giao-thong",
        "address_id": ben_thanh.code,
        "description": "Đèn tín hiệu hỏng.",
        "first_name": "Dân",
        "phone": PHONE,
    }
    response = client.post(f"{BASE}/requests.json", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Report.objects.get(code=response.json()[0]["service_request_id"]).resolved_unit == ben_thanh
    payload["address_id"] = "khong-co"
    response = client.post(f"{BASE}/requests.json", json.dumps(payload), content_type="application/json")
    assert spec_errors(response, 400)[0].startswith("address_id:")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_or_with_a_bad_key_is_403(client, api_key, fmt):
    assert spec_errors(post_request(client, fmt), 403)[0].startswith("api_key:")
    spec_errors(post_request(client, fmt, api_key="o311_nope_nope"), 403)
    spec_errors(post_request(client, fmt, api_key=api_key[:-1] + "x"), 403)
    open311_client_set_active(actor=None, client=Open311Client.objects.get(), is_active=False, reason="lộ khoá")
    spec_errors(post_request(client, fmt, api_key=api_key), 403)
    assert not Report.objects.exists()
    assert AuditEntry.objects.filter(action="feedback.open311_client.revoke").exists()


def test_a_key_revoked_here_is_refused_at_once_and_elsewhere_within_a_minute(client, api_key):
    import time
    from unittest import mock

    assert post_request(client, "json", api_key=api_key).status_code == 201
    used = Open311Client.objects.get().last_used_at
    assert post_request(client, "json", api_key=api_key, phone="0907000001").status_code == 201
    assert Open311Client.objects.get().last_used_at == used  # written once per minute, not per request
    Open311Client.objects.update(is_active=False)  # as if revoked by another process (no signal here)
    with mock.patch("thongsuot.core.local_cache.time.monotonic", return_value=time.monotonic() + 61):
        spec_errors(post_request(client, "json", api_key=api_key, phone="0907000002"), 403)
    Open311Client.objects.update(is_active=True)
    assert post_request(client, "json", api_key=api_key, phone="0907000003").status_code == 201
    open311_client_set_active(actor=None, client=Open311Client.objects.get(), is_active=False, reason="lộ khoá")
    spec_errors(post_request(client, "json", api_key=api_key, phone="0907000004"), 403)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_validation_errors_are_400_naming_the_argument(client, api_key, fmt):
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, service_code=None), 400)
    assert any(d.startswith("service_code:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, lat=None, long=None), 400)
    assert any(d.startswith("lat:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, service_code="khong-co"), 400)
    assert any(d.startswith("service_code:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, description=""), 400)
    assert any(d.startswith("description:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, first_name="", last_name=""), 400)
    assert any(d.startswith("first_name:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, phone="", email=""), 400)
    assert any(d.startswith("phone:") for d in descriptions)
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, lat="21.03", long="105.85"), 400)
    assert any(d.startswith("lat:") for d in descriptions)  # Hà Nội is outside the city
    descriptions = spec_errors(post_request(client, fmt, api_key=api_key, media_url="javascript:alert(1)"), 400)
    assert any(d.startswith("media_url:") for d in descriptions)
    wrong = post_request(client, fmt, api_key=api_key, jurisdiction_id="hanoi")
    assert spec_errors(wrong, 404)[0].startswith("jurisdiction_id:")
    assert not Report.objects.exists()


def test_post_rate_limited_per_device(client, api_key, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 1
    assert post_request(client, api_key=api_key, phone="", email="a@example.test").status_code == 201
    refused = post_request(client, api_key=api_key, phone="", email="b@example.test")
    assert spec_errors(refused, 400) and refused["Retry-After"] == "3600"
    other = post_request(client, api_key=api_key, phone="", email="c@example.test", device_id="thiet-bi-2")
    assert other.status_code == 201


def test_post_with_media_file_and_url(client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": api_key,
            "service_code": "ha-tang-ky-thuat",
            "lat": str(BEN_THANH_POINT[0]),
            "long": str(BEN_THANH_POINT[1]),
            "description": "Ổ gà lớn.",
            "first_name": "Dân",
            "phone": PHONE,
            "media_url": "https://example.test/o-ga.jpg",
            "media": upload("o-ga.jpg", JPEG, "image/jpeg"),
        },
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.attachments.count() == 1 and not report.attachments.get().public
    assert report.description == "Ổ gà lớn."  # the media_url is downloaded by a worker (test_feedback_media)


# GET requests -----------------------------------------------------------------------------------


@pytest.fixture
def reports(db, centre_admin, handler, ben_thanh):
    """A published report (with a public result photo), a received one, a hidden one, a spam one."""
    done = published(
        submit(),
        handler=handler,
        dispatcher=centre_admin,
        ben_thanh=ben_thanh,
        files=[upload("ket-qua.jpg", JPEG, "image/jpeg")],
    )
    waiting = submit(
        category="cay-xanh",
        description="Bí Mật gọi 0909888777 về cây đổ",
        contact_name="Trần Thị Bí Mật",
        contact_phone="0909888777",
        contact_email="bimat@example.test",
        client_ip="198.51.100.2",
    )
    hidden = published(
        submit(client_ip="198.51.100.3", contact_phone="0911111111"),
        handler=handler,
        dispatcher=centre_admin,
        ben_thanh=ben_thanh,
    )
    services.report_hide(actor=centre_admin, report=hidden, reason="Dữ liệu cá nhân")
    spam = submit(client_ip="198.51.100.4", contact_phone="0922222222", description="quảng cáo")
    services.report_reject(actor=centre_admin, report=spam, reason="spam")
    duplicate = submit(client_ip="198.51.100.5", contact_phone="0933333333")
    services.report_reject(actor=centre_admin, report=duplicate, reason="out_of_scope")
    return {"done": done, "waiting": waiting, "hidden": hidden, "spam": spam, "refused": duplicate}


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["service_request_id"] for item in response.json()]


def test_list_shows_public_data_only(client, reports):
    response = get_json(client, "requests")
    assert response.status_code == 200
    listed = codes(response)
    assert set(listed) == {reports["done"].code, reports["waiting"].code, reports["refused"].code}
    assert response["X-Total-Count"] == "3"
    assert_no_contact_data(response)
    by_code = {item["service_request_id"]: item for item in response.json()}
    done = by_code[reports["done"].code]
    assert done["status"] == "closed"
    assert done["status_notes"] == "Đã thay nắp cống mới."
    assert done["agency_responsible"] == "Phường Bến Thành"
    assert done["service_code"] == "ha-tang-ky-thuat" and done["service_name"] == "Sự cố hạ tầng kỹ thuật"
    assert done["description"].startswith("Nắp cống bị vỡ")
    assert done["address"].startswith("12 Lê Lợi") and done["lat"] == BEN_THANH_POINT[0]
    assert "/phan-anh/tep/" in done["media_url"] and done["media_url"].startswith("http")
    assert done["requested_datetime"].endswith("+07:00") and "T" in done["requested_datetime"]
    assert done["expected_datetime"].startswith(reports["done"].due_date.isoformat())
    waiting = by_code[reports["waiting"].code]
    assert waiting["status"] == "open"
    assert waiting["description"] == ""  # the citizen's text is public only once the result is published
    assert waiting["address"] == "Phường Bến Thành"
    assert waiting["lat"] == round(BEN_THANH_POINT[0], 3) and waiting["media_url"] == ""
    assert by_code[reports["refused"].code]["status"] == "closed"
    # the public follow page of a published report serves the media_url
    assert client.get(done["media_url"]).status_code == 200


def test_list_xml_element_names(client, reports):
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    assert [child.tag for child in root] == ["request"] * 3
    request = root.find(f"request[service_request_id='{reports['done'].code}']")
    for tag in (
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ):
        assert request.find(tag) is not None, tag
    assert request.findtext("status") == "closed"
    assert float(request.findtext("lat")) == BEN_THANH_POINT[0]
    text = ET.tostring(root, encoding="unicode")
    for secret in SECRETS:
        assert secret not in text


def test_list_filters(client, reports):
    done, waiting, refused = reports["done"].code, reports["waiting"].code, reports["refused"].code
    assert codes(get_json(client, "requests", status="open")) == [waiting]
    assert set(codes(get_json(client, "requests", status="closed"))) == {done, refused}
    assert set(codes(get_json(client, "requests", status="open,closed"))) == {done, waiting, refused}
    assert codes(get_json(client, "requests", service_code="cay-xanh")) == [waiting]
    assert set(codes(get_json(client, "requests", service_code="cay-xanh,ha-tang-ky-thuat"))) == {
        done,
        waiting,
        refused,
    }
    assert set(codes(get_json(client, "requests", service_request_id=f"{done},{waiting}"))) == {done, waiting}
    # hidden and spam stay out even when asked for by id
    assert (
        codes(get_json(client, "requests", service_request_id=f"{reports['hidden'].code},{reports['spam'].code}")) == []
    )
    spec_errors(get_json(client, "requests", status="pending"), 400)


def test_list_dates_default_to_the_last_90_days(client, reports):
    done, waiting = reports["done"].code, reports["waiting"].code
    old = timezone.now() - timedelta(days=120)
    Report.objects.filter(code=done).update(received_at=old)
    assert done not in codes(get_json(client, "requests"))
    assert done in codes(get_json(client, "requests", service_request_id=done))  # ids override the dates
    start = (old - timedelta(days=1)).isoformat()
    assert codes(get_json(client, "requests", start_date=start)) == [done]
    end = (old + timedelta(days=1)).isoformat()
    assert codes(get_json(client, "requests", end_date=end)) == [done]
    today = timezone.localdate().isoformat()
    assert waiting in codes(get_json(client, "requests", start_date=today, end_date=today))
    assert codes(get_json(client, "requests", start_date="2099-01-01T00:00:00Z")) == []
    assert waiting in codes(client.get(f"{BASE}/requests.json?start_date={today}T00:00:00%2B07:00"))
    too_long = get_json(client, "requests", start_date="2025-01-01", end_date="2025-06-01")
    assert spec_errors(too_long, 400)[0].startswith("end_date:")
    assert spec_errors(get_json(client, "requests", start_date="hôm qua"), 400)[0].startswith("start_date:")


def test_list_pages(client, reports):
    first = codes(get_json(client, "requests", page_size=2))
    second = codes(get_json(client, "requests", page_size=2, page=2))
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    assert codes(get_json(client, "requests", page=9)) == []
    assert len(codes(get_json(client, "requests", page_size=1000))) == 3  # capped at 200, not an error
    assert spec_errors(get_json(client, "requests", page="hai"), 400)[0].startswith("page:")


def test_single_request_and_tokens(client, reports):
    done = reports["done"].code
    response = get_json(client, f"requests/{done}")
    assert codes(response) == [done]
    assert_no_contact_data(response)
    root = xml(client.get(f"{BASE}/requests/{done}.xml"))
    assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
    assert root.find("request").findtext("service_request_id") == done
    assert_no_contact_data(get_json(client, f"requests/{reports['waiting'].code}"))
    for unknown in ("PA-0000-000000", reports["hidden"].code, reports["spam"].code):
        assert spec_errors(get_json(client, f"requests/{unknown}"), 404)[0].startswith("service_request_id:")
    assert get_json(client, f"tokens/{done}").json() == [{"service_request_id": done, "token": done}]
    root = xml(client.get(f"{BASE}/tokens/{done}.xml"))
    assert root.find("request").findtext("token") == done
    assert root.find("request").findtext("service_request_id") == done
    spec_errors(client.get(f"{BASE}/tokens/PA-0000-000000.xml"), 404)


def test_posted_request_can_be_followed(client, api_key):
    code = post_request(client, api_key=api_key).json()[0]["service_request_id"]
    item = get_json(client, f"requests/{code}").json()[0]
    assert item["status"] == "open" and item["service_code"] == "ha-tang-ky-thuat"
    assert item["agency_responsible"]  # the 1022 dispatch centre until it is forwarded
    assert get_json(client, f"tokens/{code}").json()[0]["service_request_id"] == code


def test_staff_session_does_not_change_the_output(login, reports, centre_admin):
    """The endpoints are public: a staff session neither adds contact data nor breaks them."""
    client = login(centre_admin)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200
    assert_no_contact_data(response)


# Keys -------------------------------------------------------------------------------------------


def test_key_command_prints_a_working_key(client, db):
    out = StringIO()
    call_command("open311_key", "Ứng dụng phường", "--email", "dev@example.test", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert raw.startswith("o311_")
    created = Open311Client.objects.get(name="Ứng dụng phường")
    assert created.key_hash != raw and raw not in created.key_hash and created.is_active
    assert AuditEntry.objects.filter(action="feedback.open311_client.create", object_id=str(created.pk)).exists()
    assert post_request(client, api_key=raw).status_code == 201


def test_admin_lists_clients(login, centre_admin, api_key):
    centre_admin.is_staff = centre_admin.is_superuser = True
    centre_admin.save()
    client = login(centre_admin)
    response = client.get("/admin/feedback/open311client/")
    assert response.status_code == 200
    assert "Ứng dụng thử" in response.content.decode()
    assert api_key not in response.content.decode()


def test_two_factor_middleware_leaves_the_endpoints_alone(client, centre_admin, reports):
    """A platform administrator without a second factor is sent to set one up everywhere else, but the
    Open311 endpoints never use the session, so they answer as for anyone."""
    client.force_login(centre_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/nhat-ky/").status_code == 302
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200 and len(response.json()) == 3
    assert "Content-Security-Policy" in response
    assert_no_contact_data(response)


def test_admin_edits_and_revocation_are_audited(login, centre_admin, api_key):
    from thongsuot.core.models import AuditEntry
    from thongsuot.feedback.open311.models import Open311Client

    centre_admin.is_staff = centre_admin.is_superuser = True
    centre_admin.save()
    admin = login(centre_admin)
    app = Open311Client.objects.get()
    response = admin.post(
        f"/admin/feedback/open311client/{app.pk}/change/",
        {"name": "Ứng dụng mới", "organisation": "", "contact_email": "dev@example.test"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.name == "Ứng dụng mới" and not app.is_active
    update = AuditEntry.objects.get(action="feedback.open311_client.update")
    assert update.before["name"] == "Ứng dụng thử" and update.after["name"] == "Ứng dụng mới"
    assert AuditEntry.objects.filter(action="feedback.open311_client.revoke").count() == 1
