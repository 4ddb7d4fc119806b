from thongsuot.core.audit import AuditActions


class ProcedureAudit(AuditActions, prefix="procedures.procedure"):
    CREATE = "create"
    UPDATE = "update"


class CatalogueImportAudit(AuditActions, prefix="procedures.import"):
    PREVIEW = "preview"
    APPLY = "apply"
