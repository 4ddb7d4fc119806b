"""The audit action names of the conferences system ("conferences.<object>.<action>")."""

from thongsuot.core.audit import AuditActions


class MeetingAudit(AuditActions, prefix="conferences.meeting"):
    SCHEDULE = "schedule"
    UPDATE = "update"
    START = "start"
    END = "end"
    CANCEL = "cancel"
    ATTACH = "attach"
    JOIN_TOKEN = "join_token"
    MUTE = "mute"
    UNMUTE = "unmute"
    MUTE_ALL = "mute_all"
    FLOOR_GIVE = "floor_give"
    FLOOR_TAKE = "floor_take"
    REMOVE = "remove"
    MARK = "mark"
    JOINED = "joined"
    RECORD_START = "record_start"
    RECORD_STOP = "record_stop"
    RECORDING_SAVED = "recording_saved"
    LEFT = "left"


class EndpointAudit(AuditActions, prefix="conferences.endpoint"):
    CREATE = "create"
    UPDATE = "update"


class GroupAudit(AuditActions, prefix="conferences.group"):
    SAVE = "save"
