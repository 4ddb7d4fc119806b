"""Text messages to citizens through a pluggable backend (settings.SMS_BACKEND, a dotted path).

- ConsoleBackend (development default): logs the message.
- LocmemBackend (test default): keeps messages in `outbox`, like Django's locmem mail backend.
A production gateway implements `send(phone, text)` the same way.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("thongsuot.feedback.sms")
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


class LocmemBackend:
    def send(self, phone: str, text: str) -> bool:
        outbox.append(Sms(phone, text))
        return True


def _backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> bool:
    if not phone:
        return False
    return _backend().send(phone, text[:MAX_LENGTH])
