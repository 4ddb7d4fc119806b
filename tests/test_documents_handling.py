"""Direction and handling of incoming documents: the leader's instruction (lead and supporting handlers, a
deadline in working days), progress and completion by the handlers only, the follow-up list by deadline
(due soon, overdue, done on time / late), through services, pages and API, and never across units."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_staff
from thongsuot.core.calendar import add_working_days
from thongsuot.core.models import AuditEntry
from thongsuot.core.workflow import TransitionError
from thongsuot.documents import selectors, services
from thongsuot.documents.models import Instruction
from thongsuot.documents.numbering import today_in_city
from thongsuot.documents.testing import TestPKI, draft_pdf, signing_keys_install


@pytest.fixture
def sg_leader(sai_gon):
    return make_staff("chutich@saigon.test", sai_gon, ["leader"], full_name="Lý Chủ Tịch", position="Chủ tịch")


@pytest.fixture
def sg_lead(sai_gon):
    return make_staff("chutri@saigon.test", sai_gon, ["specialist"], full_name="Cao Chủ Trì")


@pytest.fixture
def sg_support(sai_gon):
    return make_staff("phoihop@saigon.test", sai_gon, ["specialist"], full_name="Tô Phối Hợp")


@pytest.fixture
def sg_other(sai_gon):
    return make_staff("khac@saigon.test", sai_gon, ["specialist"], full_name="Hà Người Khác")


@pytest.fixture
def arrive(tmp_path, settings, ward_leader, ward_admin, ward_specialist, ward_clerk, ben_thanh, sai_gon):
    """Issue documents from Bến Thành to Sài Gòn: each arrives in Sài Gòn's incoming queue."""
    pki = TestPKI(tmp_path / "pki")
    settings.DOCUMENTS_TRUST_ROOTS = [pki.root_file]
    signing_keys_install(pki, admin=ward_admin, leader=ward_leader, organisation=ben_thanh)

    def _arrive(summary="Về việc triển khai kế hoạch chuyển đổi số", **extra):
        document = services.document_create(
            actor=ward_specialist,
            doc_type="CV",
            summary=summary,
            drafting_unit="VX",
            recipients=[sai_gon.pk],
            file=SimpleUploadedFile("cv.pdf", draft_pdf("Công văn")),
            **extra,
        )
        services.document_submit(actor=ward_specialist, document=document)
        services.document_approve(actor=ward_leader, document=document)
        services.document_sign(actor=ward_leader, document=document)
        services.document_issue(actor=ward_clerk, document=document)
        return document.deliveries.get()

    return _arrive


@pytest.fixture
def registered(arrive, other_ward_clerk):
    def _registered(**extra):
        return services.document_register(actor=other_ward_clerk, document=arrive(**extra))

    return _registered


def _direct(leader, document, lead, *support, days=5, text="Giao chủ trì tham mưu báo cáo"):
    return services.document_direct(
        actor=leader,
        document=document,
        lead_id=lead.pk,
        co_handler_ids=[u.pk for u in support],
        working_days=days,
        instruction=text,
    )


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_leader_directs_with_a_working_day_deadline_and_the_handlers_finish(
    registered, sg_leader, sg_lead, sg_support, sg_other, other_ward_clerk
):
    document = registered()
    with pytest.raises(PermissionDenied):  # the clerk registers, the leader directs
        _direct(other_ward_clerk, document, sg_lead)
    instruction = _direct(sg_leader, document, sg_lead, sg_support, days=5)
    assert instruction.deadline == add_working_days(today_in_city(), 5)
    assert instruction.deadline.weekday() < 5
    assert [(h.user, h.lead) for h in instruction.handlers.all()] == [(sg_lead, True), (sg_support, False)]
    document.refresh_from_db()
    assert document.status == "handling"
    with pytest.raises(TransitionError):  # directed once
        _direct(sg_leader, document, sg_lead)
    with pytest.raises(PermissionDenied):  # not a handler
        services.document_progress(actor=sg_other, document=document, note="Tôi xem")
    with pytest.raises(ValidationError) as empty:
        services.document_progress(actor=sg_support, document=document, note="  ")
    assert "note" in empty.value.message_dict
    services.document_progress(actor=sg_support, document=document, note="Đã gửi số liệu phối hợp")
    with pytest.raises(PermissionDenied):  # only the lead handler completes
        services.document_complete(actor=sg_support, document=document)
    services.document_complete(actor=sg_lead, document=document, note="Đã báo cáo")
    document.refresh_from_db()
    instruction.refresh_from_db()
    assert document.status == "done" and instruction.completed_on == today_in_city()
    assert [e.action for e in document.events.order_by("pk")][-3:] == ["direct", "progress", "complete"]
    audited = set(AuditEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True))
    assert {"documents.document.direct", "documents.document.progress", "documents.document.complete"} <= audited


def test_an_instruction_names_staff_of_the_unit_and_a_valid_deadline(
    registered, sg_leader, sg_lead, ward_specialist, ward_leader
):
    document = registered()
    with pytest.raises(ValidationError) as bad:
        services.document_direct(
            actor=sg_leader,
            document=document,
            lead_id=ward_specialist.pk,  # another unit's staff
            co_handler_ids=[ward_leader.pk],
            working_days=0,
            instruction=" ",
        )
    assert set(bad.value.message_dict) == {"lead", "co_handlers", "working_days", "instruction"}
    assert not Instruction.objects.exists()
    document.refresh_from_db()
    assert document.status == "registered"
    with pytest.raises(PermissionDenied):  # another unit's leader
        _direct(ward_leader, document, sg_lead)


def test_the_follow_up_list_sorts_by_deadline_and_tells_where_each_stands(
    registered, sg_leader, sg_lead, sg_support, ward_leader
):
    today = today_in_city()
    late, soon, later, on_time, done_late = (registered(summary=f"Văn bản {n}") for n in range(5))
    for document in (late, soon, later, on_time, done_late):
        _direct(sg_leader, document, sg_lead, days=10)
    past = today - datetime.timedelta(days=3)
    Instruction.objects.filter(document=late).update(deadline=past)
    Instruction.objects.filter(document=soon).update(deadline=add_working_days(today, 1))
    services.document_complete(actor=sg_lead, document=on_time)
    services.document_complete(actor=sg_lead, document=done_late)
    Instruction.objects.filter(document=done_late).update(deadline=past)

    def listed(user=sg_leader, **filters):
        return list(selectors.follow_up(user, **filters))

    assert listed()[0] == late  # by deadline
    assert listed(standing="overdue") == [late]
    assert listed(standing="due_soon") == [soon]
    assert listed(standing="in_time") == [later]
    assert listed(standing="done_on_time") == [on_time]
    assert listed(standing="done_late") == [done_late]
    assert listed(sg_support, mine=True) == []
    assert len(listed(sg_lead, mine=True)) == 5
    assert listed(ward_leader) == []  # another unit sees none of them
    stand = {d: selectors.standing(d.instruction, today) for d in listed()}
    assert stand == {
        late: "overdue",
        soon: "due_soon",
        later: "in_time",
        on_time: "done_on_time",
        done_late: "done_late",
    }
    page = _as(sg_leader).get("/van-ban/theo-doi/?standing=overdue").content.decode()
    assert late.summary in page and soon.summary not in page
    api = _as(sg_leader).get("/api/v1/documents/follow-up?standing=due_soon").json()
    assert [d["id"] for d in api] == [soon.pk] and api[0]["instruction"]["standing"] == "due_soon"
    assert _as(ward_leader).get("/api/v1/documents/follow-up").json() == []


def test_pages_and_api_offer_direction_to_the_leader_and_handling_to_the_handlers(
    registered, sg_leader, sg_lead, sg_support, sg_other, ward_leader
):
    document = registered()
    page = _as(sg_leader).get(f"/van-ban/{document.pk}/").content.decode()
    assert f"/van-ban/{document.pk}/direct/" in page and sg_lead.full_name in page
    refused = _as(sg_leader).post(
        f"/api/v1/documents/documents/{document.pk}/direct",
        {"lead_id": sg_lead.pk, "working_days": 500, "instruction": "Xử lý"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "working_days" in refused.json()["errors"]
    other_unit = _as(ward_leader).post(
        f"/api/v1/documents/documents/{document.pk}/direct",
        {"lead_id": sg_lead.pk, "working_days": 3, "instruction": "Xử lý"},
        content_type="application/json",
    )
    assert other_unit.status_code == 404
    response = _as(sg_leader).post(
        f"/van-ban/{document.pk}/direct/",
        {"lead": sg_lead.pk, "co_handlers": [sg_support.pk], "working_days": 3, "instruction": "Xử lý gấp"},
    )
    assert response.status_code == 302
    body = _as(sg_support).get(f"/api/v1/documents/documents/{document.pk}").json()
    assert body["status"] == "handling" and body["allowed_actions"] == ["progress"]
    assert body["instruction"]["handlers"][0] == {"user_id": sg_lead.pk, "name": sg_lead.full_name, "lead": True}
    assert _as(sg_lead).get(f"/api/v1/documents/documents/{document.pk}").json()["allowed_actions"] == [
        "progress",
        "complete",
    ]
    assert _as(sg_other).get(f"/api/v1/documents/documents/{document.pk}").json()["allowed_actions"] == []
    assert (
        _as(sg_other)
        .post(f"/api/v1/documents/documents/{document.pk}/progress", {"note": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    page = _as(sg_support).get(f"/van-ban/{document.pk}/").content.decode()
    assert f"/van-ban/{document.pk}/progress/" in page and f"/van-ban/{document.pk}/complete/" not in page
    _as(sg_support).post(f"/van-ban/{document.pk}/progress/", {"note": "Đang tổng hợp"})
    done = _as(sg_lead).post(f"/api/v1/documents/documents/{document.pk}/complete", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert document.events.filter(action="progress", note="Đang tổng hợp").exists()
