"""Notifications, shared by every system: ONE `notify(event, recipients, context)`.

    from thongsuot.core.notifications import Contact, notify
    notify(REPORT_ASSIGNED, handlers, {"report_id": report.pk})
    notify(REPORT_STATUS, [Contact(email=report.contact_email, phone=report.contact_phone)], {...})

Recipients are users (staff or citizens with an account: e-mail, SMS to their phone, and the list inside
the platform) or bare contacts (an e-mail and/or a phone number without an account). The context is JSON
(ids, not objects): the event's `load` turns it into the templates' context in the worker. The messages go
out once the caller's transaction commits, through the task worker. See docs/architecture-notifications.md.
"""

from thongsuot.core.notifications.dispatch import Contact, notify
from thongsuot.core.notifications.events import CHANNELS, EMAIL, IN_APP, SMS, Event, register

__all__ = ["CHANNELS", "EMAIL", "IN_APP", "SMS", "Contact", "Event", "notify", "register"]
