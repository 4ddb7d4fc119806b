"""The notifications building block (thongsuot.core.notifications): notify() to users and bare contacts by
e-mail, SMS and the list inside the platform, in the recipient's language, on commit; the bell, the list,
marking read (each user only their own); the SMS file backend and the developers' outbox."""

import copy
import json

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from tests.conftest import make_staff
from thongsuot.core.models import AuditEntry
from thongsuot.core.notifications import IN_APP, SMS, Contact, Event, notify, register, sms
from thongsuot.core.notifications.models import Notification

TEMPLATES = {
    "subject.txt": '{% load i18n %}{% trans "Sign out" %} {{ thing }}',
    "body.txt": "{% autoescape off %}Body {{ thing }} for {{ recipient.name }} <{{ url }}>{% endautoescape %}",
    "sms.txt": "{% autoescape off %}SMS {{ thing }} {{ url }}{% endautoescape %}",
    "title.txt": '{% load i18n %}{% autoescape off %}{% trans "Sign out" %}: {{ thing }} & co{% endautoescape %}',
    "inapp.txt": "Short {{ thing }}",
}


def _load(context: dict) -> dict | None:
    if context.get("gone"):
        return None
    return {"thing": context["thing"], "url": "https://example.test/x", "link": "/phan-anh/"}


HELLO = Event("testing.hello", load=_load)
QUIET = Event("testing.quiet", channels=(IN_APP,), load=_load)
TEXT_ONLY = Event("testing.text_only", channels=(SMS,), load=_load)


@pytest.fixture(autouse=True)
def event_templates(settings, tmp_path):
    for name in ("hello", "quiet", "text_only"):
        folder = tmp_path / "testing" / "notifications" / name
        folder.mkdir(parents=True)
        for part, text in TEMPLATES.items():
            (folder / part).write_text(text, encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    register(HELLO, QUIET, TEXT_ONLY)


@pytest.fixture
def colleague(ben_thanh):
    return make_staff("dongnghiep@benthanh.test", ben_thanh, ["feedback_handler"], full_name="Đồng Nghiệp")


def test_a_user_gets_an_email_an_sms_and_a_notification_in_their_list(ward_admin, django_capture_on_commit_callbacks):
    ward_admin.phone = "0909000111"
    ward_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(HELLO, [ward_admin], {"thing": "A1"})
    assert [m.to for m in mail.outbox] == [["quantri@benthanh.test"]]
    assert mail.outbox[0].subject == "Đăng xuất A1"  # Vietnamese, the platform's language
    assert "Body A1 for Lê Thị Quản Trị <https://example.test/x>" in mail.outbox[0].body
    assert [(s.phone, s.text) for s in sms.outbox] == [("0909000111", "SMS A1 https://example.test/x")]
    n = Notification.objects.get()
    assert (n.recipient, n.event, n.title, n.body, n.link) == (
        ward_admin,
        "testing.hello",
        "Đăng xuất: A1 & co",  # stored as text, escaped once when shown
        "Short A1",
        "/phan-anh/",
    )
    assert n.read_at is None


def test_each_recipient_reads_it_in_their_own_language(ward_admin, ward_clerk, django_capture_on_commit_callbacks):
    ward_clerk.language = "en"
    ward_clerk.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(HELLO, [ward_admin, ward_clerk, Contact(email="dan@example.test", language="en")], {"thing": "B"})
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {"quantri@benthanh.test": "Đăng xuất B", "vanthu@benthanh.test": "Sign out B",
                        "dan@example.test": "Sign out B"}  # fmt: skip
    titles = dict(Notification.objects.values_list("recipient__email", "title"))
    assert titles == {"quantri@benthanh.test": "Đăng xuất: B & co", "vanthu@benthanh.test": "Sign out: B & co"}


def test_a_bare_contact_gets_email_and_sms_but_no_list(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(HELLO, [Contact(email="dan@example.test", phone="0903123456", name="Dân")], {"thing": "C"})
    assert [m.to for m in mail.outbox] == [["dan@example.test"]]
    assert "for Dân" in mail.outbox[0].body
    assert [s.phone for s in sms.outbox] == ["0903123456"]
    assert not Notification.objects.exists()


def test_channels_and_addresses_are_each_used_once(ward_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(QUIET, [ward_admin, Contact(email="x@example.test", phone="0903123456")], {"thing": "D"})
        notify(TEXT_ONLY, [Contact(phone="0903123456"), Contact(phone="0903123456", name="again")], {"thing": "E"})
        notify(HELLO, [Contact(email="Same@example.test"), Contact(email="same@example.test")], {"thing": "F"})
    assert Notification.objects.count() == 1  # in-app only: no mail, no SMS for QUIET
    assert [s.text for s in sms.outbox] == ["SMS E https://example.test/x"]
    assert len(mail.outbox) == 1


def test_nothing_to_say_sends_nothing(ward_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert not notify(HELLO, [None, Contact()], {"thing": "G"})  # no recipient with an address
        assert notify(HELLO, [ward_admin], {"thing": "G", "gone": True})  # the loader finds nothing any more
    assert not mail.outbox and not Notification.objects.exists()


def test_an_unknown_event_or_a_malformed_code_is_refused(ward_admin):
    with pytest.raises(LookupError):
        notify("testing.nobody_declared_it", [ward_admin], {})
    with pytest.raises(ValueError):
        Event("nosystem")
    with pytest.raises(ValueError):
        Event("testing.x", channels=("pigeon",))
    with pytest.raises(ValueError):
        register(Event("testing.hello", channels=(SMS,)))  # another event under a taken name


def test_sent_only_once_the_transaction_commits(ward_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(HELLO, [ward_admin], {"thing": "H"})
        assert not mail.outbox and not Notification.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_with_the_database_backend_the_job_is_written_in_the_transaction_and_rolls_back_with_it(ward_admin):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(HELLO, [ward_admin], {"thing": "I"})
            assert DBTaskResult.objects.count() == 1
            raise RuntimeError
        assert not DBTaskResult.objects.exists()
        with transaction.atomic():
            notify(HELLO, [ward_admin, Contact(phone="0903123456")], {"thing": "J"})
        job = DBTaskResult.objects.get()
        assert job.task_path == "thongsuot.core.notifications.tasks.notification_deliver"
        assert job.args_kwargs["args"] == [
            "testing.hello",
            [ward_admin.pk],
            [{"email": "", "phone": "0903123456", "name": "", "language": ""}],
            {"thing": "J"},
        ]


# The bell and the list ---------------------------------------------------------------------------


def _notification(user, title="T", link="/phan-anh/", read=False):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user, event="testing.hello", title=title, link=link, read_at=timezone.now() if read else None
    )


def test_the_bell_shows_the_unread_count(login, ward_admin, ward_clerk):
    _notification(ward_admin)
    _notification(ward_admin)
    _notification(ward_admin, read=True)
    _notification(ward_clerk)
    page = login(ward_admin).get("/").content.decode()
    assert 'data-unread="2"' in page and 'href="/thong-bao/"' in page


def test_each_user_sees_only_their_own(login, ward_admin, ward_clerk):
    _notification(ward_admin, title="Cho quản trị")
    _notification(ward_clerk, title="Cho văn thư")
    page = login(ward_clerk).get("/thong-bao/").content.decode()
    assert "Cho văn thư" in page and "Cho quản trị" not in page


def test_marking_one_read_and_opening_it(login, ward_admin, ward_clerk):
    mine = _notification(ward_admin, link="/phan-anh/")
    theirs = _notification(ward_clerk)
    client = login(ward_admin)
    assert client.post(f"/thong-bao/{theirs.pk}/da-doc/").status_code == 404  # another user's: not found
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(f"/thong-bao/{mine.pk}/da-doc/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/phan-anh/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert AuditEntry.objects.filter(action="core.notification.read", object_id=str(mine.pk)).count() == 1
    assert 'id="notification-' not in client.get("/thong-bao/?unread=1").content.decode()


def test_an_outside_link_is_not_followed(login, ward_admin):
    odd = _notification(ward_admin, link="https://evil.example/")
    response = login(ward_admin).post(f"/thong-bao/{odd.pk}/da-doc/", {"open": "1"})
    assert response["Location"] == "/thong-bao/"


def test_marking_all_read_touches_only_ones_own(login, ward_admin, ward_clerk):
    for _ in range(3):
        _notification(ward_admin)
    _notification(ward_clerk)
    assert login(ward_admin).post("/thong-bao/da-doc-tat-ca/").status_code == 302
    assert not Notification.objects.filter(recipient=ward_admin, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=ward_clerk, read_at__isnull=True).count() == 1
    entry = AuditEntry.objects.get(action="core.notification.read_all")
    assert entry.after == {"marked_read": 3}


def test_the_list_needs_a_signed_in_user(client):
    assert client.get("/thong-bao/").status_code == 302
    assert client.post("/thong-bao/da-doc-tat-ca/").status_code == 302


def test_the_list_speaks_vietnamese(login, ward_admin):
    _notification(ward_admin)
    page = login(ward_admin).get("/thong-bao/").content.decode()
    assert "Thông báo" in page and "Đánh dấu tất cả là đã đọc" in page
    assert "Mark all as read" not in page


# Development: the SMS file and the outbox page ------------------------------------------------------


def test_the_sms_file_backend_appends_one_json_line_each(settings, tmp_path):
    settings.SMS_BACKEND = "thongsuot.core.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "run" / "sms.log")
    assert sms.send_sms("0903123456", "Xin chào")
    assert sms.send_sms("0903000000", "Lần hai")
    lines = [json.loads(line) for line in (tmp_path / "run" / "sms.log").read_text(encoding="utf-8").splitlines()]
    assert [(x["to"], x["text"]) for x in lines] == [("0903123456", "Xin chào"), ("0903000000", "Lần hai")]


@pytest.fixture
def files_outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SMS_BACKEND = "thongsuot.core.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    settings.DEBUG = True


def test_the_developers_outbox_shows_what_was_written_to_files(
    files_outbox, login, centre_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(HELLO, [Contact(email="dan@example.test", phone="0903123456")], {"thing": "Ngập nước"})
    page = login(centre_admin).get("/thong-bao/hop-thu/").content.decode()
    assert "Đăng xuất Ngập nước" in page  # the mail's subject, decoded
    assert "dan@example.test" in page and "Body Ngập nước" in page
    assert "0903123456" in page and "SMS Ngập nước" in page


def test_the_outbox_is_for_platform_administrators_and_only_with_debug(files_outbox, settings, login, ward_admin):
    assert login(ward_admin).get("/thong-bao/hop-thu/").status_code == 403
    settings.DEBUG = False
    assert login(ward_admin).get("/thong-bao/hop-thu/").status_code == 404


def test_development_writes_mail_and_sms_to_files_under_run():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.SMS_BACKEND, s.SMS_FILE_PATH)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "thongsuot.settings", "THONGSUOT_ENV": "development", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    email_backend, email_path, sms_backend, sms_path = out.split()
    assert email_backend == "django.core.mail.backends.filebased.EmailBackend"
    assert email_path.endswith("/.run/mail") and sms_path.endswith("/.run/sms.log")
    assert sms_backend == "thongsuot.core.notifications.sms.FileBackend"


def test_the_language_a_user_chooses_is_kept_for_their_notifications(login, ward_admin):
    client = login(ward_admin)
    assert ward_admin.language == ""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.get("/thong-bao/")
    ward_admin.refresh_from_db()
    assert ward_admin.language == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    client.get("/thong-bao/")
    ward_admin.refresh_from_db()
    assert ward_admin.language == "vi"
