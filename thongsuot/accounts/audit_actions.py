"""The audit action names of accounts, declared once (thongsuot.core.audit.AuditActions)."""

from thongsuot.core.audit import AuditActions


class AccountAudit(AuditActions, prefix="account"):
    CREATE = "create"
    UPDATE = "update"
    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"
    PASSWORD_RESET = "password_reset"


class ProvisioningAudit(AuditActions, prefix="provisioning"):
    PREVIEW = "preview"
    APPLY = "apply"


class CitizenAudit(AuditActions, prefix="citizen"):
    REGISTER = "register"


class ApiTokenAudit(AuditActions, prefix="api_token"):
    CREATE = "create"
    REVOKE = "revoke"


class TwoFactorAudit(AuditActions, prefix="two_factor"):
    ENABLE = "enable"
