"""The background job that sends one notify() call's messages (delivery.py does the work)."""

from django_tasks import task

from thongsuot.core.notifications import delivery


@task()
def notification_deliver(event: str, user_ids: list[int], contacts: list[dict], context: dict) -> int:
    """Render the event's templates for each recipient in their language, send the e-mails and SMS, and add
    the users' notifications to their lists. Returns how many messages and notifications went out."""
    return delivery.deliver(event_code=event, user_ids=user_ids, contacts=contacts, context=context)
