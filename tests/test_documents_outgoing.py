"""The outgoing workflow: draft with versions → review → approved → signed (the signer's PAdES signature
with its stamp) → issued (the number, the agency's seal signature, the outgoing register, delivery to the
recipients' incoming queues). Signatures are checked with pyHanko against the test PKI's root."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from thongsuot.core.models import AuditEntry, NumberCounter
from thongsuot.core.workflow import TransitionError
from thongsuot.documents import selectors, services
from thongsuot.documents.models import Document, DocumentFile, SignerKey
from thongsuot.documents.testing import TestPKI, draft_pdf, signing_keys_install


@pytest.fixture
def pki(tmp_path):
    return TestPKI(tmp_path / "pki")


@pytest.fixture
def keys(pki, ward_leader, ward_admin, ben_thanh):
    signer, seal = signing_keys_install(
        pki, admin=ward_admin, leader=ward_leader, organisation=ben_thanh, seal_organisation="UBND Phường Bến Thành"
    )
    return signer, seal


def _upload(name="du-thao.pdf", title="Quyết định về việc thành lập Tổ công tác"):
    return SimpleUploadedFile(name, draft_pdf(title), content_type="application/pdf")


def _draft(actor, recipients=(), **extra):
    fields = {"doc_type": "QĐ", "summary": "Quyết định về việc thành lập Tổ công tác chuyển đổi số"}
    fields.update(extra)
    return services.document_create(actor=actor, recipients=[r.pk for r in recipients], file=_upload(), **fields)


def _signatures(document_file, root_file):
    with document_file.file.open("rb") as handle:
        reader = PdfFileReader(io.BytesIO(handle.read()))
    context = ValidationContext(trust_roots=[load_cert_from_pemder(root_file)], allow_fetching=False)
    return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]


def test_a_document_goes_from_draft_to_issued_and_arrives_at_its_recipients(
    keys, pki, ward_specialist, ward_leader, ward_clerk, sai_gon, other_ward_clerk, other_ward_admin
):
    document = _draft(ward_specialist, recipients=[sai_gon], urgency="hoa_toc")
    assert document.status == "draft" and document.files.count() == 1
    services.document_revise(actor=ward_specialist, document=document, file=_upload("v2.pdf"), note="Sửa điều 2")
    assert list(document.files.values_list("version", flat=True)) == [1, 2]
    document = services.document_submit(actor=ward_specialist, document=document)
    with pytest.raises(ValidationError) as error:
        services.document_return(actor=ward_leader, document=document, reason=" ")
    assert "reason" in error.value.message_dict
    document = services.document_return(actor=ward_leader, document=document, reason="Bổ sung căn cứ pháp lý")
    assert document.status == "draft"
    document = services.document_submit(actor=ward_specialist, document=document)
    with pytest.raises(PermissionDenied):
        services.document_approve(actor=ward_specialist, document=document)
    document = services.document_approve(actor=ward_leader, document=document)
    with pytest.raises(PermissionDenied):
        services.document_sign(actor=ward_clerk, document=document)
    document = services.document_sign(actor=ward_leader, document=document)
    assert (document.status, document.signer_name, document.page_count) == ("signed", "Hồ Văn Chủ Tịch", 1)
    signed = document.current_file()
    assert signed.stage == "signed"
    [status] = _signatures(signed, pki.root_file)
    assert status.bottom_line and status.intact and status.trusted
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=ward_leader, document=document)  # the clerk issues

    document = services.document_issue(actor=ward_clerk, document=document)
    assert (document.status, document.number, document.notation) == ("issued", 1, "01/QĐ-UBND")
    issued = document.current_file()
    assert issued.stage == "issued" and issued.original_name == "01_QĐ-UBND.pdf"
    statuses = _signatures(issued, pki.root_file)
    assert len(statuses) == 2 and all(s.bottom_line for s in statuses)  # the signer's, then the seal's
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == [
        "Hồ Văn Chủ Tịch",
        "UBND Phường Bến Thành",
    ]
    assert AuditEntry.objects.filter(action="documents.document.issue", object_id=str(document.pk)).exists()
    assert list(document.events.values_list("action", flat=True)) == [
        "create",
        "revise",
        "submit",
        "return",
        "submit",
        "approve",
        "sign",
        "issue",
    ]
    # The recipient's incoming queue
    [arrived] = selectors.incoming_queue(other_ward_clerk)
    assert (arrived.organisation, arrived.notation, arrived.summary, arrived.urgency) == (
        sai_gon,
        "01/QĐ-UBND",
        document.summary,
        "hoa_toc",
    )
    assert arrived.issuer_id == document.organisation_id and arrived.source_id == document.pk
    assert len(_signatures(arrived.current_file(), pki.root_file)) == 2
    # Each unit sees its own: Sài Gòn sees its incoming copy, not Bến Thành's outgoing document
    assert list(selectors.documents_for(other_ward_admin)) == [arrived]
    with pytest.raises(Document.DoesNotExist):
        selectors.document_get(other_ward_admin, document.pk)
    with pytest.raises(PermissionDenied):
        services.document_approve(actor=other_ward_admin, document=document)


def test_a_failed_issue_takes_no_number_and_stores_no_file(keys, ward_specialist, ward_leader, ward_clerk, ben_thanh):
    document = _draft(ward_specialist)
    services.document_submit(actor=ward_specialist, document=document)
    services.document_approve(actor=ward_leader, document=document)
    services.document_sign(actor=ward_leader, document=document)
    office = services.office_for(ben_thanh)
    seal_key = office.seal_key_file
    office.seal_key_file = ""
    office.save()
    files_before = DocumentFile.objects.count()
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        services.document_issue(actor=ward_clerk, document=document)
    assert error.value.message_dict["seal"] == ["Cơ quan chưa được cấu hình chứng thư số của cơ quan, tổ chức."]
    document.refresh_from_db()
    assert (document.status, document.number) == ("signed", None)
    assert DocumentFile.objects.count() == files_before
    assert not NumberCounter.objects.filter(scope=ben_thanh.code, series="documents:gov", value__gt=0).exists()
    office.seal_key_file = seal_key
    office.save()
    assert services.document_issue(actor=ward_clerk, document=document).notation == "01/QĐ-UBND"


def test_a_draft_is_checked_field_by_field(ward_specialist, citizen, ward_clerk):
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        services.document_create(actor=ward_specialist, doc_type="XX", summary="", urgency="gap", recipients=[999999])
    assert set(error.value.message_dict) == {"doc_type", "summary", "urgency", "recipients"}
    assert error.value.message_dict["summary"] == ["Vui lòng nhập trích yếu nội dung của văn bản."]
    with pytest.raises(ValidationError) as error:
        services.document_create(
            actor=ward_specialist, doc_type="QĐ", summary="Thử", file=SimpleUploadedFile("a.pdf", b"not a pdf")
        )
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()
    with pytest.raises(PermissionDenied):
        services.document_create(actor=citizen, doc_type="QĐ", summary="Thử")
    draft = services.document_create(actor=ward_clerk, doc_type="CV", summary="Về việc thử", drafting_unit="VX")
    with pytest.raises(ValidationError) as error:
        services.document_submit(actor=ward_clerk, document=draft)  # no file yet
    assert "file" in error.value.message_dict
    with pytest.raises((TransitionError, PermissionDenied)):
        services.document_approve(actor=ward_clerk, document=draft)  # a clerk does not approve


def test_signing_needs_the_signers_key_and_a_pdf(keys, ward_specialist, ward_leader, ben_thanh):
    from tests.conftest import make_staff
    from thongsuot.accounts.models import Role

    deputy = make_staff("phochutich@benthanh.test", ben_thanh, [Role.LEADER], full_name="Phó Chủ Tịch")
    document = _draft(ward_specialist)
    services.document_submit(actor=ward_specialist, document=document)
    services.document_approve(actor=deputy, document=document)
    with pytest.raises(ValidationError) as error:
        services.document_sign(actor=deputy, document=document)  # no certificate configured
    assert "key" in error.value.message_dict
    assert not SignerKey.objects.filter(user=deputy).exists()
    assert SignerKey._meta.get_field("key_file").get_internal_type() == "CharField"  # a path, never the key
    key = SignerKey.objects.get(user=ward_leader)
    with open(key.key_file, "rb") as handle:
        assert b"PRIVATE KEY" in handle.read()
    assert "PRIVATE KEY" not in str(list(SignerKey.objects.values()))
