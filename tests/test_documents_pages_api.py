"""The documents pages and API: drafting to issuing through the API, the recipient's incoming queue on
its page, and one unit never seeing or changing another unit's documents (pages and API)."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from thongsuot.documents.models import Document
from thongsuot.documents.testing import TestPKI, draft_pdf, signing_keys_install


@pytest.fixture
def keys(tmp_path, ward_leader, ward_admin, ben_thanh):
    pki = TestPKI(tmp_path / "pki")
    signing_keys_install(pki, admin=ward_admin, leader=ward_leader, organisation=ben_thanh)
    return pki


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_through_the_api_a_draft_is_reviewed_signed_issued_and_arrives(
    keys, ward_specialist, ward_leader, ward_clerk, sai_gon, other_ward_clerk, other_ward_admin
):
    drafter, leader, clerk = _as(ward_specialist), _as(ward_leader), _as(ward_clerk)
    pdf = base64.b64encode(draft_pdf("Kế hoạch chuyển đổi số năm 2027")).decode()
    response = drafter.post(
        "/api/v1/documents/documents",
        {
            "doc_type": "KH",
            "summary": "Kế hoạch chuyển đổi số năm 2027",
            "urgency": "khan",
            "recipient_ids": [sai_gon.pk],
            "file": {"name": "ke-hoach.pdf", "content_base64": pdf},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert (body["status"], body["allowed_actions"]) == ("draft", ["revise", "submit"])
    bad = drafter.post(
        "/api/v1/documents/documents", {"doc_type": "KH", "summary": ""}, content_type="application/json"
    )
    assert bad.status_code == 400 and "summary" in bad.json()["errors"]
    assert (
        drafter.post(f"/api/v1/documents/documents/{pk}/submit", {}, content_type="application/json").json()["status"]
        == "review"
    )
    assert (
        drafter.post(f"/api/v1/documents/documents/{pk}/approve", {}, content_type="application/json").status_code
        == 403
    )
    assert leader.post(f"/api/v1/documents/documents/{pk}/sign").status_code == 409  # not approved yet
    assert (
        leader.post(f"/api/v1/documents/documents/{pk}/approve", {}, content_type="application/json").json()["status"]
        == "approved"
    )
    signed = leader.post(f"/api/v1/documents/documents/{pk}/sign")
    assert signed.json()["status"] == "signed" and signed.json()["signer_name"] == "Hồ Văn Chủ Tịch"
    issued = clerk.post(f"/api/v1/documents/documents/{pk}/issue").json()
    assert (issued["status"], issued["notation"]) == ("issued", "01/KH-UBND")
    last = issued["files"][-1]
    download = clerk.get(f"/api/v1/documents/documents/{pk}/files/{last['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    # The recipient's clerk: the incoming queue (API and page)
    other = _as(other_ward_clerk)
    [arrived] = other.get("/api/v1/documents/incoming-queue").json()
    assert (arrived["notation"], arrived["status"], arrived["urgency"]) == ("01/KH-UBND", "arrived", "khan")
    page = other.get("/van-ban/")
    assert page.status_code == 200 and "01/KH-UBND" in page.content.decode() and "Khẩn" in page.content.decode()
    # ... but not the sender's outgoing document, by page, API or file
    assert other.get(f"/api/v1/documents/documents/{pk}").status_code == 404
    assert other.get(f"/van-ban/{pk}/").status_code == 404
    assert other.get(f"/api/v1/documents/documents/{pk}/files/{last['id']}").status_code == 404
    assert other.get(f"/van-ban/{pk}/tep/{last['id']}/").status_code == 404
    assert _as(other_ward_admin).post(f"/van-ban/{pk}/approve/").status_code == 404
    assert [d["id"] for d in other.get("/api/v1/documents/documents").json()] == [arrived["id"]]


def test_the_pages_draft_and_offer_only_the_allowed_actions(ward_specialist, ward_leader, other_ward_admin):
    drafter = _as(ward_specialist)
    form = drafter.get("/van-ban/soan-thao/")
    assert form.status_code == 200
    refused = drafter.post("/van-ban/soan-thao/", {"doc_type": "QĐ", "summary": ""})
    assert refused.status_code == 200 and not Document.objects.exists()
    response = drafter.post(
        "/van-ban/soan-thao/",
        {
            "doc_type": "QĐ",
            "summary": "Quyết định thành lập Tổ công tác",
            "file": SimpleUploadedFile("a.pdf", draft_pdf("QĐ")),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/van-ban/{document.pk}/"
    page = drafter.get(f"/van-ban/{document.pk}/").content.decode()
    assert f"/van-ban/{document.pk}/submit/" in page and f"/van-ban/{document.pk}/approve/" not in page
    drafter.post(f"/van-ban/{document.pk}/submit/")
    document.refresh_from_db()
    assert document.status == "review"
    leader_page = _as(ward_leader).get(f"/van-ban/{document.pk}/").content.decode()
    assert f"/van-ban/{document.pk}/approve/" in leader_page and f"/van-ban/{document.pk}/return/" in leader_page
    drafter.post(f"/van-ban/{document.pk}/approve/")  # refused with a message, nothing changes
    document.refresh_from_db()
    assert document.status == "review"
    assert _as(other_ward_admin).get("/van-ban/").content.decode().count("Quyết định thành lập") == 0
