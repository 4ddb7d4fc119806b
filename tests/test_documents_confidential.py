"""Confidential documents (độ mật): seen only by the people named on them — the drafter, the clerk who
registered them, the people named by a clerk or leader, the handlers of the leader's instruction — even
inside the unit and even by the unit's leader or the city's leaders when not named; through services,
pages, API, file downloads and search."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_staff
from tests.test_documents_handling import _direct, arrive, sg_lead, sg_leader, sg_support  # noqa: F401
from thongsuot.documents import selectors, services
from thongsuot.documents.testing import draft_pdf

SECRET = "Về việc bảo vệ bí mật nhà nước năm 2027"


@pytest.fixture
def sg_clerk2(sai_gon):
    return make_staff("vanthu2@saigon.test", sai_gon, ["clerk"], full_name="Trịnh Văn Thư Hai")


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _sees(user, document) -> bool:
    """Whether `user` finds the document, through every door, all answering alike."""
    client = _as(user)
    doors = {
        "service": selectors.documents_for(user).filter(pk=document.pk).exists(),
        "search": selectors.document_list(user, q="bi mat nha nuoc").filter(pk=document.pk).exists(),
        "page": client.get(f"/van-ban/{document.pk}/").status_code == 200,
        "list page": document.summary in client.get("/van-ban/?q=bí mật").content.decode(),
        "api": client.get(f"/api/v1/documents/documents/{document.pk}").status_code == 200,
        "api list": document.pk in [d["id"] for d in client.get("/api/v1/documents/documents").json()],
        "file": client.get(f"/van-ban/{document.pk}/tep/{document.current_file().pk}/").status_code == 200,
    }
    assert len(set(doors.values())) == 1, doors
    return doors["page"]


def test_an_incoming_secret_document_is_seen_only_by_the_people_named(
    arrive,  # noqa: F811
    other_ward_clerk,
    sg_clerk2,
    sg_leader,  # noqa: F811
    sg_lead,  # noqa: F811
    sg_support,  # noqa: F811
    city_leader,
    other_ward_admin,
    ward_leader,
    ward_clerk,
):
    document = arrive(summary=SECRET, confidentiality="mat", readers=[ward_leader.pk, ward_clerk.pk])
    plain = arrive(summary="Về việc bí mật nhà nước: hướng dẫn chung")
    # Before registration the unit's clerks see it (they register it); nobody else of the unit.
    assert _sees(other_ward_clerk, document) and _sees(sg_clerk2, document)
    for person in (sg_leader, sg_lead, city_leader, other_ward_admin):
        assert not _sees(person, document)
        assert _sees(person, plain)
    services.document_register(actor=other_ward_clerk, document=document)
    assert _sees(other_ward_clerk, document) and not _sees(sg_clerk2, document)  # the clerk who registered it
    with pytest.raises(PermissionDenied):  # a leader not named can neither see nor direct it
        _direct(sg_leader, document, sg_lead)
    with pytest.raises(PermissionDenied):  # someone not named names nobody
        services.document_name_readers(actor=sg_clerk2, document=document, user_ids=[sg_clerk2.pk])
    with pytest.raises(ValidationError):  # only staff of the unit
        services.document_name_readers(actor=other_ward_clerk, document=document, user_ids=[city_leader.pk])
    # The clerk submits it to the leader by naming them (through the page).
    _as(other_ward_clerk).post(f"/van-ban/{document.pk}/name_readers/", {"readers": [sg_leader.pk]})
    assert _sees(sg_leader, document) and not _sees(sg_lead, document)
    _direct(sg_leader, document, sg_lead)  # the handlers are named by the instruction
    assert _sees(sg_lead, document) and not _sees(sg_support, document)
    assert not _sees(city_leader, document) and not _sees(sg_clerk2, document)
    assert selectors.follow_up(sg_support).count() == 0 and selectors.follow_up(sg_lead).count() == 1
    answer = _as(sg_leader).post(
        f"/api/v1/documents/documents/{document.pk}/readers",
        {"user_ids": [sg_support.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 200 and set(answer.json()["reader_ids"]) == {sg_leader.pk, sg_lead.pk, sg_support.pk}
    assert _sees(sg_support, document)
    assert document.events.filter(action="name_readers").count() == 2


def test_a_secret_draft_is_seen_and_acted_on_only_by_those_the_drafter_names(
    ward_specialist, ward_leader, ward_clerk, ward_admin
):
    document = services.document_create(
        actor=ward_specialist,
        doc_type="CV",
        summary=SECRET,
        confidentiality="toi_mat",
        readers=[ward_leader.pk],
        file=SimpleUploadedFile("cv.pdf", draft_pdf("Công văn mật")),
    )
    assert _sees(ward_specialist, document) and _sees(ward_leader, document)
    assert not _sees(ward_clerk, document) and not _sees(ward_admin, document)
    services.document_submit(actor=ward_specialist, document=document)
    services.document_approve(actor=ward_leader, document=document)
    document.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.document_return(actor=ward_admin, document=document, reason="Không được xem")
    with pytest.raises(ValidationError) as bad:
        services.document_create(
            actor=ward_specialist, doc_type="CV", summary=SECRET, confidentiality="mat", readers=[999999]
        )
    assert "readers" in bad.value.message_dict
    refused = _as(ward_admin).post(
        f"/api/v1/documents/documents/{document.pk}/readers",
        {"user_ids": [ward_admin.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 404
