"""Text messages through a pluggable backend (settings.SMS_BACKEND, a dotted path). Systems do not call it:
they notify (thongsuot.core.notifications.notify), which sends the SMS text of the event's templates.

- FileBackend (development default, what `make run` uses): appends each message as one JSON line to
  SMS_FILE_PATH (.run/sms.log), read on the developers' outbox page (/thong-bao/hop-thu/).
- ConsoleBackend: logs the message.
- LocmemBackend (test default): keeps messages in `outbox`, like Django's locmem mail backend.
- HttpBackend (production): POSTs each message as JSON to the SMS gateway at SMS_HTTP_URL, with
  `Authorization: Bearer SMS_HTTP_TOKEN`: {"to": "+849…", "text": "…", "sender": SMS_SENDER}. Any 2xx is
  success; an error or a timeout (SMS_HTTP_TIMEOUT seconds) is logged and reported as not sent, so a
  gateway outage never stops the e-mail notifications or the workflow.
Another gateway implements `send(phone, text) -> bool` the same way. The dotted paths of the backends'
earlier home, thongsuot.feedback.sms.*, are still accepted in SMS_BACKEND (settings.py maps them here).
"""

import json
import logging
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("thongsuot.core.notifications.sms")
MAX_LENGTH = 320


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


outbox: list[Sms] = []


class ConsoleBackend:
    def send(self, phone: str, text: str) -> bool:
        logger.info("SMS to %s: %s", phone, text)
        return True


class FileBackend:
    """One JSON line per message in settings.SMS_FILE_PATH: {"at": ISO time, "to": phone, "text": text}."""

    _lock = threading.Lock()

    def send(self, phone: str, text: str) -> bool:
        path = Path(settings.SMS_FILE_PATH)
        line = json.dumps({"at": timezone.now().isoformat(), "to": phone, "text": text}, ensure_ascii=False)
        with self._lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        return True


class LocmemBackend:
    def send(self, phone: str, text: str) -> bool:
        outbox.append(Sms(phone, text))
        return True


def international(phone: str) -> str:
    """0903123456 → +84903123456 (the numbers are stored in the national form)."""
    return "+84" + phone[1:] if phone.startswith("0") else phone


class HttpBackend:
    def send(self, phone: str, text: str) -> bool:
        body = json.dumps({"to": international(phone), "text": text, "sender": settings.SMS_SENDER}).encode()
        request = urllib.request.Request(
            settings.SMS_HTTP_URL,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:
                return 200 <= response.status < 300
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            logger.error("SMS to %s not sent: %s", phone, exc)
            return False


def _backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> bool:
    if not phone:
        return False
    return _backend().send(phone, text[:MAX_LENGTH])
