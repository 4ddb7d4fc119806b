"""The audit action names of the 1022 feedback system, declared once (thongsuot.core.audit.AuditActions).
The stored strings are "feedback.<object>.<action>"; a report's are its timeline's actions."""

from thongsuot.core.audit import AuditActions


class ReportAudit(AuditActions, prefix="feedback.report"):
    SUBMIT = "submit"
    VERIFY = "verify"
    REJECT = "reject"
    ASSIGN = "assign"
    ACCEPT = "accept"
    RETURN = "return"
    START = "start"
    PROGRESS = "progress"
    NOTE = "note"
    RESOLVE = "resolve"
    PUBLISH = "publish"
    RATE = "rate"
    CLOSE = "close"
    REOPEN = "reopen"
    MERGE = "merge"
    HIDE = "hide"
    UNHIDE = "unhide"
    EXTENSION_REQUEST = "extension_request"
    EXTEND = "extend"
    EXTENSION_REFUSE = "extension_refuse"
    OVERDUE = "overdue"
    DUE_REMINDER = "due_reminder"
    MEDIA_FETCHED = "media_fetched"
    MEDIA_REFUSED = "media_refused"


class CategoryAudit(AuditActions, prefix="feedback.category"):
    CREATE = "create"
    UPDATE = "update"


class Open311ClientAudit(AuditActions, prefix="feedback.open311_client"):
    CREATE = "create"
    UPDATE = "update"
    ACTIVATE = "activate"
    REVOKE = "revoke"


class Open311Audit(AuditActions, prefix="feedback.open311"):
    REQUEST = "request"


class SubmissionAudit(AuditActions, prefix="feedback.submission"):
    RETRY = "retry"
