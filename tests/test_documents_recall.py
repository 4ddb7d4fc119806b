"""Recall of an issued document: the issuing unit's leader recalls it with a reason, every copy on the
platform shows it and its clerks are told; each receiving clerk confirms it withdrawn, which the sender's
document records; nobody else recalls or confirms, and a copy whose sender has not recalled it cannot be
withdrawn; through services, pages and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from tests.conftest import make_staff
from tests.test_documents_handling import arrive  # noqa: F401
from thongsuot.core.notifications.models import Notification
from thongsuot.core.workflow import TransitionError
from thongsuot.documents import services
from thongsuot.documents.models import Document


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_leader_recalls_and_each_receiving_clerk_confirms(
    arrive,  # noqa: F811
    ward_leader,
    ward_clerk,
    other_ward_clerk,
    django_capture_on_commit_callbacks,
):
    copy = arrive(summary="Về việc điều chỉnh lịch tiếp công dân")
    sent = Document.objects.get(pk=copy.source_id)
    with pytest.raises(TransitionError):  # not recalled yet: nothing to confirm
        services.document_confirm_recall(actor=other_ward_clerk, document=copy)
    services.document_register(actor=other_ward_clerk, document=copy)
    with pytest.raises(PermissionDenied):  # the clerk issues, the leader recalls
        services.document_recall(actor=ward_clerk, document=sent, reason="Sai lịch")
    with pytest.raises(PermissionDenied):  # the receiver's clerk cannot recall the sender's document
        services.document_recall(actor=other_ward_clerk, document=sent, reason="Sai lịch")
    with pytest.raises(ValidationError) as empty:
        services.document_recall(actor=ward_leader, document=sent, reason=" ")
    assert "reason" in empty.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.document_recall(actor=ward_leader, document=sent, reason="Sai lịch tiếp công dân")
    sent.refresh_from_db()
    assert sent.status == "recalled"
    assert copy.events.get(action="recall_requested").note == "Sai lịch tiếp công dân"
    assert (
        Notification.objects.get(recipient=other_ward_clerk, event="documents.recalled").link == f"/van-ban/{copy.pk}/"
    )
    page = _as(other_ward_clerk).get(f"/van-ban/{copy.pk}/").content.decode()
    assert f"/van-ban/{copy.pk}/confirm_recall/" in page
    assert (
        _as(ward_clerk)
        .post(f"/api/v1/documents/documents/{copy.pk}/confirm-recall", {}, content_type="application/json")
        .status_code
        == 404
    )
    answer = _as(other_ward_clerk).post(
        f"/api/v1/documents/documents/{copy.pk}/confirm-recall", {"note": "Đã thu hồi"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    assert sent.events.get(action="recall_confirmed").note.startswith("Phường Sài Gòn: ")
    again = _as(ward_leader).post(
        f"/api/v1/documents/documents/{sent.pk}/recall", {"reason": "Lần nữa"}, content_type="application/json"
    )
    assert again.status_code == 409


def test_the_recall_through_the_page(arrive, ward_leader):  # noqa: F811
    copy = arrive()
    sent = Document.objects.get(pk=copy.source_id)
    page = _as(ward_leader).get(f"/van-ban/{sent.pk}/").content.decode()
    assert f"/van-ban/{sent.pk}/recall/" in page
    _as(ward_leader).post(f"/van-ban/{sent.pk}/recall/", {"reason": "Ban hành nhầm"})
    sent.refresh_from_db()
    assert sent.status == "recalled" and sent.events.get(action="recall").note == "Ban hành nhầm"


def test_a_recalled_secret_copy_is_told_only_to_the_clerk_named_on_it(
    arrive,  # noqa: F811
    ward_leader,
    ward_clerk,
    other_ward_clerk,
    sai_gon,
    django_capture_on_commit_callbacks,
):
    second_clerk = make_staff("vanthu2@saigon.test", sai_gon, ["clerk"], full_name="Văn Thư Hai")
    copy = arrive(summary="Về việc mật", confidentiality="mat", readers=[ward_leader.pk, ward_clerk.pk])
    services.document_register(actor=other_ward_clerk, document=copy)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_recall(actor=ward_leader, document=Document.objects.get(pk=copy.source_id), reason="Nhầm")
    assert Notification.objects.filter(recipient=other_ward_clerk, event="documents.recalled").exists()
    assert not Notification.objects.filter(recipient=second_clerk).exists()
    with pytest.raises(PermissionDenied):
        services.document_confirm_recall(actor=second_clerk, document=copy)
    services.document_confirm_recall(actor=other_ward_clerk, document=copy)
