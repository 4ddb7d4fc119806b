"""notify(): who is told of what; the sending happens in the worker (delivery.py), after the commit."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from thongsuot.core.notifications import events


@dataclass(frozen=True)
class Contact:
    """A recipient without an account: a citizen's e-mail and/or phone number. `language` is the language
    the messages are written in ("" for the platform's default, Vietnamese)."""

    email: str = ""
    phone: str = ""
    name: str = ""
    language: str = ""


def notify(
    event: events.Event | str, recipients: Iterable, context: dict | None = None, *, at_once: bool = False
) -> bool:
    """Tell `recipients` (users and Contacts; None and empty contacts are skipped) of `event`, with the JSON
    `context` its templates' loader reads. Queued on commit of the current transaction (with the database
    task backend the job row is written in it); `at_once` sends in this process now instead, for a job
    already running in the worker (a sweep). Returns whether anything was queued or sent."""
    from thongsuot.core.jobs import on_commit
    from thongsuot.core.notifications.tasks import notification_deliver

    event = event if isinstance(event, events.Event) else events.get(event)
    user_ids: list[int] = []
    contacts: list[dict] = []
    for recipient in recipients:
        if recipient is None:
            continue
        if isinstance(recipient, Contact):
            if (recipient.email or recipient.phone) and asdict(recipient) not in contacts:
                contacts.append(asdict(recipient))
        elif recipient.pk is not None and recipient.pk not in user_ids:
            user_ids.append(recipient.pk)
    if not user_ids and not contacts:
        return False
    args = (event.code, user_ids, contacts, dict(context or {}))
    if at_once:
        notification_deliver.call(*args)
    else:
        on_commit(notification_deliver, *args)
    return True
