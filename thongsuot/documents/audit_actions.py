"""The audit action names of the documents system (thongsuot.core.audit.AuditActions), declared once."""

from thongsuot.core.audit import AuditActions


class DocumentAudit(AuditActions, prefix="documents.document"):
    CREATE = "create"
    REVISE = "revise"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    SIGN = "sign"
    ISSUE = "issue"
    ARRIVE = "arrive"
    REGISTER = "register"
    SEND_BACK = "send_back"
    ACKNOWLEDGED = "acknowledged"
    SENT_BACK_BY_RECIPIENT = "sent_back_by_recipient"
    DIRECT = "direct"
    PROGRESS = "progress"
    COMPLETE = "complete"
    REMIND_DUE_SOON = "remind_due_soon"
    REMIND_OVERDUE = "remind_overdue"
    NAME_READERS = "name_readers"
    RECALL = "recall"
    RECALL_REQUESTED = "recall_requested"
    CONFIRM_RECALL = "confirm_recall"
    RECALL_CONFIRMED = "recall_confirmed"
    REPLACED = "replaced"


class OfficeAudit(AuditActions, prefix="documents.office"):
    SAVE = "save"


class WorkFileAudit(AuditActions, prefix="documents.workfile"):
    OPEN = "open"
    ADD = "add"
    CLOSE = "close"
    REMIND_ARCHIVE = "remind_archive"
