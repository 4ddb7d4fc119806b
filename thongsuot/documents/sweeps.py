"""The periodic sweep of the documents system (thongsuot.core.sweeps, run by `manage.py run_periodic`):
reminders before and after the deadline of a directed document, every DOCUMENTS_SWEEP_MINUTES (30 by
default)."""

from django.conf import settings

from thongsuot.core import sweeps
from thongsuot.documents import tasks

sweeps.register(
    name="documents.deadlines",
    task=tasks.documents_sweep,
    minutes=lambda: getattr(settings, "DOCUMENTS_SWEEP_MINUTES", 30),
    kinds=(sweeps.OVERDUE, sweeps.DUE_SOON),
)
