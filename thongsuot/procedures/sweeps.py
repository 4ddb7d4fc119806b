"""The procedures system's sweep: late dossiers flagged and their units told, due-soon warnings, every
PROCEDURES_SWEEP_MINUTES (15 by default)."""

from django.conf import settings

from thongsuot.core import sweeps
from thongsuot.procedures import tasks

sweeps.register(
    name="procedures.deadlines",
    task=tasks.dossiers_sweep,
    minutes=lambda: getattr(settings, "PROCEDURES_SWEEP_MINUTES", 15),
    kinds=(sweeps.OVERDUE, sweeps.DUE_SOON),
)
