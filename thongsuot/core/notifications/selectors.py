"""Reads of a user's notifications: always their own, never anyone else's."""

from django.db.models import QuerySet

from thongsuot.core.notifications.models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(*, user) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()
