"""Correction of an issued document by a replacing one (đính chính): the new draft names the issued
document it replaces; once the correction is issued, the replaced document and every copy of it on the
platform record it, and the recipient's copy of the correction points at the copy it replaces."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.test_documents_handling import arrive  # noqa: F401
from thongsuot.documents import services
from thongsuot.documents.models import Document
from thongsuot.documents.testing import draft_pdf


def test_a_correction_replaces_the_issued_document_on_both_sides(
    arrive,  # noqa: F811
    ward_specialist,
    ward_leader,
    ward_clerk,
    other_ward_admin,
    sai_gon,
):
    old_copy = arrive(summary="Về việc lịch tiếp công dân tháng 12")
    old = Document.objects.get(pk=old_copy.source_id)
    with pytest.raises(ValidationError) as bad:  # only an issued document of the unit
        services.document_create(actor=other_ward_admin, doc_type="CV", summary="Đính chính", replaces=old.pk)
    assert "replaces" in bad.value.message_dict
    draft = services.document_create(actor=ward_specialist, doc_type="CV", summary="Nháp")
    with pytest.raises(ValidationError):
        services.document_create(actor=ward_specialist, doc_type="CV", summary="Đính chính", replaces=draft.pk)
    client = Client()
    client.force_login(ward_specialist, backend="django.contrib.auth.backends.ModelBackend")
    created = client.post(
        "/api/v1/documents/documents",
        {
            "doc_type": "CV",
            "summary": "Đính chính lịch tiếp công dân tháng 12",
            "drafting_unit": "VX",
            "recipient_ids": [sai_gon.pk],
            "replaces_id": old.pk,
            "file": {"name": "dc.pdf", "content_base64": base64.b64encode(draft_pdf("Đính chính")).decode()},
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["replaces_id"] == old.pk
    correction = Document.objects.get(pk=created.json()["id"])
    services.document_submit(actor=ward_specialist, document=correction)
    services.document_approve(actor=ward_leader, document=correction)
    services.document_sign(actor=ward_leader, document=correction)
    correction = services.document_issue(actor=ward_clerk, document=correction)
    note = f"Replaced by {correction.notation}"
    assert old.events.get(action="replaced").note in (note, f"Được thay thế bởi {correction.notation}")
    assert old_copy.events.get(action="replaced").note == old.events.get(action="replaced").note
    new_copy = correction.deliveries.get()
    assert new_copy.replaces == old_copy
    page = client.get(f"/van-ban/{correction.pk}/").content.decode()
    assert f"/van-ban/{old.pk}/" in page
