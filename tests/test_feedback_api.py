"""The staff JSON API of 1022: scoped lists and details, one POST per transition."""

import pytest

from tests.conftest import make_staff
from thongsuot.accounts.services import api_token_create
from thongsuot.feedback import services
from thongsuot.feedback.testing import submit

BASE = "/api/v1/feedback/reports"


def bearer(user):
    _token, raw = api_token_create(user=user, name="test", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


@pytest.fixture
def unit_leader(ben_thanh):
    return make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"])


@pytest.fixture
def other_handler(sai_gon):
    return make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"])


def post(client, auth, code, action, payload=None):
    return client.post(f"{BASE}/{code}/{action}", payload or {}, content_type="application/json", **auth)


def test_full_path_through_the_api(client, centre_admin, handler, unit_leader, ben_thanh):
    report = submit()
    dispatcher = bearer(centre_admin)
    assert post(client, dispatcher, report.code, "verify", {"note": "ok"}).json()["status"] == "verified"
    response = post(client, dispatcher, report.code, "assign", {"organisation_id": ben_thanh.pk})
    assert response.status_code == 200 and response.json()["organisation_id"] == ben_thanh.pk
    unit = bearer(handler)
    detail = client.get(f"{BASE}/{report.code}", **unit).json()
    assert detail["allowed_actions"] == ["accept", "return", "extend"]
    assert detail["contact_phone"] == "0901234567"
    assert post(client, unit, report.code, "accept").json()["status"] == "accepted"
    response = post(client, unit, report.code, "progress", {"note": "Đang làm"})
    assert response.json()["status"] == "in_progress"
    response = post(client, unit, report.code, "extend", {"reason": "Chờ vật tư", "new_date": "2099-01-02"})
    assert response.status_code == 201
    extension_id = response.json()["extension_id"]
    assert (
        post(client, unit, report.code, "extension-decide", {"extension_id": extension_id, "approve": True}).status_code
        == 403
    )
    decided = post(
        client, bearer(unit_leader), report.code, "extension-decide", {"extension_id": extension_id, "approve": True}
    )
    assert decided.json()["due_date"] == "2099-01-02"
    assert post(client, unit, report.code, "resolve", {"resolution": "Xong"}).json()["status"] == "resolved"
    published = post(client, bearer(unit_leader), report.code, "publish")
    assert published.json()["status"] == "published"
    assert [e["action"] for e in published.json()["events"]][-1] == "publish"


def test_list_is_scoped(client, centre_admin, handler, other_handler, ben_thanh, city_leader):
    mine = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    waiting = submit(client_ip="198.51.100.1", contact_phone="0912345678")
    codes = lambda user: {r["code"] for r in client.get(BASE, **bearer(user)).json()["results"]}  # noqa: E731
    assert codes(handler) == {mine.code}
    assert codes(other_handler) == set()
    assert codes(centre_admin) == codes(city_leader) == {mine.code, waiting.code}
    by_status = client.get(BASE, {"status": "received"}, **bearer(centre_admin)).json()
    assert [r["code"] for r in by_status["results"]] == [waiting.code] and by_status["count"] == 1
    assert "contact_phone" not in by_status["results"][0]


def test_another_ward_gets_404_and_a_clerk_403(client, centre_admin, other_handler, ward_clerk, ben_thanh):
    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    outsider = bearer(other_handler)
    assert client.get(f"{BASE}/{report.code}", **outsider).status_code == 404
    assert post(client, outsider, report.code, "accept").status_code == 404
    clerk = bearer(ward_clerk)
    assert client.get(f"{BASE}/{report.code}", **clerk).status_code == 200
    assert post(client, clerk, report.code, "accept").status_code == 403
    report.refresh_from_db()
    assert report.status == "assigned"


def test_illegal_transition_is_a_conflict_and_bad_input_a_400(client, centre_admin, handler, ben_thanh):
    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    unit = bearer(handler)
    response = post(client, unit, report.code, "resolve", {"resolution": "Xong"})
    assert response.status_code == 409 and "không thể chuyển sang" in response.json()["detail"]
    response = post(client, unit, report.code, "return", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = post(client, bearer(centre_admin), submit(client_ip="198.51.100.2").code, "reject", {"reason": "x"})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert post(client, unit, report.code, "return", {"reason": "Không thuộc phường"}).status_code == 200
    assert client.get(f"{BASE}/{report.code}", **unit).status_code == 404  # returned: no longer the unit's


def test_dispatcher_merges_and_hides_through_the_api(client, centre_admin, handler):
    original, duplicate = submit(), submit(client_ip="198.51.100.3", contact_phone="0987654321")
    dispatcher = bearer(centre_admin)
    merged = post(client, dispatcher, duplicate.code, "merge", {"into": original.code}).json()
    assert merged["status"] == "rejected" and merged["merged_into"] == original.code
    assert post(client, bearer(handler), original.code, "hide", {"reason": "x"}).status_code == 404


def test_api_needs_authentication(client, db):
    assert client.get(BASE).status_code == 401


def test_an_operator_enters_a_report_through_the_api_and_a_unit_cannot(client, dispatcher, handler, ben_thanh):
    from thongsuot.core.models import AuditEntry
    from thongsuot.feedback.models import Report

    call = {
        "category": "chieu-sang-dien",
        "description": "Đèn đường tắt cả dãy trước số 20 Lê Thánh Tôn.",
        "contact_name": "Phạm Văn Gọi",
        "contact_phone": "0938 123 456",
        "address": "20 Lê Thánh Tôn, Phường Bến Thành",
    }
    created = client.post(BASE, call, content_type="application/json", **bearer(dispatcher))
    assert created.status_code == 201, created.content
    body = created.json()
    report = Report.objects.get(code=body["code"])
    assert (report.channel, report.created_by, report.resolved_unit) == ("hotline", dispatcher, ben_thanh)
    assert report.contact_phone == "0938123456" and body["status"] == "received"
    assert AuditEntry.objects.get(action="feedback.report.submit", object_id=str(report.pk)).actor == dispatcher

    refused = client.post(BASE, call, content_type="application/json", **bearer(handler))
    assert refused.status_code == 403
    invalid = client.post(
        BASE, {**call, "description": "", "contact_phone": "12"}, content_type="application/json", **bearer(dispatcher)
    )
    assert invalid.status_code == 400
    assert {"description", "contact_phone"} <= set(invalid.json()["errors"])
    assert Report.objects.count() == 1


def test_progress_and_result_photos_through_the_api(client, centre_admin, handler, other_handler, ben_thanh):
    import base64

    from thongsuot.feedback.testing import JPEG, PNG, photo_of

    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    unit = bearer(handler)
    post(client, unit, report.code, "accept")
    photo = {"name": "hien-truong.jpg", "content_base64": base64.b64encode(JPEG).decode()}
    response = post(client, unit, report.code, "progress", {"note": "Đang sửa", "photos": [photo]})
    assert response.status_code == 200, response.content
    [attachment] = response.json()["attachments"]
    assert (attachment["stage"], attachment["content_type"], attachment["name"]) == (
        "progress",
        "image/jpeg",
        "hien-truong.jpg",
    )
    downloaded = client.get(attachment["url"], **unit)
    assert downloaded.status_code == 200 and photo_of(b"".join(downloaded.streaming_content)) == photo_of(JPEG)
    assert client.get(attachment["url"], **bearer(other_handler)).status_code == 404  # another ward's report

    text = {"name": "ket-qua.png", "content_base64": base64.b64encode(b"not a photo at all").decode()}
    refused = post(client, unit, report.code, "resolve", {"resolution": "Xong", "photos": [text]})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["photos"]
    broken = post(
        client, unit, report.code, "resolve", {"resolution": "Xong", "photos": [{"name": "a", "content_base64": "%%%"}]}
    )
    assert broken.status_code == 400 and "base64" in broken.json()["errors"]["photos"][0]
    result = {"name": "ket-qua.png", "content_base64": base64.b64encode(PNG).decode()}
    resolved = post(client, unit, report.code, "resolve", {"resolution": "Đã thay nắp cống.", "photos": [result]})
    assert resolved.json()["status"] == "resolved"
    assert [a["stage"] for a in resolved.json()["attachments"]] == ["progress", "result"]


def test_the_docs_list_each_transitions_errors(client):
    """The errors are mapped once (thongsuot/api.py); the OpenAPI docs still list them per endpoint."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in ("verify", "reject", "assign", "accept", "return", "progress", "resolve", "publish", "merge", "hide"):
        responses = paths[f"/api/v1/feedback/reports/{{code}}/{action}"]["post"]["responses"]
        assert {"200", "400", "403", "404", "409"} <= set(responses), action
    assert {"201", "409"} <= set(paths["/api/v1/feedback/reports/{code}/extend"]["post"]["responses"])
    assert "409" not in paths["/api/v1/feedback/reports/{code}"]["get"]["responses"]
