from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thongsuot.accounts.models import ApiToken, User
from thongsuot.accounts.services import api_token_create

pytestmark = pytest.mark.django_db
LIST = (
    "Họ tên,Email,Số điện thoại,Chức vụ,Vai trò,Đơn vị\n"
    "Ngô Văn Tư,tu@benthanh.test,0903000001,Văn thư,clerk,Phường Bến Thành\n"
)


def bearer(user, days=30):
    _token, raw = api_token_create(user=user, name="test", days=days)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tokens_are_hashed_at_rest_and_expire_and_revoke(client, ward_admin):
    token, raw = api_token_create(user=ward_admin, name="script", days=1)
    assert raw not in token.key_hash and token.key_hash != raw
    assert not ApiToken.objects.filter(key_hash__contains=raw[-20:]).exists()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", **auth).json()["username"] == ward_admin.username
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401
    token2, raw2 = api_token_create(user=ward_admin, name="script2", days=1)
    auth2 = {"HTTP_AUTHORIZATION": f"Bearer {raw2}"}
    assert client.delete(f"/api/v1/accounts/tokens/{token2.pk}", **auth2).status_code == 200
    assert client.get("/api/v1/accounts/me", **auth2).status_code == 401
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer ts_nope_nope").status_code == 401


def test_token_lifetime_is_bounded(client, ward_admin):
    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x", "days": 9999}, content_type="application/json", **bearer(ward_admin)
    )
    assert response.status_code == 400 and "days" in response.json()["errors"]


def test_provisioning_through_the_api(client, ward_admin):
    auth = bearer(ward_admin)
    upload = SimpleUploadedFile("list.csv", LIST.encode("utf-8-sig"), content_type="text/csv")
    response = client.post("/api/v1/accounts/provisioning", {"file": upload}, **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["summary"]["create"] == 1 and body["rows"][0]["email"] == "tu@benthanh.test"
    response = client.post(f"/api/v1/accounts/provisioning/{body['batch_id']}/apply", **auth)
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert User.objects.filter(email="tu@benthanh.test", organisation=ward_admin.organisation).exists()
    bad = SimpleUploadedFile("x.csv", b"foo,bar\n1,2\n", content_type="text/csv")
    response = client.post("/api/v1/accounts/provisioning", {"file": bad}, **auth)
    assert response.status_code == 400 and "không phải danh sách cán bộ" in response.json()["detail"]


def test_another_wards_admin_cannot_use_or_see_a_batch(client, ward_admin, other_ward_admin):
    upload = SimpleUploadedFile("list.csv", LIST.encode(), content_type="text/csv")
    batch_id = client.post("/api/v1/accounts/provisioning", {"file": upload}, **bearer(ward_admin)).json()["batch_id"]
    response = client.post(f"/api/v1/accounts/provisioning/{batch_id}/apply", **bearer(other_ward_admin))
    assert response.status_code == 404
    upload = SimpleUploadedFile("list.csv", LIST.encode(), content_type="text/csv")
    body = client.post("/api/v1/accounts/provisioning", {"file": upload}, **bearer(other_ward_admin)).json()
    assert body["summary"]["error"] == 1 and "đơn vị mình" in body["rows"][0]["errors"][0]


def test_clerk_cannot_provision_and_staff_list_is_scoped(client, ward_clerk, other_ward_admin, city_leader):
    upload = SimpleUploadedFile("list.csv", LIST.encode(), content_type="text/csv")
    assert client.post("/api/v1/accounts/provisioning", {"file": upload}, **bearer(ward_clerk)).status_code == 403
    seen = {u["email"] for u in client.get("/api/v1/accounts/staff", **bearer(ward_clerk)).json()}
    assert ward_clerk.email in seen and other_ward_admin.email not in seen
    seen = {u["email"] for u in client.get("/api/v1/accounts/staff", **bearer(city_leader)).json()}
    assert {ward_clerk.email, other_ward_admin.email} <= seen


def test_citizens_get_no_staff_data(client, citizen):
    assert client.get("/api/v1/accounts/staff", **bearer(citizen)).json() == []
    assert client.get("/api/v1/readiness/units", **bearer(citizen)).json() == []


def test_anonymous_requests_are_refused(client):
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert client.get("/api/v1/readiness/units").status_code == 401


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/accounts/provisioning" in response.json()["paths"]
