"""The procedures system's periodic job: thin, calling the service."""

import logging

from django_tasks import task

from thongsuot.procedures import services

logger = logging.getLogger(__name__)


@task()
def dossiers_sweep() -> dict:
    """Late dossiers flagged for good and their units told; dossiers due soon warned once (idempotent)."""
    counts = services.dossiers_sweep()
    if counts["late"] or counts["warned"]:
        logger.info("dossiers: %(late)d late, %(warned)d warned", counts)
    return counts
