"""Citizens' submissions accepted at once and registered by a worker (feedback.services.submissions)."""

import re
import threading
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thongsuot.core.calendar import add_working_days
from thongsuot.core.models import AuditEntry
from thongsuot.feedback import selectors, services
from thongsuot.feedback.models import Attachment, PendingSubmission, Report, SubmissionMark
from thongsuot.feedback.services import submissions
from thongsuot.feedback.services.intake import phone_normalise, throttle_keys
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import HANOI_POINT, JPEG, accept, photo_of, upload

REGISTER_JOB = "thongsuot.feedback.services.submissions.submissions_register_job"


@pytest.fixture
def queued_jobs(settings):
    """Jobs wait in the database for a worker, as in production (the tests' default runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _jobs(path=REGISTER_JOB):
    return DBTaskResult.objects.filter(task_path=path)


def _stored_files() -> list[str]:
    found = []

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.extend(f"{path}/{name}" for name in files)
        for directory in directories:
            walk(f"{path}/{directory}")

    if default_storage.exists("feedback"):
        walk("feedback")
    return found


def test_an_accepted_submission_waits_then_becomes_its_report(ben_thanh, queued_jobs):
    first = accept()
    second = accept(client_ip="203.0.113.8", contact_phone="0907654321")
    assert re.fullmatch(r"PA-\d{4}-\d{6}", first.code)
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1
    assert not Report.objects.exists()
    assert list(PendingSubmission.objects.values_list("code", flat=True).order_by("id")) == [first.code, second.code]
    assert _jobs().count() == 1  # the first into an empty queue wakes a worker; the second finds it awake

    assert services.submissions_register_pending() == 2
    assert not PendingSubmission.objects.exists()
    report = Report.objects.get(code=first.code)
    assert report.status == Status.RECEIVED
    assert report.received_at == first.received_at
    assert report.due_date == first.due_date
    assert report.citizen_key == first.citizen_key
    assert report.resolved_unit == ben_thanh
    assert report.contact_phone == "0901234567"
    assert report.events.get().action == "submit"
    entry = AuditEntry.objects.get(action="feedback.report.submit", object_id=str(report.pk))
    assert (entry.actor_label, entry.ip) == ("citizen", "203.0.113.7")  # the citizen's, not the worker's
    assert _jobs("thongsuot.core.notifications.tasks.notification_deliver").count() == 2
    assert services.submissions_register_pending() == 0


def test_the_code_and_due_date_follow_the_citys_calendar_whatever_time_zone_is_active(ben_thanh, queued_jobs):
    # 30 November, 17:30 UTC is already 1 December, 00:30 in Ho Chi Minh City
    instant = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    with timezone.override("UTC"), mock.patch("django.utils.timezone.now", return_value=instant):
        accepted = accept()
    assert accepted.code.startswith("PA-2612-")
    category = selectors.active_category("ha-tang-ky-thuat")
    assert accepted.due_date == add_working_days(date(2026, 12, 1), category.handling_days)
    services.submissions_register_pending()
    assert Report.objects.get(code=accepted.code).due_date == accepted.due_date


def test_with_jobs_run_in_process_the_report_exists_at_once(ben_thanh):
    accepted = accept()
    assert Report.objects.get(code=accepted.code).resolved_unit == ben_thanh
    assert not PendingSubmission.objects.exists()


def test_errors_name_the_fields_and_nothing_is_stored(db, queued_jobs):
    with pytest.raises(ValidationError) as exc:
        accept(
            description="",
            contact_phone="12",
            latitude=HANOI_POINT[0],
            longitude=HANOI_POINT[1],
            files=[upload("a.jpg", JPEG), upload("note.jpg", b"plain text")],
        )
    assert {"description", "contact_phone", "attachments"} <= set(exc.value.message_dict)
    assert not PendingSubmission.objects.exists() and not SubmissionMark.objects.exists()
    assert not _jobs().exists() and _stored_files() == []


def test_outside_the_city_is_refused_naming_the_position(db):
    with pytest.raises(ValidationError) as exc:
        accept(latitude=HANOI_POINT[0], longitude=HANOI_POINT[1])
    assert list(exc.value.message_dict) == ["latitude"]


def test_the_sixth_from_one_phone_in_an_hour_is_refused_and_its_photo_deleted(db, queued_jobs):
    for number in range(5):
        accept(client_ip=f"203.0.113.{number}")
    with pytest.raises(services.RateLimited) as exc:
        accept(client_ip="203.0.113.99", files=[upload("a.jpg", JPEG)])
    assert list(exc.value.message_dict) == ["contact_phone"]
    assert PendingSubmission.objects.count() == 5
    assert SubmissionMark.objects.count() == 10  # the refused one counted nothing
    assert _stored_files() == []


def test_photos_are_stored_at_once_and_attached_at_registration(ben_thanh, queued_jobs):
    accepted = accept(files=[upload("ổ gà.jpg", JPEG)])
    [name, thumbnail] = sorted(_stored_files(), key=lambda n: ".thumb." in n)
    services.submissions_register_pending()
    attachment = Attachment.objects.get(report__code=accepted.code)
    assert attachment.file.name == name and attachment.original_name == "ổ gà.jpg"
    assert attachment.thumbnail.name == thumbnail
    assert (attachment.stage, attachment.public, attachment.content_type) == ("citizen", False, "image/jpeg")
    assert photo_of(attachment.file.read()) == photo_of(JPEG)  # re-encoded, same photo


def test_a_signed_in_citizen_owns_the_report(citizen, queued_jobs):
    accepted = accept(actor=citizen)
    services.submissions_register_pending()
    report = Report.objects.get(code=accepted.code)
    assert report.citizen == citizen and report.created_by is None
    assert AuditEntry.objects.get(action="feedback.report.submit").actor == citizen


def test_a_submission_that_cannot_be_registered_keeps_its_error_and_the_others_go_on(ben_thanh, queued_jobs, caplog):
    broken = accept()
    fine = accept(client_ip="203.0.113.8", contact_phone="0907654321")
    PendingSubmission.objects.filter(code=broken.code).update(data={"category": 10**9})
    assert services.submissions_register_pending() == 1
    assert Report.objects.filter(code=fine.code).exists()
    row = PendingSubmission.objects.get(code=broken.code)
    assert row.attempts == 1 and row.last_error.startswith("DoesNotExist")
    assert "could not be registered" in caplog.text
    for _ in range(PendingSubmission.MAX_ATTEMPTS):
        services.submissions_register_pending()
    row.refresh_from_db()
    assert row.attempts == PendingSubmission.MAX_ATTEMPTS  # left for the platform team (Django admin)
    assert not selectors.pending_submissions_waiting()


def test_the_platform_team_queues_a_failed_submission_again_from_the_admin(
    ben_thanh, centre_admin, ward_admin, queued_jobs, login
):
    from django.core.exceptions import PermissionDenied

    accepted = accept()
    PendingSubmission.objects.update(attempts=PendingSubmission.MAX_ATTEMPTS, last_error="DoesNotExist: …")
    assert not selectors.pending_submissions_waiting()
    with pytest.raises(PermissionDenied):
        services.submissions_retry(actor=ward_admin, codes=[accepted.code])
    centre_admin.is_staff = centre_admin.is_superuser = True  # who may open the Django admin
    centre_admin.save()
    admin = login(centre_admin)
    listing = admin.get(reverse("admin:feedback_pendingsubmission_changelist")).content.decode()
    assert accepted.code in listing and "DoesNotExist" in listing and "0901234567" not in listing
    pk = PendingSubmission.objects.get().pk
    response = admin.post(
        reverse("admin:feedback_pendingsubmission_changelist"),
        {"action": "retry", "_selected_action": [pk]},
        follow=True,
    )
    assert "1 phản ánh đã được đưa lại vào hàng chờ." in response.content.decode()
    row = PendingSubmission.objects.get()
    assert (row.attempts, row.last_error) == (0, "")
    entry = AuditEntry.objects.get(action="feedback.submission.retry")
    assert entry.actor == centre_admin and entry.before["attempts"] == PendingSubmission.MAX_ATTEMPTS
    services.submissions_register_pending()
    assert Report.objects.filter(code=accepted.code).exists()


def test_a_long_queue_is_taken_in_turns(ben_thanh, queued_jobs, monkeypatch):
    from thongsuot.feedback.services import submissions

    for number in range(3):
        accept(client_ip=f"203.0.113.{number}", contact_phone=f"090765432{number}")
    monkeypatch.setattr(submissions, "SUBMISSIONS_PER_JOB", 2)
    assert submissions.submissions_register_job.call() == 2
    assert _jobs().count() == 2  # the wake-up job and the next turn
    assert submissions.submissions_register_job.call() == 1
    assert _jobs().count() == 2 and Report.objects.count() == 3


def test_the_scheduler_queues_a_job_while_submissions_wait(db, queued_jobs):
    from django_tasks.base import TaskResultStatus

    from thongsuot.core.management.commands.run_periodic import Command
    from thongsuot.feedback.services.submissions import submissions_register_job

    watched = [(selectors.pending_submissions_waiting, submissions_register_job)]
    running: dict = {}
    command = Command()
    command.watch(watched, running)
    assert not _jobs().exists()  # nothing waits
    PendingSubmission.objects.create(code="PA-0000-000001", received_at=timezone.now(), data={})
    command.watch(watched, running)
    command.watch(watched, running)
    assert _jobs().count() == 1  # not a second one while the first has not run
    _jobs().update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    command.watch(watched, running)
    assert _jobs().count() == 2


def test_the_follow_page_of_a_pending_submission_reloads_until_it_is_registered(client, ben_thanh, queued_jobs):
    response = client.post(
        reverse("feedback:new"),
        {
            "category": "ha-tang-ky-thuat",
            "description": "Cây xanh bị đổ chắn ngang đường.",
            "address": "12 Lê Lợi, Phường Bến Thành",
            "contact_name": "Nguyễn Văn Dân",
            "contact_phone": "0901234567",
        },
    )
    assert response.status_code == 302
    pending = client.get(response.url)
    body = pending.content.decode()
    code = PendingSubmission.objects.get().code
    assert pending.status_code == 200 and code in body
    assert '<meta http-equiv="refresh" content="2">' in body
    assert "đang được vào sổ" in body and "Nguyễn Văn Dân" not in body
    services.submissions_register_pending()
    registered = client.get(response.url).content.decode()
    assert "http-equiv" not in registered and "Cây xanh bị đổ" in registered  # the owner's link shows the text
    assert client.get(reverse("feedback:follow", args=["PA-0000-000009"])).status_code == 404


def test_open311_reads_a_pending_request_as_open(client, ben_thanh, queued_jobs):
    accepted = accept()
    data = client.get(f"/open311/v2/requests/{accepted.code}.json").json()
    assert data[0]["service_request_id"] == accepted.code
    assert data[0]["status"] == "open" and data[0]["service_code"] == "ha-tang-ky-thuat"
    assert "0901234567" not in str(data)
    token = client.get(f"/open311/v2/tokens/{accepted.code}.json").json()
    assert token == [{"service_request_id": accepted.code, "token": accepted.code}]


# PostgreSQL: the limits, the number and the row in one statement outside any transaction -------------


@pytest.fixture
def pg_only():
    """PostgreSQL, with the directory (a transactional test before this one may have emptied the tables:
    the rollback data serialised when the test database was made predates the directory's loading)."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement acceptance is PostgreSQL's")
    from thongsuot.directory.models import Organisation
    from thongsuot.directory.services import directory_load

    if not Organisation.objects.filter(kind="commune").exists():
        directory_load()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_submission_is_one_statement_and_a_refusal_writes_nothing(pg_only, queued_jobs, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 2
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    accept()  # warm: the month's sequence and the reference data are known to this process from here on
    with connection.execute_wrapper(count):
        second = accept(client_ip="203.0.113.8")
    assert statements == []  # no query through Django's cursor: its one statement goes to psycopg directly …
    assert PendingSubmission.objects.filter(code=second.code).exists()  # … and stored it
    with pytest.raises(services.RateLimited):
        accept(client_ip="203.0.113.9")  # the third from this phone
    assert PendingSubmission.objects.count() == 2 and SubmissionMark.objects.filter().count() == 4
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 100
    third = accept(client_ip="203.0.113.9")
    assert int(third.code[-6:]) == int(second.code[-6:]) + 1  # a refusal takes no number
    assert _jobs().count() == 1
    accept(client_ip=None, contact_phone="", contact_email="dan@example.test")  # nothing to count it by
    assert PendingSubmission.objects.count() == 4 and SubmissionMark.objects.count() == 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_acceptance_statement_is_prepared_once_per_connection(pg_only, queued_jobs):
    """Django turns psycopg's prepared statements off; the acceptance statement turns them on for itself,
    or PostgreSQL would plan it afresh for every citizen. Django's own queries stay unprepared."""
    for number in range(3):
        accept(client_ip=f"203.0.113.{number}", contact_phone=f"090765432{number}")
    assert PendingSubmission.objects.count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 1 and "feedback_submission_accept(" in prepared[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("in_transaction", [False, True], ids=["one-statement", "in-a-transaction"])
def test_on_postgresql_one_phone_submitting_at_once_from_many_threads_is_held_to_its_limit(
    pg_only, queued_jobs, settings, in_transaction
):
    """Ten submissions from one phone at the same moment, limit 3: exactly 3 accepted. Without the keys'
    lock each concurrent statement counted the marks as they were before the others and let them all pass
    (4-6 accepted). In a transaction the portable path (intake.throttle) takes the same lock."""
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 3
    accepted, refused, errors = [], [], []
    start = threading.Barrier(10)

    def run(number):
        try:
            start.wait(10)
            with transaction.atomic() if in_transaction else nullcontext():
                accepted.append(accept(client_ip=f"198.51.100.{number}", contact_phone="0901112223").code)
        except services.RateLimited:
            refused.append(number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(10)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert not errors, errors
    assert len(accepted) == 3 and len(refused) == 7
    assert PendingSubmission.objects.count() == 3
    phone_key = throttle_keys(None, phone_normalise("0901112223"))["contact_phone"]
    assert SubmissionMark.objects.filter(key=phone_key).count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_refusal_names_the_key_that_reached_the_limit(pg_only, queued_jobs, settings):
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 1
    accept(client_ip=None, contact_phone="0902223334")
    with pytest.raises(services.RateLimited) as refused:
        accept(client_ip=None, contact_phone="0902223334")
    assert list(refused.value.error_dict) == ["contact_phone"]
    with pytest.raises(services.RateLimited) as refused:
        accept(client_ip="203.0.113.50", contact_phone="0902223334")  # a new connection, the same phone
    assert list(refused.value.error_dict) == ["contact_phone"]
    accept(client_ip="203.0.113.51", contact_phone="0903334445")
    with pytest.raises(services.RateLimited) as refused:
        accept(client_ip="203.0.113.51", contact_phone="0904445556")  # the same connection, another phone
    assert list(refused.value.error_dict) == ["__all__"]
    with pytest.raises(services.RateLimited) as refused:
        accept(client_ip="203.0.113.51", contact_phone="", contact_email="dan@example.test")  # the connection alone
    assert list(refused.value.error_dict) == ["__all__"]
    assert PendingSubmission.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_a_dropped_sequence_is_made_again(pg_only, queued_jobs, caplog):
    from thongsuot.feedback.models import CodeSequence

    first = accept()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SEQUENCE "feedback_code_pa_{first.code[3:7]}"')
    CodeSequence.objects.create(prefix=first.code[:7], last=int(first.code[-6:]))  # where numbering stood
    second = accept(client_ip="203.0.113.8", contact_phone="0907654321")
    assert int(second.code[-6:]) == int(first.code[-6:]) + 1 and PendingSubmission.objects.count() == 2
    assert "numbering this submission the portable way" in caplog.text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_citizens_submitting_at_once_get_unique_codes_and_two_workers_share_the_queue(
    pg_only, queued_jobs
):
    errors, codes = [], []

    def run(work):
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def submit_ten(index):
        for number in range(10):
            codes.append(accept(client_ip=f"198.51.{index}.{number}", contact_phone=f"09{index}{number:07d}").code)

    threads = [threading.Thread(target=run, args=(lambda i=i: submit_ten(i),)) for i in range(4)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert not errors, errors
    assert len(set(codes)) == 40
    numbers = sorted(int(code[-6:]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + 40))

    registered = []
    workers = [
        threading.Thread(
            target=run, args=(lambda: registered.append(submissions.submissions_register_pending(batch=5)),)
        )
        for _ in range(2)
    ]
    [t.start() for t in workers]
    [t.join(60) for t in workers]
    assert not errors, errors
    assert sum(registered) == 40 and Report.objects.count() == 40 and not PendingSubmission.objects.exists()


def test_received_at_is_the_acceptance_time_not_the_registration_time(ben_thanh, queued_jobs):
    accepted = accept()
    PendingSubmission.objects.update(received_at=timezone.now() - timedelta(minutes=3))
    services.submissions_register_pending()
    report = Report.objects.get(code=accepted.code)
    assert timezone.now() - report.received_at >= timedelta(minutes=3)


def test_dispatchers_are_warned_when_submissions_wait_too_long(client, login, dispatcher, ben_thanh, queued_jobs):
    accept()
    login(dispatcher)
    assert "chờ vào sổ" not in client.get(reverse("feedback:queue")).content.decode()  # seconds old: normal
    PendingSubmission.objects.update(received_at=timezone.now() - timedelta(minutes=7))
    for page in ("feedback:queue", "feedback:escalations"):
        body = client.get(reverse(page)).content.decode()
        assert "1 phản ánh của người dân đã chờ vào sổ tới 7" in body, page
    from tests.conftest import make_staff

    login(make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"]))  # a ward: not its concern
    assert "chờ vào sổ" not in client.get(reverse("feedback:escalations")).content.decode()
    services.submissions_register_pending()
    login(dispatcher)
    assert "chờ vào sổ" not in client.get(reverse("feedback:queue")).content.decode()


def test_the_command_registers_what_waits_and_names_what_keeps_failing(ben_thanh, queued_jobs):
    from io import StringIO

    from django.core.management import call_command

    accept()
    broken = accept(client_ip="203.0.113.8", contact_phone="0907654321")
    PendingSubmission.objects.filter(code=broken.code).update(attempts=PendingSubmission.MAX_ATTEMPTS)
    out = StringIO()
    call_command("register_submissions", stdout=out)
    assert "1 submission(s) registered" in out.getvalue()
    assert "1 submission(s) failed too often" in out.getvalue()
    assert Report.objects.count() == 1
