"""The 1022 workflow through its services: states, deadlines, access, validation, uploads, notifications."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_staff
from thongsuot.core.calendar import add_working_days
from thongsuot.core.models import AuditEntry, CalendarDay
from thongsuot.core.notifications import sms
from thongsuot.feedback import selectors, services, states
from thongsuot.feedback.models import Category, Follower, Report
from thongsuot.feedback.states import RejectReason, Status, TransitionError
from thongsuot.feedback.tasks import reports_mark_overdue
from thongsuot.feedback.testing import HANOI_POINT, JPEG, MP4, PNG, SAI_GON_POINT, submit, upload


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"], full_name="Xử Lý Bến Thành")


@pytest.fixture
def unit_leader(ben_thanh):
    return make_staff("lanhdao@benthanh.test", ben_thanh, ["leader"], full_name="Lãnh Đạo Phường")


@pytest.fixture
def other_handler(sai_gon):
    return make_staff("xuly@saigon.test", sai_gon, ["feedback_handler"])


@pytest.fixture
def assigned(dispatcher, ben_thanh):
    report = submit()
    return services.report_assign(actor=dispatcher, report=report, organisation=ben_thanh)


def _resolved(report, handler):
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đã khảo sát hiện trường.")
    return services.report_resolve(actor=handler, report=report, resolution="Đã thay nắp cống mới.")


# Submission -------------------------------------------------------------------------------------


def test_categories_are_seeded(db):
    assert Category.objects.count() == 15
    assert Category.objects.get(code="ha-tang-ky-thuat").handling_days == 5
    assert Category.objects.get(code="kien-nghi-lanh-dao").responsible == Category.Responsible.DEPARTMENT


def test_submit_locates_numbers_and_schedules(ben_thanh, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
    assert re.fullmatch(r"PA-\d{4}-\d{6}", report.code)
    assert report.code.startswith(f"PA-{timezone.localtime(report.received_at):%y%m}-")
    assert report.status == Status.RECEIVED
    assert report.resolved_unit == ben_thanh and report.resolution_method == "nearest"
    assert report.organisation is None
    assert report.due_date == add_working_days(report.received_at, 5)
    assert report.events.get().to_status == Status.RECEIVED
    audit = AuditEntry.objects.get(object_type="feedback.report", object_id=str(report.pk))
    assert audit.action == "feedback.report.submit" and audit.after["status"] == "received"
    assert [m.to for m in mail.outbox] == [["dan@example.test"]]
    assert sms.outbox[0].phone == "0901234567" and report.code in sms.outbox[0].text
    second = submit(client_ip="203.0.113.8", contact_phone="0901234568")
    assert int(second.code[-6:]) == int(report.code[-6:]) + 1


def test_submit_by_address_only(sai_gon):
    report = submit(latitude=None, longitude=None, address="12 Nguyễn Huệ, Phường Sài Gòn, TP Hồ Chí Minh")
    assert report.resolved_unit == sai_gon and report.resolution_method == "new"


def test_unrecognised_address_is_accepted_for_manual_routing(db):
    report = submit(latitude=None, longitude=None, address="Hẻm nhỏ cạnh chợ")
    assert report.resolved_unit is None and report.status == Status.RECEIVED


def test_due_date_goes_through_the_working_day_calendar(db):
    baseline = submit()
    expected = add_working_days(baseline.received_at, 5)
    first_day = add_working_days(baseline.received_at, 1)
    CalendarDay.objects.create(date=first_day, kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
    report = submit(client_ip="198.51.100.1", contact_phone="0907654321")
    assert report.due_date == add_working_days(report.received_at, 5)
    assert report.due_date > expected


def test_submit_errors_name_every_field(db):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(category="", description="", contact_name="", address="")
    assert set(exc.value.message_dict) == {"category", "description", "address", "contact_name", "contact_phone"}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"description": "x" * 4001}, "description"),
        ({"latitude": "abc"}, "latitude"),
        ({"latitude": 10.77, "longitude": None, "address": ""}, "longitude"),
        ({"latitude": HANOI_POINT[0], "longitude": HANOI_POINT[1]}, "latitude"),
        ({"latitude": None, "longitude": None, "address": "Phường Ba Đình, Hà Nội"}, "address"),
        ({"category": "no-such-category"}, "category"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_submit_refuses_invalid_field(db, overrides, field):
    with pytest.raises(ValidationError) as exc:
        submit(**overrides)
    assert field in exc.value.message_dict
    assert Report.objects.count() == 0


def test_phone_is_normalised_and_email_alone_is_enough(db):
    assert submit(contact_phone="+84 90 123 4567").contact_phone == "0901234567"
    report = submit(contact_phone="", client_ip="198.51.100.2")
    assert report.contact_phone == "" and report.contact_email == "dan@example.test"


# Uploads ----------------------------------------------------------------------------------------


def test_photos_are_stored_with_the_type_read_from_content(db):
    report = submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    kinds = sorted(report.attachments.values_list("content_type", flat=True))
    assert kinds == ["image/jpeg", "image/png"]
    assert all(not a.public for a in report.attachments.all())
    assert report.attachments.first().file.read().startswith(b"\xff\xd8\xff")


def test_a_text_file_named_jpg_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        submit(files=[upload("photo.jpg", b"hello, I am text", "image/jpeg")])
    assert "attachments" in exc.value.message_dict
    assert Report.objects.count() == 0


def test_a_video_must_be_a_playable_mp4_no_longer_than_the_limit(db, settings):
    from thongsuot.feedback.testing import MP4_SIGNATURE_ONLY, mp4

    settings.FEEDBACK_VIDEO_MAX_SECONDS = 60
    assert submit(files=[upload("60s.mp4", mp4(60))]).attachments.get().content_type == "video/mp4"
    with pytest.raises(ValidationError) as exc:
        submit(files=[upload("dai.mp4", mp4(61))], client_ip="198.51.100.4")
    assert exc.value.message_dict["attachments"] == ["dai.mp4 kéo dài quá 60 giây; hãy gửi video ngắn hơn."]
    with pytest.raises(ValidationError) as exc:
        submit(files=[upload("hong.mp4", MP4_SIGNATURE_ONLY)], client_ip="198.51.100.5")
    assert exc.value.message_dict["attachments"] == ["hong.mp4 không phải là video MP4 xem được."]
    assert Report.objects.count() == 1


def test_one_video_alone_and_size_limits(db, settings):
    assert submit(files=[upload("v.mp4", MP4)]).attachments.get().content_type == "video/mp4"
    with pytest.raises(ValidationError):
        submit(files=[upload("v.mp4", MP4), upload("a.jpg", JPEG)], client_ip="198.51.100.3")
    with pytest.raises(ValidationError):
        submit(files=[upload(f"{i}.jpg", JPEG) for i in range(6)], client_ip="198.51.100.3")
    settings.FEEDBACK_PHOTO_MAX_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        submit(files=[upload("big.jpg", JPEG)], client_ip="198.51.100.3")
    assert "MB" in exc.value.message_dict["attachments"][0]


# Rate limit -------------------------------------------------------------------------------------


def test_anonymous_submissions_are_limited_per_ip(db):
    for i in range(5):
        submit(contact_phone=f"090000000{i}")
    with pytest.raises(services.RateLimited) as exc:
        submit(contact_phone="0900000009")
    assert "__all__" in exc.value.message_dict
    assert Report.objects.count() == 5
    submit(contact_phone="0900000009", client_ip="198.51.100.9")  # another connection is fine


def test_anonymous_submissions_are_limited_per_phone(db):
    for i in range(5):
        submit(client_ip=f"198.51.100.{i}")
    with pytest.raises(services.RateLimited) as exc:
        submit(client_ip="198.51.100.99")
    assert "contact_phone" in exc.value.message_dict


def test_old_submissions_no_longer_count_and_staff_are_not_limited(db, dispatcher):
    from thongsuot.feedback.models import SubmissionMark

    for _ in range(5):
        submit()
    SubmissionMark.objects.update(at=timezone.now() - timedelta(hours=2))
    submit()
    for _ in range(6):
        submit(actor=dispatcher, channel="hotline")


def test_the_limit_costs_two_statements(db, django_assert_num_queries):
    """PostgreSQL: lock the keys (so concurrent submissions count each other's marks), then count and mark
    in one statement. Elsewhere: count, then mark (SQLite runs one writing transaction at a time)."""

    from thongsuot.feedback.models import SubmissionMark
    from thongsuot.feedback.services import intake

    now = timezone.now()
    keys = intake.throttle_keys("198.51.100.50", "0907654321")
    with django_assert_num_queries(2):
        intake.throttle(keys, now)
    assert SubmissionMark.objects.filter(key__in=keys.values()).count() == 2
    SubmissionMark.objects.bulk_create([SubmissionMark(key=keys["contact_phone"], at=now) for _ in range(3)])
    intake.throttle(keys, now)  # the 5th of this phone: still allowed
    with pytest.raises(services.RateLimited) as exc:
        intake.throttle(keys, now)
    assert list(exc.value.message_dict) == ["contact_phone"]


def test_the_sweep_deletes_marks_older_than_a_day(db):
    from thongsuot.feedback.models import SubmissionMark

    submit()
    SubmissionMark.objects.create(key="old", at=timezone.now() - timedelta(days=1, minutes=1))
    assert services.submission_marks_purge() == 1
    assert not SubmissionMark.objects.filter(key="old").exists()
    assert SubmissionMark.objects.count() == 2  # the new submission's IP and phone
    assert services.submission_marks_purge() == 0


def test_codes_are_numbered_one_after_another_per_month(db):
    from thongsuot.feedback.models import CodeSequence
    from thongsuot.feedback.services.intake import next_code

    now = timezone.now()
    codes = [next_code(now) for _ in range(50)]
    assert len(set(codes)) == 50
    assert [int(code[-6:]) for code in codes] == list(range(int(codes[0][-6:]), int(codes[0][-6:]) + 50))
    next_month = now + timedelta(days=32)
    assert next_code(next_month).endswith("-000001")
    # A month whose first numbers came from its CodeSequence row (SQLite, or before PostgreSQL's sequence
    # of the month existed) goes on after them.
    later = now + timedelta(days=64)
    CodeSequence.objects.create(prefix=f"PA-{timezone.localtime(later):%y%m}", last=41)
    assert [next_code(later)[-6:] for _ in range(2)] == ["000042", "000043"]


def test_with_the_database_backend_the_notification_job_commits_with_the_report(db, django_capture_on_commit_callbacks):
    from django.db import transaction
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks() as callbacks:
            report = submit()
        assert callbacks == []  # the job row was written in the submission's transaction
        job = DBTaskResult.objects.get()
        assert job.task_path == "thongsuot.core.notifications.tasks.notification_deliver"
        assert job.args_kwargs["args"][0] == "feedback.report_status"
        assert job.args_kwargs["args"][3]["report_id"] == report.pk
        with pytest.raises(RuntimeError), transaction.atomic():
            submit(client_ip="198.51.100.77", contact_phone="0907777777")
            raise RuntimeError  # rolled back: neither the report nor its job remains
        assert DBTaskResult.objects.count() == 1 and Report.objects.count() == 1
    assert not mail.outbox


def test_a_submission_costs_six_statements_once_warm(db):
    """The limit (lock and count-and-mark on PostgreSQL, count and mark elsewhere), number, report, event,
    audit (the notification job is the backend's, after commit here; with the database backend one INSERT
    more in the transaction)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit()
    with CaptureQueriesContext(connection) as captured:
        submit(client_ip="198.51.100.60", contact_phone="0906060606")
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 6, statements


def test_a_category_switched_off_here_is_refused_at_once(db):
    submit()
    category = Category.objects.get(code="ha-tang-ky-thuat")
    category.is_active = False
    category.save()
    with pytest.raises(ValidationError) as exc:
        submit(client_ip="198.51.100.61", contact_phone="0906060607")
    assert "category" in exc.value.message_dict


def test_without_the_create_privilege_codes_come_from_the_counter_row(db, caplog):
    from django.db import connection

    from thongsuot.feedback.models import CodeSequence
    from thongsuot.feedback.services.intake import next_code

    if connection.vendor != "postgresql":
        pytest.skip("the monthly sequences are PostgreSQL's")
    later = timezone.now() + timedelta(days=3650)
    with connection.cursor() as cursor:  # all rolled back with the test's transaction
        cursor.execute("CREATE ROLE feedback_no_ddl")
        cursor.execute("GRANT USAGE ON SCHEMA public TO feedback_no_ddl")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO feedback_no_ddl")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO feedback_no_ddl")
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute("SET LOCAL ROLE feedback_no_ddl")
        try:
            codes = [next_code(later) for _ in range(2)]
        finally:
            cursor.execute("RESET ROLE")
    assert [code[-6:] for code in codes] == ["000001", "000002"]
    assert CodeSequence.objects.get(prefix=codes[0][:7]).last == 2
    assert "cannot create the sequence" in caplog.text


# The happy path ---------------------------------------------------------------------------------


def test_full_happy_path(dispatcher, handler, unit_leader, ben_thanh, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit()
        services.report_verify(actor=dispatcher, report=report, note="Hợp lệ")
        services.report_assign(actor=dispatcher, report=report, organisation=ben_thanh)
    report.refresh_from_db()
    assert report.status == Status.ASSIGNED and report.organisation == ben_thanh
    assert report.forwarded_at and report.routing_seconds >= 0
    assert "xuly@benthanh.test" in [m.to[0] for m in mail.outbox]  # the handler is told
    with django_capture_on_commit_callbacks(execute=True):
        services.report_accept(actor=handler, report=report)
        services.report_update_progress(
            actor=handler,
            report=report,
            note="Đang thay nắp cống",
            committed_date=timezone.localdate() + timedelta(days=2),
            files=[upload("p.jpg", JPEG)],
        )
        services.report_update_progress(actor=handler, report=report, note="Đã có vật tư")
        services.report_resolve(actor=handler, report=report, resolution="Đã thay nắp cống.")
        services.report_publish(actor=unit_leader, report=report, public_description="Nắp cống bị vỡ (đã ẩn tên).")
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED and report.published_at and report.resolved_at
    assert report.public_text.endswith("(đã ẩn tên).") and report.description.startswith("Nắp cống bị vỡ trước")
    services.report_rate(actor=None, report=report, rating=5, satisfied=True, key=report.citizen_key)
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.rating == 5 and report.closed_at
    steps = list(report.events.values_list("action", flat=True))
    assert steps == [
        "submit",
        "verify",
        "assign",
        "accept",
        "start",
        "progress",
        "resolve",
        "publish",
        "rate",
        "close",
    ]
    audits = AuditEntry.objects.filter(object_type="feedback.report", object_id=str(report.pk))
    assert audits.count() == len(steps)
    assert audits.get(action="feedback.report.accept").before["status"] == "assigned"
    citizen_mails = [m for m in mail.outbox if m.to == ["dan@example.test"]]
    assert len(citizen_mails) >= 7
    assert all("0901234567" not in m.body for m in citizen_mails)


def test_assign_from_received_verifies_on_the_way(assigned):
    assert list(assigned.events.values_list("to_status", flat=True)) == ["received", "verified", "assigned"]


@pytest.mark.parametrize("reason", RejectReason.values)
def test_every_rejection_reason(dispatcher, reason):
    report = services.report_reject(actor=dispatcher, report=submit(), reason=reason, note="")
    assert report.status == Status.REJECTED and report.reject_reason == reason and report.closed_at


def test_reject_after_verify_and_reason_required(dispatcher):
    report = services.report_verify(actor=dispatcher, report=submit())
    with pytest.raises(ValidationError) as exc:
        services.report_reject(actor=dispatcher, report=report, reason="because")
    assert "reason" in exc.value.message_dict
    services.report_reject(actor=dispatcher, report=report, reason=RejectReason.OUT_OF_SCOPE, note="Việc dân sự")
    with pytest.raises(TransitionError):
        services.report_verify(actor=dispatcher, report=report)


def test_return_goes_back_to_the_dispatcher(assigned, handler, dispatcher, sai_gon):
    with pytest.raises(ValidationError):
        services.report_return(actor=handler, report=assigned, reason="")
    report = services.report_return(actor=handler, report=assigned, reason="Địa chỉ thuộc phường Sài Gòn")
    assert report.status == Status.VERIFIED and report.organisation is None and report.return_count == 1
    assert not report.events.last().public
    assert report in selectors.dispatch_queue(user=dispatcher)
    assert not selectors.report_list(user=handler).filter(pk=report.pk).exists()
    report = services.report_assign(actor=dispatcher, report=report, organisation=sai_gon)
    assert report.organisation == sai_gon


def test_not_satisfied_reopens_with_a_new_deadline(assigned, handler, dispatcher):
    report = _resolved(assigned, handler)
    services.report_publish(actor=dispatcher, report=report)
    services.report_rate(actor=None, report=report, rating=2, satisfied=False, key=report.citizen_key)
    report.refresh_from_db()
    assert report.status == Status.RATED
    with pytest.raises(PermissionDenied):
        services.report_reopen(actor=None, report=report, reason="Vẫn còn vỡ", key="wrong")
    report = services.report_reopen(actor=None, report=report, reason="Vẫn còn vỡ", key=report.citizen_key)
    assert report.status == Status.REOPENED and report.reopen_count == 1
    assert report.due_date == add_working_days(timezone.now(), 5)
    report = services.report_update_progress(actor=handler, report=report, note="Làm lại")
    assert report.status == Status.IN_PROGRESS


def test_satisfied_rating_closes_and_cannot_reopen(assigned, handler, dispatcher):
    report = _resolved(assigned, handler)
    services.report_publish(actor=dispatcher, report=report)
    with pytest.raises(PermissionDenied):
        services.report_rate(actor=None, report=report, rating=5, satisfied=True, key="guess")
    with pytest.raises(ValidationError):
        services.report_rate(actor=None, report=report, rating=9, satisfied=True, key=report.citizen_key)
    services.report_rate(actor=None, report=report, rating=4, satisfied=True, key=report.citizen_key)
    with pytest.raises(TransitionError):
        services.report_reopen(actor=None, report=report, reason="x", key=report.citizen_key)


# Illegal transitions and access -----------------------------------------------------------------


def test_the_table_refuses_illegal_transitions():
    assert states.allowed(Status.RECEIVED, Status.VERIFIED)
    assert not states.allowed(Status.RECEIVED, Status.RESOLVED)
    from django.utils import translation

    with translation.override("vi"), pytest.raises(TransitionError, match="không thể chuyển sang"):
        states.action_for(Status.CLOSED, Status.REOPENED)
    for from_state, targets in states.TRANSITIONS.items():
        assert from_state not in states.FINAL
        assert set(targets) <= set(Status.values)


def test_services_refuse_illegal_transitions(dispatcher, handler, assigned):
    with pytest.raises(TransitionError):
        services.report_resolve(actor=handler, report=assigned, resolution="Xong")
    with pytest.raises(TransitionError):
        services.report_publish(actor=dispatcher, report=assigned)
    with pytest.raises(TransitionError):
        services.report_rate(actor=dispatcher, report=assigned, rating=5, satisfied=True)
    with pytest.raises(TransitionError):
        services.report_assign(actor=dispatcher, report=assigned, organisation=assigned.organisation)
    fresh = submit(client_ip="198.51.100.50", contact_phone="0911111111")
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=handler, report=fresh)  # not assigned to anyone: dispatcher's
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_only_the_units_handlers_may_act(assigned, other_handler, other_ward_admin, ward_clerk, handler, ward_admin):
    for outsider in (other_handler, other_ward_admin, ward_clerk):
        with pytest.raises(PermissionDenied):
            services.report_accept(actor=outsider, report=assigned)
    assert not selectors.report_list(user=other_handler).filter(pk=assigned.pk).exists()
    assert selectors.report_list(user=ward_admin).filter(pk=assigned.pk).exists()
    services.report_accept(actor=handler, report=assigned)


def test_only_dispatchers_route(handler, ward_admin, city_leader, ben_thanh):
    report = submit()
    for user in (handler, ward_admin, city_leader):
        with pytest.raises(PermissionDenied):
            services.report_assign(actor=user, report=report, organisation=ben_thanh)
        with pytest.raises(PermissionDenied):
            services.report_reject(actor=user, report=report, reason=RejectReason.SPAM)
    assert selectors.report_list(user=city_leader).filter(pk=report.pk).exists()
    assert not selectors.report_list(user=handler).filter(pk=report.pk).exists()


def test_publish_needs_a_leader_or_dispatcher(assigned, handler, unit_leader):
    report = _resolved(assigned, handler)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=handler, report=report)
    services.report_publish(actor=unit_leader, report=report)


# Deadlines --------------------------------------------------------------------------------------


def test_extension_needs_reason_date_and_a_leader(assigned, handler, unit_leader, other_ward_admin, dispatcher):
    new_date = assigned.due_date + timedelta(days=7)
    with pytest.raises(ValidationError) as exc:
        services.report_extend(actor=handler, report=assigned, reason="", new_date=new_date)
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_extend(actor=handler, report=assigned, reason="Chờ vật tư", new_date=assigned.due_date)
    assert "new_date" in exc.value.message_dict
    extension = services.report_extend(actor=handler, report=assigned, reason="Chờ vật tư", new_date=new_date)
    with pytest.raises(ValidationError):
        services.report_extend(actor=handler, report=assigned, reason="again", new_date=new_date)
    for refused in (handler, other_ward_admin):
        with pytest.raises(PermissionDenied):
            services.extension_decide(actor=refused, extension=extension, approve=True)
    services.extension_decide(actor=unit_leader, extension=extension, approve=True)
    assigned.refresh_from_db()
    extension.refresh_from_db()
    assert assigned.due_date == new_date and extension.approved_by == unit_leader
    with pytest.raises(ValidationError):
        services.extension_decide(actor=dispatcher, extension=extension, approve=False)
    later = services.report_extend(actor=handler, report=assigned, reason="Mưa", new_date=new_date + timedelta(1))
    services.extension_decide(actor=dispatcher, extension=later, approve=False, note="Không")
    assigned.refresh_from_db()
    assert assigned.due_date == new_date


def test_overdue_task_is_idempotent(assigned, handler, django_capture_on_commit_callbacks):
    Report.objects.filter(pk=assigned.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    fresh = submit(client_ip="198.51.100.60", contact_phone="0912222222")
    Report.objects.filter(pk=fresh.pk).update(due_date=timezone.localdate() - timedelta(days=3))  # dispatcher's
    mail.outbox.clear()
    assert reports_mark_overdue.call() == 1
    assigned.refresh_from_db()
    assert assigned.overdue and assigned.overdue_notified_at
    assert [m.to for m in mail.outbox] == [["xuly@benthanh.test"]]
    assert reports_mark_overdue.call() == 0
    assert len(mail.outbox) == 1
    assert assigned.events.filter(action="overdue").count() == 1


def test_overdue_command(assigned, capsys):
    from django.core.management import call_command

    Report.objects.filter(pk=assigned.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    call_command("feedback_overdue")
    call_command("feedback_overdue")
    assert "1 report(s)" in capsys.readouterr().out


# Duplicates and merging -------------------------------------------------------------------------


def test_duplicate_suggestions(dispatcher):
    first = submit()
    near_same = submit(
        description="Nắp cống vỡ trước nhà số 12 Lê Lợi nguy hiểm",
        client_ip="198.51.100.70",
        contact_phone="0913333333",
    )
    far = submit(
        latitude=SAI_GON_POINT[0],
        longitude=SAI_GON_POINT[1],
        client_ip="198.51.100.71",
        contact_phone="0914444444",
    )
    other_category = submit(category="cay-xanh", client_ip="198.51.100.72", contact_phone="0915555555")
    unrelated = submit(description="Karaoke ồn ào suốt đêm", client_ip="198.51.100.73", contact_phone="0916666666")
    found = [d.report for d in selectors.report_duplicates(user=dispatcher, report=near_same)]
    assert first in found
    assert far not in found and other_category not in found and unrelated not in found
    assert selectors.similarity("Ngập nước đường Lê Lợi", "ngap nuoc duong le loi") == 1.0


def test_a_page_of_reports_gets_the_same_duplicates_from_one_query(dispatcher, django_assert_num_queries):
    reports = [
        submit(),
        submit(
            description="Nắp cống vỡ trước nhà số 12 Lê Lợi nguy hiểm",
            client_ip="198.51.100.70",
            contact_phone="0913333333",
        ),
        submit(category="cay-xanh", client_ip="198.51.100.72", contact_phone="0915555555"),
        submit(latitude=None, longitude=None, client_ip="198.51.100.74", contact_phone="0917777777"),
        submit(
            latitude=SAI_GON_POINT[0], longitude=SAI_GON_POINT[1], client_ip="198.51.100.71", contact_phone="0914444444"
        ),
    ]
    reports = list(Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk"))
    singles = {r.pk: selectors.report_duplicates(user=dispatcher, report=r, limit=3) for r in reports}  # 1 each
    with django_assert_num_queries(1):
        batch = selectors.reports_duplicates(user=dispatcher, reports=reports, limit=3)
    for report in reports:
        assert [(d.report.pk, d.score) for d in batch[report.pk]] == [
            (d.report.pk, d.score) for d in singles[report.pk]
        ]
    assert reports[0] in [d.report for d in batch[reports[1].pk]]


def test_merge_moves_followers_and_notifies_them(dispatcher, handler, ben_thanh, django_capture_on_commit_callbacks):
    original = submit()
    duplicate = submit(contact_email="ba@example.test", contact_phone="0987654321", client_ip="198.51.100.80")
    Follower.objects.create(report=duplicate, name="Hàng xóm", email="hangxom@example.test")
    mail.outbox.clear()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        merged = services.report_merge(actor=dispatcher, report=duplicate, into=original)
    assert merged.status == Status.REJECTED and merged.reject_reason == RejectReason.DUPLICATE
    assert merged.merged_into == original
    assert set(original.followers.values_list("email", flat=True)) == {"ba@example.test", "hangxom@example.test"}
    assert {m.to[0] for m in mail.outbox} == {"ba@example.test", "hangxom@example.test"}
    assert all(original.code in m.body for m in mail.outbox)
    assert [s.phone for s in sms.outbox] == ["0987654321"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_assign(actor=dispatcher, report=original, organisation=ben_thanh)
    assert {"dan@example.test", "ba@example.test", "hangxom@example.test"} <= {m.to[0] for m in mail.outbox}
    with pytest.raises(ValidationError):
        services.report_merge(actor=dispatcher, report=original, into=original)
    with pytest.raises(PermissionDenied):
        services.report_merge(actor=handler, report=submit(client_ip="198.51.100.81"), into=original)


def test_hide_keeps_the_original(assigned, handler, dispatcher):
    report = _resolved(assigned, handler)
    services.report_publish(actor=dispatcher, report=report)
    assert selectors.public_reports().filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        services.report_hide(actor=handler, report=report, reason="x")
    services.report_hide(actor=dispatcher, report=report, reason="Nội dung xúc phạm")
    report.refresh_from_db()
    assert report.hidden and report.description
    assert not selectors.public_reports().filter(pk=report.pk).exists()
