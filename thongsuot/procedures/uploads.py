"""The files of a dossier's documents (core attachments) and who may download them: those who may see
the dossier (its units' staff, city-wide viewers, its applicant)."""

from thongsuot.core import attachments


def can_view(user, item) -> bool:
    from thongsuot.procedures import selectors

    return selectors.dossiers_visible(user=user).filter(pk=item.dossier_id).exists()


def register_owner() -> None:
    from thongsuot.procedures.models import DossierDocument

    attachments.register("procedures", queryset=lambda: DossierDocument.objects.exclude(file=""), can_view=can_view)
