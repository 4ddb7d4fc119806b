"""The 1022 system's notifications (feedback/notifications.py) through the core block: handlers told of new
reports in their e-mail and their list, citizens with an account in theirs, @mentions in internal notes
reaching only colleagues who may see the report."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_staff
from thongsuot.core.models import AuditEntry
from thongsuot.core.notifications.models import Notification
from thongsuot.feedback import services
from thongsuot.feedback.models import ReportEvent
from thongsuot.feedback.notifications import mentioned_in
from thongsuot.feedback.testing import submit


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"], full_name="Phan Xử Lý")


@pytest.fixture
def colleague(ben_thanh):
    return make_staff("dongnghiep@benthanh.test", ben_thanh, ["specialist"], full_name="Đồng Nghiệp")


@pytest.fixture
def other_handler(sai_gon):
    return make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"])


@pytest.fixture
def assigned(dispatcher, ben_thanh, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_assign(actor=dispatcher, report=submit(), organisation=ben_thanh)
    return report


def test_a_new_assignment_reaches_the_units_handlers_by_email_and_in_their_list(assigned, handler, other_handler):
    assert "xuly@benthanh.test" in [m.to[0] for m in mail.outbox]
    assert "xuly@saigon.test" not in [m.to[0] for m in mail.outbox]
    n = Notification.objects.get(recipient=handler)
    assert n.event == "feedback.report_assigned"
    assert n.title == f"Phản ánh mới cần xử lý: {assigned.code}"
    assert n.link == f"/xu-ly-phan-anh/{assigned.code}/"
    assert not Notification.objects.filter(recipient=other_handler).exists()


def test_a_handler_who_chose_english_is_written_to_in_english(
    dispatcher, ben_thanh, handler, django_capture_on_commit_callbacks
):
    handler.language = "en"
    handler.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_assign(actor=dispatcher, report=submit(), organisation=ben_thanh)
    subjects = [m.subject for m in mail.outbox if m.to == ["xuly@benthanh.test"]]
    assert subjects == [f"New report to handle: {report.code}"]


def test_a_citizen_with_an_account_finds_the_changes_in_their_list(
    citizen, dispatcher, ben_thanh, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(**_citizen_sample(), actor=citizen)
        services.report_assign(actor=dispatcher, report=report, organisation=ben_thanh)
    titles = list(Notification.objects.filter(recipient=citizen).values_list("title", "link"))
    assert len(titles) == 2  # received, then forwarded
    assert all(report.code in title and link.endswith(f"?k={report.citizen_key}") for title, link in titles)


def _citizen_sample():
    from thongsuot.feedback.testing import sample

    data = sample()
    data.pop("client_ip")
    return data


# Internal notes and @mentions ---------------------------------------------------------------------


def test_mentions_are_read_from_the_note():
    note = (
        "Nhờ @dongnghiep@benthanh.test và @XuLy@SaiGon.test. xem; thư a@b.c không phải nhắc; @dongnghiep@benthanh.test"
    )
    assert mentioned_in(note) == ["dongnghiep@benthanh.test", "xuly@saigon.test"]
    assert mentioned_in("") == []


def test_a_mention_tells_a_colleague_who_may_see_the_report(
    assigned, handler, colleague, other_handler, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    note = "Nhờ @dongnghiep@benthanh.test và @xuly@saigon.test kiểm tra giúp, cảm ơn @xuly@benthanh.test"
    with django_capture_on_commit_callbacks(execute=True):
        event = services.report_note_add(actor=handler, report=assigned, note=note)
    assert (event.action, event.public, event.note) == ("note", False, note)
    assert AuditEntry.objects.filter(action="feedback.report.note", object_id=str(assigned.pk)).exists()
    # the colleague of the same unit, not the other ward's handler (may not see it), not the author
    assert [m.to for m in mail.outbox] == [["dongnghiep@benthanh.test"]]
    assert mail.outbox[0].subject == f"Phan Xử Lý đã nhắc đến đồng chí trong phản ánh {assigned.code}"
    assert note in mail.outbox[0].body
    n = Notification.objects.get(event="feedback.note_mention")
    assert n.recipient == colleague and n.link == f"/xu-ly-phan-anh/{assigned.code}/"


def test_the_dispatcher_may_be_mentioned_and_write_notes(
    assigned, handler, dispatcher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_note_add(actor=handler, report=assigned, note="@dieuphoi@cds.test: địa chỉ chưa rõ")
        services.report_note_add(
            actor=dispatcher, report=assigned, note="Đã gọi lại cho người dân. @xuly@benthanh.test"
        )
    assert {n.recipient.email for n in Notification.objects.filter(event="feedback.note_mention")} == {
        "dieuphoi@cds.test",
        "xuly@benthanh.test",
    }


def test_only_those_who_handle_the_report_write_notes(assigned, other_ward_admin, city_leader, login):
    for outsider in (other_ward_admin, city_leader):
        with pytest.raises(PermissionDenied):
            services.report_note_add(actor=outsider, report=assigned, note="@xuly@benthanh.test")
    assert not ReportEvent.objects.filter(action="note").exists()
    page = login(city_leader).get(f"/xu-ly-phan-anh/{assigned.code}/")
    assert page.status_code == 200 and 'id="internal-note"' not in page.content.decode()  # sees it, no form
    assert login(city_leader).post(f"/xu-ly-phan-anh/{assigned.code}/note/", {"note": "x"}).status_code == 403


def test_an_empty_note_is_refused_naming_the_field(assigned, handler):
    with pytest.raises(ValidationError) as caught:
        services.report_note_add(actor=handler, report=assigned, note="   ")
    assert "note" in caught.value.message_dict


def test_the_note_is_written_on_the_staff_page_and_never_shown_to_the_citizen(
    assigned, handler, colleague, login, client, django_capture_on_commit_callbacks
):
    page = login(handler).get(f"/xu-ly-phan-anh/{assigned.code}/").content.decode()
    assert 'id="internal-note"' in page and "Ghi chú nội bộ" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/xu-ly-phan-anh/{assigned.code}/note/", {"note": "Bí mật nội bộ @dongnghiep@benthanh.test"}
        )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=colleague, event="feedback.note_mention").exists()
    client.logout()
    public = client.get(f"/phan-anh/{assigned.code}/?k={assigned.citizen_key}").content.decode()
    assert "Bí mật nội bộ" not in public
