"""The dossiers' pages and API, and who sees what: a unit sees the dossiers it received or must decide and
no others (pages and API, both directions); the desk's intake form; a citizen's online submission; the
public lookup by code and the last four phone digits; the menu offers the intake form to the desk only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tests.conftest import make_staff
from tests.test_procedures_dossiers import PDF
from thongsuot.accounts.services import api_token_create
from thongsuot.navigation import menu_links
from thongsuot.procedures import services, testing
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import Status


@pytest.fixture
def desk(ben_thanh):
    return make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"])


@pytest.fixture
def other_desk(sai_gon):
    return make_staff("motcua@saigon.test", sai_gon, ["one_stop_officer"])


@pytest.fixture
def third_unit(db):
    from thongsuot.directory.models import Organisation

    return Organisation.objects.filter(kind="commune").exclude(name__in=["Phường Bến Thành", "Phường Sài Gòn"]).first()


def _intake(desk, **kwargs):
    return services.dossier_intake(
        actor=desk,
        procedure=testing.procedure(testing.BIRTH),
        applicant=testing.APPLICANT,
        received=[0, 1, 2],
        **kwargs,
    )


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_a_unit_sees_what_it_received_or_decides_and_nothing_else(
    client, login, desk, other_desk, sai_gon, third_unit, ward_clerk, city_leader
):
    third_desk = make_staff("motcua@third.test", third_unit, ["one_stop_officer"])
    own = _intake(desk)  # Bến Thành's, decided there
    decided_elsewhere = _intake(desk, deciding_unit_id=sai_gon.pk)  # received at Bến Thành, decided at Sài Gòn
    others = _intake(third_desk)  # another unit's alone
    expectations = {
        desk: {own.code, decided_elsewhere.code},
        ward_clerk: {own.code, decided_elsewhere.code},  # staff of the unit read its dossiers
        other_desk: {decided_elsewhere.code},
        city_leader: {own.code, decided_elsewhere.code, others.code},
    }
    for user, codes in expectations.items():
        listed = client.get("/api/v1/procedures/dossiers?limit=200", **_bearer(user)).json()
        assert {row["code"] for row in listed} == codes, user
        for dossier in (own, decided_elsewhere, others):
            status = client.get(f"/api/v1/procedures/dossiers/{dossier.code}", **_bearer(user)).status_code
            assert status == (200 if dossier.code in codes else 404), (user, dossier.code)
        login(user)
        page = client.get("/ho-so/").content.decode()
        for dossier in (own, decided_elsewhere, others):
            assert (dossier.code in page) == (dossier.code in codes)
            assert client.get(f"/ho-so/{dossier.code}/").status_code == (200 if dossier.code in codes else 404)
        client.logout()
    assert client.get("/api/v1/procedures/dossiers").status_code == 401  # no account, no list


def test_another_unit_cannot_act_through_the_page(client, login, desk, other_desk):
    dossier = _intake(desk)
    login(other_desk)
    client.post(f"/ho-so/{dossier.code}/forward/")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_the_desk_receives_through_the_form_with_errors_in_vietnamese(client, login, desk, ben_thanh):
    procedure = testing.procedure(testing.BIRTH)
    login(desk)
    assert "Thủ tục đăng ký khai sinh" in client.get("/ho-so/tiep-nhan/?q=khai sinh").content.decode()
    form = {
        "thu_tuc": procedure.code,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "0792",
        "applicant_phone": "0903123456",
        "received": ["0"],
        "decision": "accept",
    }
    with translation.override("vi"):
        response = client.post("/ho-so/tiep-nhan/", form, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    text = response.content.decode()
    assert "12 chữ số" in text
    assert not Dossier.objects.exists()
    form.update(applicant_id_number="079200001234", received=["0", "1", "2"])
    response = client.post("/ho-so/tiep-nhan/", form)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/ho-so/{dossier.code}/"
    assert dossier.status == Status.RECEIVED and dossier.receiving_unit == ben_thanh
    page = client.get(response.url).content.decode()
    assert 'data-action="forward"' in page and 'data-action="approve"' not in page
    client.post(f"/ho-so/{dossier.code}/forward/")
    assert Dossier.objects.get().status == Status.PROCESSING


def test_a_citizen_submits_online_and_follows_it(client, login, citizen, ben_thanh):
    procedure = testing.procedure(testing.BIRTH)
    login(citizen)
    form = {
        "applicant_name": "Công Dân",
        "applicant_id_number": "079200001234",
        "applicant_phone": "0903123456",
        "receiving_unit": ben_thanh.pk,
    }
    files = {f"document_{i}": SimpleUploadedFile(f"{i}.pdf", PDF, content_type="application/pdf") for i in range(3)}
    response = client.post(f"/thu-tuc/{procedure.code}/nop-truc-tuyen/", {**form, **files})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and dossier.citizen == citizen and dossier.status == Status.SUBMITTED
    assert dossier.code in client.get("/ho-so/cua-toi/").content.decode()
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'data-action="withdraw"' in page and 'data-action="accept"' not in page
    not_online = testing.procedure(testing.MOBILE_BIRTH)
    assert client.get(f"/thu-tuc/{not_online.code}/nop-truc-tuyen/").status_code == 404


def test_the_public_lookup_needs_the_phone_digits(client, desk):
    dossier = _intake(desk)
    right = client.get("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "3456"}).content.decode()
    assert dossier.code in right and dossier.procedure.name in right
    assert testing.APPLICANT["id_number"] not in right  # nothing personal
    wrong = client.get("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "0000"}).content.decode()
    assert dossier.procedure.name not in wrong


def test_the_menu_offers_the_intake_form_to_the_desk_only(desk, ward_clerk, citizen):
    assert "/ho-so/tiep-nhan/" in menu_links(desk)
    assert "/ho-so/" in menu_links(ward_clerk) and "/ho-so/tiep-nhan/" not in menu_links(ward_clerk)
    assert "/ho-so/cua-toi/" in menu_links(citizen)


def test_the_api_receives_at_the_desk(client, desk, ward_clerk):
    payload = {
        "procedure": testing.procedure(testing.BIRTH).code,
        "applicant": {"name": "Lê Văn B", "id_number": "079200005678", "phone": "0912345678"},
        "received": [0, 1, 2],
    }
    response = client.post("/api/v1/procedures/dossiers", payload, content_type="application/json", **_bearer(desk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["allowed_actions"] == [
        "request_additional",
        "refuse",
        "forward",
        "withdraw",
    ]
    assert len(body["steps"]) == 4 and datetime.datetime.fromisoformat(body["due_at"]) > timezone.now()
    bad = {**payload, "received": [0]}
    response = client.post("/api/v1/procedures/dossiers", bad, content_type="application/json", **_bearer(desk))
    assert response.status_code == 400 and "received" in response.json()["errors"]
    response = client.post(
        "/api/v1/procedures/dossiers", payload, content_type="application/json", **_bearer(ward_clerk)
    )
    assert response.status_code == 403


def test_the_documents_and_the_result_are_downloaded_by_those_who_see_the_dossier(
    client, login, citizen, desk, other_desk, ben_thanh
):
    procedure = testing.procedure(testing.BIRTH)
    files = {i: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf") for i in range(3)}
    dossier = services.dossier_submit(
        actor=citizen, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files=files
    )
    leader = make_staff("chutich@benthanh.test", ben_thanh, ["leader"])
    for step in (
        lambda d: services.dossier_accept(actor=desk, dossier=d),
        lambda d: services.dossier_forward(actor=desk, dossier=d),
        lambda d: services.dossier_complete_step(actor=leader, dossier=d),
        lambda d: services.dossier_approve(actor=leader, dossier=d),
        lambda d: services.dossier_return_result(
            actor=desk, dossier=d, result_file=SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf")
        ),
    ):
        dossier = step(dossier)
    document = dossier.documents.first()
    for user, allowed in ((citizen, True), (desk, True), (other_desk, False)):
        login(user)
        assert client.get(f"/tep/procedures/{document.pk}/").status_code == (200 if allowed else 404)
        response = client.get(f"/ho-so/{dossier.code}/ket-qua.pdf")
        assert response.status_code == (200 if allowed else 404)
        if allowed:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        client.logout()


def test_the_applicant_sends_the_missing_document_online(client, login, citizen, desk, ben_thanh):
    procedure = testing.procedure(testing.BIRTH)
    files = {i: SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf") for i in range(3)}
    dossier = services.dossier_submit(
        actor=citizen, procedure=procedure, receiving_unit=ben_thanh, applicant=testing.APPLICANT, files=files
    )
    dossier.documents.filter(index=1).update(received=False, file="")
    dossier = services.dossier_request_additional(actor=desk, dossier=dossier, missing="Giấy chứng sinh")
    login(citizen)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'name="document_1"' in page and 'name="document_0"' not in page and 'name="received"' not in page
    bad = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    client.post(f"/ho-so/{dossier.code}/supply_additional/", {"document_1": bad})
    assert Dossier.objects.get(pk=dossier.pk).status == Status.ADDITIONAL  # refused, nothing changed
    good = SimpleUploadedFile("cs.pdf", PDF, content_type="application/pdf")
    client.post(f"/ho-so/{dossier.code}/supply_additional/", {"document_1": good, "note": "Đã bổ sung"})
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.SUBMITTED
    document = dossier.documents.get(index=1)
    assert document.received and document.file.name.endswith(".pdf")


def test_the_lookup_stops_after_ten_wrong_tries_on_a_code(client, desk):
    from django.core.cache import cache

    cache.clear()
    dossier = _intake(desk)
    for digits in range(10):
        client.get("/tra-cuu-ho-so/", {"code": dossier.code, "phone": f"{digits:04d}"})
    page = client.get("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "3456"}).content.decode()
    assert dossier.procedure.name not in page  # the right digits, too late
    cache.clear()
    assert (
        dossier.procedure.name
        in client.get("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "3456"}).content.decode()
    )
