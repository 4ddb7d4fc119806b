from thongsuot.core.audit import AuditActions


class ProcedureAudit(AuditActions, prefix="procedures.procedure"):
    CREATE = "create"
    UPDATE = "update"


class CatalogueImportAudit(AuditActions, prefix="procedures.import"):
    PREVIEW = "preview"
    APPLY = "apply"


class DossierAudit(AuditActions, prefix="procedures.dossier"):
    """A dossier's audit actions: its timeline's actions."""

    SUBMIT = "submit"
    INTAKE = "intake"
    ACCEPT = "accept"
    REQUEST_ADDITIONAL = "request_additional"
    SUPPLY_ADDITIONAL = "supply_additional"
    REFUSE = "refuse"
    FORWARD = "forward"
    COMPLETE_STEP = "complete_step"
    APPROVE = "approve"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    LATE = "late"
    APOLOGISE = "apologise"
    RATE = "rate"
    DUE_WARNED = "due_warned"
    PAY = "pay"
