"""Text messages: the HTTP gateway backend against a real local HTTP server, and its failures; the link the
citizen's SMS carries."""

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings

from thongsuot.core.notifications import sms
from thongsuot.feedback import services
from thongsuot.feedback.links import follow_path
from thongsuot.feedback.models import Follower
from thongsuot.feedback.testing import submit


class Gateway(BaseHTTPRequestHandler):
    status = 202
    received: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        length = int(self.headers["Content-Length"])
        Gateway.received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
        self.send_response(Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.received, Gateway.status = [], 202
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "thongsuot.core.notifications.sms.HttpBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_HTTP_TOKEN = "secret-token"
    settings.SMS_SENDER = "TPHCM-1022"
    yield Gateway
    server.shutdown()


def test_http_gateway_receives_the_message(gateway):
    assert sms.send_sms("0903123456", "1022: PA-2611-000001 - Đã tiếp nhận.")
    assert gateway.received == [
        (
            "Bearer secret-token",
            {"to": "+84903123456", "text": "1022: PA-2611-000001 - Đã tiếp nhận.", "sender": "TPHCM-1022"},
        )
    ]


def test_a_gateway_error_is_logged_and_reported_as_not_sent(gateway, caplog):
    gateway.status = 500
    assert not sms.send_sms("0903123456", "x")
    assert "not sent" in caplog.text


def test_an_unreachable_gateway_is_not_sent(settings, caplog):
    settings.SMS_BACKEND = "thongsuot.core.notifications.sms.HttpBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    settings.SMS_HTTP_TIMEOUT = 2
    assert not sms.send_sms("0903123456", "x")


def test_no_phone_no_message(gateway):
    assert not sms.send_sms("", "x") and gateway.received == []


def test_the_http_backend_needs_its_address():
    env = {"SMS_BACKEND": "thongsuot.feedback.sms.HttpBackend", "SMS_HTTP_URL": "", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "thongsuot.settings", "THONGSUOT_ENV": "test"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SMS_HTTP_URL" in result.stderr


# The citizen's link (issue 14.5d) ----------------------------------------------------------------


def _publish(report, *, dispatcher, unit_admin, organisation):
    services.report_assign(actor=dispatcher, report=report, organisation=organisation)
    services.report_accept(actor=unit_admin, report=report)
    services.report_update_progress(actor=unit_admin, report=report, note="Đang thay nắp cống.")
    services.report_resolve(actor=unit_admin, report=report, resolution="Đã thay nắp cống mới.")
    return services.report_publish(actor=unit_admin, report=report)


def test_a_citizen_who_gave_only_a_phone_can_rate_from_the_sms_link(
    client, dispatcher, ward_admin, ben_thanh, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(contact_email="")
        _publish(report, dispatcher=dispatcher, unit_admin=ward_admin, organisation=ben_thanh)
    report.refresh_from_db()
    texts = [s.text for s in sms.outbox if s.phone == "0901234567"]
    assert texts and all(f"{report.code}/?k={report.citizen_key}" in text for text in texts)
    link = re.search(r"https?://\S+", texts[-1]).group(0)
    assert link.startswith(settings.SITE_URL)
    assert len(texts[-1]) <= sms.MAX_LENGTH
    page = client.get(link.removeprefix(settings.SITE_URL))
    assert page.status_code == 200 and page.context["rate_form"] is not None  # the key made them the owner
    assert client.get(follow_path(report.code)).context["rate_form"] is None  # without it, nobody may rate


def test_followers_get_the_link_without_the_citizens_key(dispatcher, ben_thanh, django_capture_on_commit_callbacks):
    report = submit()
    Follower.objects.create(report=report, name="Hàng xóm", phone="0987654321")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_assign(actor=dispatcher, report=report, organisation=ben_thanh)
    texts = {s.phone: s.text for s in sms.outbox}
    assert f"?k={report.citizen_key}" in texts["0901234567"]
    assert report.code in texts["0987654321"] and "?k=" not in texts["0987654321"]


def test_the_backends_earlier_dotted_path_still_works():
    env = {"SMS_BACKEND": "thongsuot.feedback.sms.ConsoleBackend", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
         "from thongsuot.core.notifications import sms; print(s.SMS_BACKEND); print(sms.send_sms('0903', 'x'))"],
        env={**env, "DJANGO_SETTINGS_MODULE": "thongsuot.settings", "THONGSUOT_ENV": "test"},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.stdout.split() == ["thongsuot.core.notifications.sms.ConsoleBackend", "True"], result.stderr
