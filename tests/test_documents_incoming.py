"""Incoming documents: a signed PDF's signatures checked against the configured trust roots (valid,
tampered, untrusted, unsigned), registration with the next arrival number of the year and the sender's
acknowledgement, a document sent back with its reason; through services, pages and API."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.generic import NameObject, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from thongsuot.documents import selectors, services, signing
from thongsuot.documents.testing import TestPKI, draft_pdf, signing_keys_install


@pytest.fixture
def pki(tmp_path, settings):
    pki = TestPKI(tmp_path / "pki")
    settings.DOCUMENTS_TRUST_ROOTS = [pki.root_file]
    return pki


@pytest.fixture
def issue(pki, ward_leader, ward_admin, ward_specialist, ward_clerk, ben_thanh):
    signing_keys_install(pki, admin=ward_admin, leader=ward_leader, organisation=ben_thanh)

    def _issue(recipients, **extra):
        if extra.get("confidentiality"):  # a secret draft names the leader and the clerk who act on it
            extra["readers"] = [ward_leader.pk, ward_clerk.pk]
        document = services.document_create(
            actor=ward_specialist,
            doc_type="CV",
            summary="Về việc báo cáo tình hình chuyển đổi số",
            drafting_unit="VX",
            recipients=[r.pk for r in recipients],
            file=SimpleUploadedFile("cv.pdf", draft_pdf("Công văn")),
            **extra,
        )
        services.document_submit(actor=ward_specialist, document=document)
        services.document_approve(actor=ward_leader, document=document)
        services.document_sign(actor=ward_leader, document=document)
        return services.document_issue(actor=ward_clerk, document=document)

    return _issue


def _sealed(document) -> bytes:
    with document.current_file().file.open("rb") as handle:
        return handle.read()


def test_signatures_are_valid_tampered_untrusted_or_absent(pki, issue, sai_gon, tmp_path):
    document = issue([sai_gon])
    content = _sealed(document)
    assert signing.check(content).result == "valid"
    # Changed after signing: an incremental update no signature covers
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    writer.root[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    changed = io.BytesIO()
    writer.write(changed)
    assert signing.check(changed.getvalue()).result == "tampered"
    # A byte of the signed content changed
    flipped = content.replace(b"/Count 1", b"/Count 2", 1)
    assert flipped != content and signing.check(flipped).result == "tampered"
    # Another root: intact but not trusted
    other = TestPKI(tmp_path / "other", name="CA lạ")
    assert signing.check(content, trust_roots=[other.root_file]).result == "untrusted"
    assert signing.check(draft_pdf("Không ký")).result == "unsigned"


def test_the_clerk_registers_in_order_and_the_sender_is_acknowledged(
    issue, sai_gon, other_ward_clerk, other_ward_admin, ward_clerk
):
    first, second = issue([sai_gon]), issue([sai_gon])
    secret = issue([sai_gon], confidentiality="mat")
    queue = {d.source_id: d for d in selectors.incoming_queue(other_ward_clerk)}
    assert set(queue) == {first.pk, second.pk, secret.pk}
    assert {d.signature_check for d in queue.values()} == {"valid"}
    with pytest.raises(PermissionDenied):
        services.document_register(actor=other_ward_admin, document=queue[first.pk])  # the clerk registers
    with pytest.raises(PermissionDenied):
        services.document_register(actor=ward_clerk, document=queue[first.pk])  # not the recipient's clerk
    assert services.document_register(actor=other_ward_clerk, document=queue[second.pk]).arrival_number == 1
    assert services.document_register(actor=other_ward_clerk, document=queue[first.pk]).arrival_number == 2
    assert services.document_register(actor=other_ward_clerk, document=queue[secret.pk]).arrival_number == 1
    assert not selectors.incoming_queue(other_ward_clerk).exists()
    event = second.events.get(action="acknowledged")
    assert event.note.startswith("Phường Sài Gòn: số đến 1")


def test_a_document_is_sent_back_with_a_reason_through_page_and_api(issue, sai_gon, other_ward_clerk):
    document = issue([sai_gon])
    [arrived] = selectors.incoming_queue(other_ward_clerk)
    client = Client()
    client.force_login(other_ward_clerk, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/van-ban/{arrived.pk}/").content.decode()
    assert "Chữ ký hợp lệ" in page or "Valid signatures" in page
    assert f"/van-ban/{arrived.pk}/send_back/" in page and f"/van-ban/{arrived.pk}/register/" in page
    refused = client.post(
        f"/api/v1/documents/documents/{arrived.pk}/send-back", {"reason": ""}, content_type="application/json"
    )
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    answer = client.post(
        f"/api/v1/documents/documents/{arrived.pk}/send-back",
        {"reason": "Gửi nhầm đơn vị"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "sent_back"
    assert client.post(f"/api/v1/documents/documents/{arrived.pk}/register").status_code == 409
    assert document.events.get(action="sent_back_by_recipient").note == "Phường Sài Gòn: Gửi nhầm đơn vị"
    with pytest.raises(ValidationError):
        services.document_send_back(actor=other_ward_clerk, document=arrived, reason=" ")
