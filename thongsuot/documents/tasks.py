"""The documents system's periodic job: thin, calling the service (registered in documents/sweeps.py)."""

from django_tasks import task

from thongsuot.documents import services


@task()
def documents_sweep() -> dict:
    """Reminders of the directed documents' deadlines: once before, once when overdue (idempotent)."""
    return services.instructions_remind()
