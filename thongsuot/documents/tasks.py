"""The documents system's periodic job: thin, calling the service (registered in documents/sweeps.py)."""

from django_tasks import task

from thongsuot.documents import services
from thongsuot.documents.numbering import today_in_city


@task()
def documents_sweep() -> dict:
    """Reminders of the directed documents' deadlines (once before, once when overdue) and of the work
    files due for the archive within 30 days (once); idempotent."""
    result = services.instructions_remind()
    result["archive_due"] = services.workfiles_remind_archive(today=today_in_city())
    return result
