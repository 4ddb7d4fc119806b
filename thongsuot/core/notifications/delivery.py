"""Rendering and sending one notification to its recipients (called by the worker's job)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from thongsuot.core.notifications import events, sms
from thongsuot.core.notifications.models import Notification

logger = logging.getLogger(__name__)


@dataclass
class Recipient:
    email: str
    phone: str
    language: str
    name: str
    user: object = None  # the account, for the list inside the platform


def language_of(user) -> str:
    """The language a user reads their notifications in: their account's choice, else the platform's."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _recipients(user_ids: list[int], contacts: list[dict]) -> list[Recipient]:
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True) if user_ids else []
    people = [
        Recipient(
            email=user.email,
            phone=getattr(user, "phone", ""),
            language=language_of(user),
            name=getattr(user, "full_name", "") or user.get_username(),
            user=user,
        )
        for user in users
    ]
    for contact in contacts:
        language = contact.get("language") or settings.LANGUAGE_CODE
        people.append(
            Recipient(
                email=contact.get("email", ""),
                phone=contact.get("phone", ""),
                language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
                name=contact.get("name", ""),
            )
        )
    return people


def _render(event: events.Event, part: str, context: dict, *, required: bool = True) -> str:
    try:
        template = get_template(event.template(part))
    except TemplateDoesNotExist:
        if required:
            raise
        return ""
    return template.render(context)


def deliver(*, event_code: str, user_ids: list[int], contacts: list[dict], context: dict) -> int:
    event = events.get(event_code)
    loaded = event.load(dict(context)) if event.load else dict(context)
    if loaded is None:
        return 0
    sent = 0
    emails_done: set[str] = set()
    phones_done: set[str] = set()
    notifications = []
    connection = get_connection() if events.EMAIL in event.channels else None
    for person in _recipients(user_ids, contacts):
        with translation.override(person.language):
            values = {**loaded, "recipient": person, "LANGUAGE_CODE": person.language}
            email = person.email.strip().lower()
            if connection is not None and email and email not in emails_done:
                emails_done.add(email)
                sent += _send_email(event, values, person.email, connection)
            if events.SMS in event.channels and person.phone and person.phone not in phones_done:
                phones_done.add(person.phone)
                sent += sms.send_sms(person.phone, _render(event, "sms", values).strip())
            if events.IN_APP in event.channels and person.user is not None:
                notifications.append(
                    Notification(
                        recipient=person.user,
                        event=event.code,
                        title=_render(event, "title", values).strip()[:300],
                        body=_render(event, "inapp", values, required=False).strip(),
                        link=str(loaded.get("link", ""))[:500],
                    )
                )
    if notifications:
        Notification.objects.bulk_create(notifications)
        sent += len(notifications)
    return sent


def _send_email(event: events.Event, values: dict, address: str, connection) -> int:
    subject = " ".join(_render(event, "subject", values).split())
    body = _render(event, "body", values)
    try:
        message = EmailMessage(subject=subject, body=body, to=[address], connection=connection)
        for filename, content, mimetype in event.attach(values) if event.attach else ():
            message.attach(filename, content, mimetype)
        return message.send()
    except Exception:  # one bad address or a mail server's hiccup must not stop the others
        logger.exception("E-mail %s to %s not sent", event.code, address)
        return 0
