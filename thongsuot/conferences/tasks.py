"""The conferences system's jobs (thin: each calls a service; idempotent)."""

from django_tasks import task

from thongsuot.conferences import services


@task()
def join_tokens_expire() -> int:
    """Take the expired join tokens off their rooms' allowed lists on Janus."""
    return services.join_tokens_expire()
