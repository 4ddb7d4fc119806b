"""The developers' outbox: the e-mails and SMS that development writes to files under .run/ (Django's
file-based e-mail backend in EMAIL_FILE_PATH, sms.FileBackend in SMS_FILE_PATH), newest first."""

import email
import email.policy
import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime

SEPARATOR = "-" * 79  # what Django's file-based backend writes after each message


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    date: str


@dataclass
class Text:
    at: object
    to: str
    text: str


def mails(limit: int = 100) -> list[Mail]:
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not Path(folder).is_dir():
        return []
    files = sorted(Path(folder).glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    found: list[Mail] = []
    for path in files:
        chunks = path.read_bytes().split(b"\n" + SEPARATOR.encode() + b"\n")
        for chunk in reversed([c for c in chunks if c.strip()]):
            message = email.message_from_bytes(chunk.strip(b"\n"), policy=email.policy.default)
            part = message.get_body(preferencelist=("plain", "html")) if message.is_multipart() else message
            found.append(
                Mail(
                    to=str(message.get("To", "")),
                    subject=str(message.get("Subject", "")),
                    body=part.get_content() if part is not None else "",
                    date=str(message.get("Date", "")),
                )
            )
            if len(found) >= limit:
                return found
    return found


def texts(limit: int = 200) -> list[Text]:
    path = Path(getattr(settings, "SMS_FILE_PATH", "") or "/nonexistent")
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace") as file:
        lines = deque(file, maxlen=limit)
    found = []
    for line in reversed(lines):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        found.append(Text(at=parse_datetime(data.get("at", "")), to=data.get("to", ""), text=data.get("text", "")))
    return found
