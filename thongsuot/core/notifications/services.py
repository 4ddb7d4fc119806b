"""Writes of the list inside the platform: a user marks their own notifications read (audited)."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from thongsuot.core.audit import audit_record
from thongsuot.core.notifications.models import Notification
from thongsuot.core.notifications.selectors import notifications_of


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read; another user's is not found (404), never changed."""
    notification = notifications_of(user=user).select_for_update().filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=user, action="core.notification.read", obj=notification, object_label=notification.title)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    count = notifications_of(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(
            actor=user,
            action="core.notification.read_all",
            object_type="core.notification",
            object_id=user.pk,
            after={"marked_read": count},
        )
    return count
