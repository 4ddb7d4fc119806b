"""Text messages: the HTTP gateway backend against a real local HTTP server, and its failures."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from thongsuot.core.notifications import sms


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
