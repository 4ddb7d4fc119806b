"""Every change to the catalogue: one function each, atomic, audited in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core.audit import audit_record, audited_update
from thongsuot.procedures import catalogue, importing
from thongsuot.procedures.audit_actions import CatalogueImportAudit, ProcedureAudit
from thongsuot.procedures.models import CatalogueImport, Procedure


def require_catalogue_admin(user) -> None:
    """Only platform administrators change the catalogue (it is the city's, not one unit's)."""
    if not access.has_city_wide_change(user):
        raise PermissionDenied(_("Only platform administrators can change the catalogue of procedures."))


def _upsert(*, actor, record: dict) -> str:
    """Create or update one procedure from a cleaned record: "create", "update" or "unchanged"."""
    procedure = Procedure.objects.select_for_update().filter(code=record["code"]).first()
    values = catalogue.model_values(record)
    if procedure is None:
        procedure = Procedure(code=record["code"])
        audited_update(procedure, actor=actor, fields=values, action=ProcedureAudit.CREATE, tracked=catalogue.FIELDS)
        return "create"
    changed = audited_update(
        procedure,
        actor=actor,
        fields=values,
        action=ProcedureAudit.UPDATE,
        tracked=catalogue.FIELDS[1:],
        only_if_changed=True,
    )
    return "update" if changed else "unchanged"


@transaction.atomic
def procedures_load(*, actor, records: list[dict]) -> dict:
    """Load the catalogue from data-file records (idempotent: a second load changes nothing). Every record
    must be valid, or nothing is written."""
    cleaned, problems = [], []
    for raw in records:
        record, errors = catalogue.clean_record(raw)
        if errors:
            problems.append(f"{raw.get('code', '?')}: " + "; ".join(errors))
        cleaned.append(record)
    if problems:
        raise ValidationError(problems)
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for record in cleaned:
        counts[_upsert(actor=actor, record=record)] += 1
    return counts


@transaction.atomic
def catalogue_import_preview(*, actor, upload) -> CatalogueImport:
    """Read an uploaded workbook and store its plan for the preview; nothing in the catalogue changes."""
    require_catalogue_admin(actor)
    if upload is None:
        raise ValidationError({"file": [_("Choose an XLSX file.")]})
    data = upload.read(importing.MAX_BYTES + 1)
    rows = importing.plan(importing.read_workbook(data))
    batch = CatalogueImport.objects.create(
        filename=(upload.name or "")[:255], uploaded_by=actor, rows=rows, summary=importing.summary(rows)
    )
    audit_record(actor=actor, action=CatalogueImportAudit.PREVIEW, obj=batch, after=batch.summary)
    return batch


@transaction.atomic
def catalogue_import_apply(*, actor, batch: CatalogueImport, skip_errors: bool = False) -> dict:
    """Apply a previewed workbook, all of it or nothing. Rows are re-planned against the catalogue as it
    is now (someone may have changed it since the preview)."""
    require_catalogue_admin(actor)
    batch = CatalogueImport.objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at:
        raise ValidationError(_("This file was already applied."))
    rows = batch.rows
    if any(row["action"] == "error" for row in rows) and not skip_errors:
        raise ValidationError(
            {"skip_errors": [_("Some rows have errors: confirm that only the valid rows are applied.")]}
        )
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    for row in rows:
        if row["action"] == "error":
            counts["error"] += 1
            continue
        counts[_upsert(actor=actor, record=row["record"])] += 1
    batch.applied_at = timezone.now()
    batch.summary = counts
    batch.save(update_fields=["applied_at", "summary"])
    audit_record(actor=actor, action=CatalogueImportAudit.APPLY, obj=batch, after=counts)
    return counts
