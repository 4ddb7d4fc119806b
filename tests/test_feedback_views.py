"""The 1022 pages: the public form, follow page and list; the staff queue, report page and hotline entry."""

import pytest
from django.urls import reverse

from tests.conftest import make_staff
from thongsuot.feedback import selectors, services
from thongsuot.feedback.models import Report
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import BEN_THANH_POINT, JPEG, submit, upload


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


@pytest.fixture
def other_handler(sai_gon):
    return make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"])


@pytest.fixture
def assigned(centre_admin, ben_thanh):
    return services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)


def _published(report, handler, dispatcher, **kwargs):
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý")
    services.report_resolve(actor=handler, report=report, resolution="Đã khơi thông cống.", **kwargs)
    return services.report_publish(actor=dispatcher, report=report)


FORM = {
    "category": "",
    "description": "Đường Lê Lợi ngập nước sau mỗi cơn mưa.",
    "address": "12 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh",
    "latitude": str(BEN_THANH_POINT[0]),
    "longitude": str(BEN_THANH_POINT[1]),
    "contact_name": "Trần Thị Bí Mật",
    "contact_phone": "0909888777",
    "contact_email": "bimat@example.test",
}


def _form(**overrides):
    from thongsuot.feedback.models import Category

    data = {**FORM, "category": str(Category.objects.get(code="cap-nuoc-ngap-nuoc").pk)}
    data.update(overrides)
    return data


# Public -----------------------------------------------------------------------------------------


def test_public_submit_and_follow_never_show_contact_data(client, db):
    page = client.get(reverse("feedback:new"))
    assert page.status_code == 200 and b'name="attachments"' in page.content
    response = client.post(reverse("feedback:new"), _form(attachments=[upload("a.jpg", JPEG)]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert response.url.startswith(reverse("feedback:follow", args=[report.code]))
    assert report.attachments.count() == 1 and report.channel == "web"
    follow = client.get(response.url)
    body = follow.content.decode()
    assert report.code in body and "ngập nước" in body
    for secret in ("Trần Thị Bí Mật", "0909888777", "bimat@example.test"):
        assert secret not in body
    assert reverse("feedback:attachment", args=[report.attachments.get().pk]) not in body


def test_public_form_errors_name_the_fields(client, db):
    response = client.post(reverse("feedback:new"), {"description": "", "contact_phone": "123"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"category", "description", "address", "contact_name", "contact_phone"} <= set(errors)
    assert Report.objects.count() == 0


def test_a_text_file_named_jpg_is_refused_by_the_form(client, db):
    fake = upload("anh.jpg", b"this is plain text, not a photo", "image/jpeg")
    response = client.post(reverse("feedback:new"), _form(attachments=[fake]))
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Report.objects.count() == 0


def test_public_submissions_are_rate_limited(client, db):
    for i in range(5):
        assert client.post(reverse("feedback:new"), _form(contact_phone=f"090000000{i}")).status_code == 302
    response = client.post(reverse("feedback:new"), _form(contact_phone="0900000009"))
    assert response.status_code == 429
    assert Report.objects.count() == 5


def test_public_list_search_ignores_diacritics(client, centre_admin, handler, ben_thanh):
    flooded = services.report_assign(
        actor=centre_admin,
        report=submit(category="cap-nuoc-ngap-nuoc", description="Đường Lê Lợi ngập nước sau mưa"),
        organisation=ben_thanh,
    )
    _published(flooded, handler, centre_admin)
    trees = services.report_assign(
        actor=centre_admin,
        report=submit(category="cay-xanh", description="Cây đổ chắn lối đi", client_ip="198.51.100.5"),
        organisation=ben_thanh,
    )
    _published(trees, handler, centre_admin)
    unpublished = submit(description="Ngập nước hẻm 5", client_ip="198.51.100.6", contact_phone="0911000000")
    response = client.get(reverse("feedback:public_list"), {"q": "ngap nuoc"})
    body = response.content.decode()
    assert flooded.code in body and trees.code not in body and unpublished.code not in body
    assert "Nguyễn Văn Dân" not in body and "0901234567" not in body
    assert trees.code in client.get(reverse("feedback:public_list"), {"q": "CAY DO"}).content.decode()
    services.report_hide(actor=centre_admin, report=flooded, reason="Trùng lặp nội dung")
    assert flooded.code not in client.get(reverse("feedback:public_list"), {"q": "ngap"}).content.decode()


def test_follow_shows_public_events_only_and_lets_the_citizen_rate(client, centre_admin, handler, ben_thanh):
    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    report = services.report_return(actor=handler, report=report, reason="Ghi chú nội bộ bí mật")
    report = services.report_assign(actor=centre_admin, report=report, organisation=ben_thanh)
    _published(report, handler, centre_admin, files=[upload("kq.jpg", JPEG)])
    anonymous = client.get(reverse("feedback:follow", args=[report.code])).content.decode()
    assert "Ghi chú nội bộ bí mật" not in anonymous and "Đã khơi thông cống." in anonymous
    assert 'name="rating"' not in anonymous
    result_photo = report.attachments.get(stage="result")
    assert client.get(reverse("feedback:attachment", args=[result_photo.pk])).status_code == 200
    owner = client.get(reverse("feedback:follow", args=[report.code]), {"k": report.citizen_key})
    assert 'name="rating"' in owner.content.decode()
    response = client.post(
        reverse("feedback:rate", args=[report.code]), {"k": report.citizen_key, "rating": "2", "satisfied": "0"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.RATED
    client.post(reverse("feedback:reopen", args=[report.code]), {"k": report.citizen_key, "reason": "Vẫn ngập"})
    report.refresh_from_db()
    assert report.status == Status.REOPENED
    forged = client.post(reverse("feedback:rate", args=[report.code]), {"k": "x", "rating": "5", "satisfied": "1"})
    assert forged.status_code == 403


def test_citizen_photos_are_not_public(client, login, handler, other_handler, centre_admin, ben_thanh):
    report = services.report_assign(
        actor=centre_admin, report=submit(files=[upload("a.jpg", JPEG)]), organisation=ben_thanh
    )
    url = reverse("feedback:attachment", args=[report.attachments.get().pk])
    assert client.get(url).status_code == 404
    login(other_handler)
    assert client.get(url).status_code == 404
    login(handler)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_unknown_report_is_404(client, db):
    assert client.get(reverse("feedback:follow", args=["PA-0000-000000"])).status_code == 404


# Staff ------------------------------------------------------------------------------------------


def test_staff_pages_need_login(client, db):
    response = client.get(reverse("feedback:staff_home"))
    assert response.status_code == 302 and "login" in response.url


def test_a_ward_cannot_see_or_change_another_wards_report(client, login, assigned, other_handler, handler):
    login(other_handler)
    assert client.get(reverse("feedback:staff_report", args=[assigned.code])).status_code == 404
    assert client.post(reverse("feedback:act", args=[assigned.code, "accept"])).status_code == 404
    assert assigned.code not in client.get(reverse("feedback:staff_home")).content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED
    login(handler)
    page = client.get(reverse("feedback:staff_report", args=[assigned.code]))
    assert page.status_code == 200 and "0901234567" in page.content.decode()  # staff see the contact
    assert assigned.code in client.get(reverse("feedback:staff_home")).content.decode()


def test_the_units_list_puts_the_overdue_first_then_the_soonest_due(client, login, handler, centre_admin, ben_thanh):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    codes = {}
    for number, (due, overdue) in enumerate([(10, False), (-2, True), (3, False), (None, False)]):
        report = services.report_assign(
            actor=centre_admin,
            report=submit(client_ip=f"203.0.113.{number}", contact_phone=f"090123450{number}"),
            organisation=ben_thanh,
        )
        Report.objects.filter(pk=report.pk).update(
            due_date=today + timedelta(days=due) if due is not None else None, overdue=overdue
        )
        codes[due] = report.code
    login(handler)
    body = client.get(reverse("feedback:staff_home")).content.decode()
    positions = [body.index(codes[due]) for due in (-2, 3, 10, None)]
    assert positions == sorted(positions)


def test_clerk_sees_but_cannot_act(client, login, assigned, ward_clerk):
    login(ward_clerk)
    page = client.get(reverse("feedback:staff_report", args=[assigned.code]))
    assert page.status_code == 200
    assert reverse("feedback:act", args=[assigned.code, "accept"]) not in page.content.decode()
    assert client.post(reverse("feedback:act", args=[assigned.code, "accept"])).status_code == 403


def test_handler_works_the_report_through_the_pages(client, login, assigned, handler):
    login(handler)
    page = client.get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    assert reverse("feedback:act", args=[assigned.code, "accept"]) in page
    assert reverse("feedback:act", args=[assigned.code, "resolve"]) not in page
    client.post(reverse("feedback:act", args=[assigned.code, "accept"]), {"note": ""})
    client.post(
        reverse("feedback:act", args=[assigned.code, "progress"]),
        {"note": "Đang xử lý", "attachments": [upload("p.jpg", JPEG)]},
    )
    response = client.post(reverse("feedback:act", args=[assigned.code, "resolve"]), {"resolution": "Xong"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == Status.RESOLVED and assigned.attachments.filter(stage="progress").count() == 1
    # an illegal step through the page is refused with a message, nothing changes
    response = client.post(reverse("feedback:act", args=[assigned.code, "accept"]), follow=True)
    assert "không thể chuyển sang" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.RESOLVED


def test_the_queue_costs_the_same_queries_for_two_reports_or_twelve(client, login, dispatcher, ben_thanh):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(dispatcher)

    def queries_with(more):
        for i in range(more):  # half of them for a department: its suggestion reads the category's department
            category = "kien-nghi-lanh-dao" if i % 2 else "ha-tang-ky-thuat"
            submit(category=category, client_ip=f"198.51.{more}.{i}", contact_phone=f"09{more:02d}{i:06d}")
        client.get(reverse("feedback:queue"))  # warm: the reference data and the department's lookup
        with CaptureQueriesContext(connection) as captured:
            body = client.get(reverse("feedback:queue")).content.decode()
        assert body.count('name="') > more  # the rows are there, each with its form
        return len(captured.captured_queries)

    assert queries_with(2) == queries_with(10)


def test_dispatcher_queue_preselects_the_suggested_unit(client, login, centre_admin, ben_thanh, handler):
    report = submit()
    submit(description="Nắp cống vỡ trước số 12 Lê Lợi", client_ip="198.51.100.20", contact_phone="0912121212")
    login(handler)
    assert client.get(reverse("feedback:queue")).status_code == 403
    login(centre_admin)
    body = client.get(reverse("feedback:queue")).content.decode()
    assert report.code in body
    assert f'<option value="{ben_thanh.pk}" selected>' in body
    assert "Phản ánh có thể trùng:" in body
    response = client.post(
        reverse("feedback:act", args=[report.code, "assign"]),
        {f"{report.code}-organisation": ben_thanh.pk, f"{report.code}-note": "", "next": "queue"},
    )
    assert response.status_code == 302 and response.url == reverse("feedback:queue")
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED and report.organisation == ben_thanh
    other = Report.objects.exclude(pk=report.pk).get()
    client.post(
        reverse("feedback:act", args=[other.code, "reject"]), {"reason": "duplicate", "confirm": "on", "next": "queue"}
    )
    other.refresh_from_db()
    assert other.status == Status.REJECTED


def test_hotline_entry_is_keyboard_ready(client, login, centre_admin, handler):
    login(handler)
    assert client.get(reverse("feedback:hotline")).status_code == 403
    login(centre_admin)
    page = client.get(reverse("feedback:hotline")).content.decode()
    assert "autofocus" in page and 'type="submit"' in page
    assert page.index('name="contact_phone"') < page.index('name="description"')
    for _ in range(6):  # operators are never rate-limited
        response = client.post(reverse("feedback:hotline"), {**_form(), "channel": "hotline"})
        assert response.status_code == 302
    report = Report.objects.first()
    assert report.channel == "hotline" and report.created_by == centre_admin
    assert f"last={report.code}" in response.url
    bad = client.post(reverse("feedback:hotline"), {"channel": "hotline"})
    assert bad.status_code == 400 and "description" in bad.context["form"].errors


def test_navigation_points_to_the_staff_page(client, login, ward_admin):
    login(ward_admin)
    assert reverse("feedback:staff_home") in client.get(reverse("feedback:staff_home")).content.decode()


def test_unpublished_text_is_not_public_to_code_guessers(client, db):
    report = submit(description="Nhà tôi ở số 5, con tôi tên Bé Na bị ngã ở cống.")
    assert "Bé Na" not in client.get(reverse("feedback:follow", args=[report.code])).content.decode()
    owner = client.get(reverse("feedback:follow", args=[report.code]), {"k": report.citizen_key})
    assert "Bé Na" in owner.content.decode()


def test_lookup_by_tracking_code(client, db):
    report = submit()
    response = client.get("/phan-anh/tra-cuu/", {"code": f"  {report.code.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/phan-anh/{report.code}/"
    missing = client.get("/phan-anh/tra-cuu/", {"code": "PA-0000-000000"}, follow=True)
    assert "Không có phản ánh nào mang mã theo dõi “PA-0000-000000”" in missing.content.decode()
    assert "0901234567" not in client.get(f"/phan-anh/{report.code}/").content.decode()


def test_staff_timeline_reads_in_vietnamese(client, login, assigned, handler):
    services.report_accept(actor=handler, report=assigned)
    page = login(handler).get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    timeline = page.split('class="timeline"', 1)[1]
    assert "Công dân — Đã tiếp nhận" in timeline and "Đơn vị nhận xử lý" in timeline
    assert "— accept" not in timeline and "— submit" not in timeline


def test_the_1022_pages_in_english(client, login, assigned, handler):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url, text in [
        ("/phan-anh/", "Published results of 1022 reports"),
        ("/phan-anh/gui/", "Send a report"),
        ("/phan-anh/xep-hang/", "Ranking"),
        (f"/phan-anh/{assigned.code}/", assigned.code),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode(), url
    login(handler)
    page = client.get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    assert "Received" in page and "Forwarded" in page


def test_the_committed_date_comes_back_in_the_date_picker_as_iso(client, login, assigned, handler):
    """<input type="date"> reads only yyyy-mm-dd: 08/12/2026 would show empty and a second save lose it."""
    from datetime import timedelta

    from django.utils import timezone

    committed = timezone.localdate() + timedelta(days=10)
    login(handler)
    client.post(reverse("feedback:act", args=[assigned.code, "accept"]), {"note": ""})
    client.post(
        reverse("feedback:act", args=[assigned.code, "progress"]),
        {"note": "Đang xử lý", "committed_date": committed.isoformat()},
    )
    assigned.refresh_from_db()
    assert assigned.committed_date == committed
    page = client.get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    assert f'type="date" name="committed_date" value="{committed.isoformat()}"' in page
    assert f'value="{committed:%d/%m/%Y}"' not in page


def test_the_units_list_puts_open_reports_before_finished_ones(client, login, handler, centre_admin, ben_thanh):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    codes = {}
    for number, (due, status) in enumerate([(-30, Status.CLOSED), (5, Status.IN_PROGRESS), (-20, Status.REJECTED)]):
        report = services.report_assign(
            actor=centre_admin,
            report=submit(client_ip=f"203.0.113.{number}", contact_phone=f"090123450{number}"),
            organisation=ben_thanh,
        )
        Report.objects.filter(pk=report.pk).update(due_date=today + timedelta(days=due), status=status)
        codes[status] = report.code
    body = login(handler).get(reverse("feedback:staff_home")).content.decode()
    assert body.index(codes[Status.IN_PROGRESS]) < body.index(codes[Status.CLOSED])
    assert body.index(codes[Status.IN_PROGRESS]) < body.index(codes[Status.REJECTED])


def test_the_handler_records_the_result_without_a_progress_update_first(client, login, assigned, handler):
    login(handler)
    client.post(reverse("feedback:act", args=[assigned.code, "accept"]), {"note": ""})
    page = client.get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    assert reverse("feedback:act", args=[assigned.code, "resolve"]) in page
    response = client.post(reverse("feedback:act", args=[assigned.code, "resolve"]), {"resolution": "Đã sửa xong"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == Status.RESOLVED and assigned.resolution == "Đã sửa xong"
    event = assigned.events.order_by("-at", "-pk").first()
    assert (event.action, event.from_status, event.to_status) == ("resolve", Status.ACCEPTED, Status.RESOLVED)


def test_the_forward_drop_down_lists_units_in_vietnamese_order(client, login, dispatcher, ben_thanh):
    import re

    report = submit()
    page = login(dispatcher).get(reverse("feedback:staff_report", args=[report.code])).content.decode()
    select = page.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    names = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)
    assert len(names) > 150
    wards = [n for n in names if n.startswith("Phường ")]
    assert wards.index("Phường Dĩ An") < wards.index("Phường Đông Hòa") < wards.index("Phường Gò Vấp")
    assert wards.index("Phường Đông Hòa") < wards.index("Phường Xóm Chiếu")


def test_refusing_needs_a_chosen_reason_and_a_confirmation(client, login, dispatcher):
    import re

    report = submit()
    login(dispatcher)
    page = client.get(reverse("feedback:staff_report", args=[report.code])).content.decode()
    form = page.split(reverse("feedback:act", args=[report.code, "reject"]), 1)[1].split("</form>", 1)[0]
    select = form.split('name="reason"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]*)"\s*selected', select) == [""]  # no reason chosen in advance
    assert 'name="confirm"' in form and "required" in form.split('name="confirm"', 1)[1].split(">", 1)[0]
    url = reverse("feedback:act", args=[report.code, "reject"])
    for data in ({"reason": "", "confirm": "on"}, {"reason": "spam"}):
        response = client.post(url, data, follow=True)
        assert "Trường này là bắt buộc" in response.content.decode()
        report.refresh_from_db()
        assert report.status == Status.RECEIVED
    client.post(url, {"reason": "spam", "confirm": "on"})
    report.refresh_from_db()
    assert report.status == Status.REJECTED


def test_the_staff_timeline_names_people_not_addresses(client, login, assigned, ben_thanh):
    handler = make_staff("nva@benthanh.test", ben_thanh, ["feedback_handler"], full_name="Nguyễn Văn An")
    services.report_accept(actor=handler, report=assigned)
    page = login(handler).get(reverse("feedback:staff_report", args=[assigned.code])).content.decode()
    timeline = page.split('class="timeline"', 1)[1]
    assert "Nguyễn Văn An, Chuyên viên — Đơn vị nhận xử lý" in timeline
    assert "nva@benthanh.test" not in timeline


def test_the_rating_scale_says_what_each_number_means(client, centre_admin, handler, ben_thanh):
    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    _published(report, handler, centre_admin)
    page = client.get(reverse("feedback:follow", args=[report.code]), {"k": report.citizen_key}).content.decode()
    form = page.split('name="rating"', 1)[1]
    labels = ["5 – Rất hài lòng", "4 – Hài lòng", "3 – Bình thường", "2 – Không hài lòng", "1 – Rất không hài lòng"]
    for label in labels:
        assert label in form, label


def test_the_duplicate_hint_says_how_far_and_how_alike(client, login, dispatcher):
    first = submit()
    second = submit(
        description="Nắp cống vỡ trước số 12 Lê Lợi, xe máy dễ sụp",
        client_ip="198.51.100.20",
        contact_phone="0912121212",
    )
    login(dispatcher)
    body = client.get(reverse("feedback:queue")).content.decode()
    hint = body.split(f">{first.code}</a> (", 1)[1].split(")", 1)[0]
    duplicate = selectors.report_duplicates(user=dispatcher, report=second)[0]
    assert hint == f"cách 0 m, nội dung giống {round(duplicate.score * 100)}%"
    page = client.get(reverse("feedback:staff_report", args=[second.code])).content.decode()
    assert f"cách 0 m, nội dung giống {round(duplicate.score * 100)}%" in page


def test_the_hotline_form_speaks_of_the_caller_not_to_them(client, login, centre_admin):
    page = login(centre_admin).get(reverse("feedback:hotline")).content.decode()
    form = page.split("data-submit-shortcut", 1)[1].split("</form>", 1)[0]
    assert "bạn" not in form.lower()
    assert "Họ tên người gọi" in form and "Nội dung phản ánh" in form
