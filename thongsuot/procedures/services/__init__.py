"""Every write of the procedures system: the catalogue (catalogue.py) and the dossiers (dossiers.py)."""

from thongsuot.procedures.services.catalogue import (
    catalogue_import_apply,
    catalogue_import_preview,
    procedures_load,
    require_catalogue_admin,
)
from thongsuot.procedures.services.dossiers import (
    dossier_accept,
    dossier_apologise,
    dossier_approve,
    dossier_complete_step,
    dossier_forward,
    dossier_intake,
    dossier_pay,
    dossier_rate,
    dossier_refuse,
    dossier_request_additional,
    dossier_return_result,
    dossier_submit,
    dossier_supply_additional,
    dossier_withdraw,
    dossiers_sweep,
)

__all__ = [
    "catalogue_import_apply",
    "catalogue_import_preview",
    "dossier_accept",
    "dossier_apologise",
    "dossier_approve",
    "dossier_complete_step",
    "dossier_forward",
    "dossier_intake",
    "dossier_pay",
    "dossier_rate",
    "dossier_refuse",
    "dossier_request_additional",
    "dossier_return_result",
    "dossier_submit",
    "dossier_supply_additional",
    "dossier_withdraw",
    "dossiers_sweep",
    "procedures_load",
    "require_catalogue_admin",
]
