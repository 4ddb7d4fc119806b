"""An iCalendar (RFC 5545) event for a meeting: what the invitation e-mails carry."""

from datetime import UTC

from django.conf import settings


def _text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (never splitting a UTF-8 character)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def _at(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting, *, url: str = "") -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "thongsuot"
    cancelled = meeting.status == "cancelled"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Thong Suot//Hoi nghi truc tuyen//VI",
        "METHOD:" + ("CANCEL" if cancelled else "REQUEST"),
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"SEQUENCE:{meeting.sequence}",
        "DTSTAMP:" + _at(meeting.updated_at),
        "DTSTART:" + _at(meeting.starts_at),
        "DTEND:" + _at(meeting.ends_at),
        "SUMMARY:" + _text(meeting.title),
        "DESCRIPTION:" + _text(meeting.agenda),
        "STATUS:" + ("CANCELLED" if cancelled else "CONFIRMED"),
    ]
    if url:
        lines.append("URL:" + url)
    if meeting.chair.email:
        lines.append(
            f"ORGANIZER;CN={_text(meeting.chair.full_name or meeting.chair.email)}:mailto:{meeting.chair.email}"
        )
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
