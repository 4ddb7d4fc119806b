"""Every write of the feedback system: keyword-only, atomic, audited in the same transaction."""

from thongsuot.feedback.services._common import transition
from thongsuot.feedback.services.categories import categories_departments_link, category_save
from thongsuot.feedback.services.intake import RateLimited, phone_normalise, report_merge, report_submit
from thongsuot.feedback.services.media import report_media_fetch
from thongsuot.feedback.services.notes import note_allowed, report_note_add
from thongsuot.feedback.services.submissions import (
    submission_accept,
    submissions_register_pending,
    submissions_retry,
)
from thongsuot.feedback.services.sweeps import reports_close_unrated, reports_due_soon_remind, submission_marks_purge
from thongsuot.feedback.services.workflow import (
    extension_decide,
    report_accept,
    report_assign,
    report_extend,
    report_hide,
    report_publish,
    report_rate,
    report_reject,
    report_reopen,
    report_resolve,
    report_return,
    report_update_progress,
    report_verify,
    reports_overdue_mark,
)

__all__ = [
    "categories_departments_link",
    "category_save",
    "RateLimited",
    "extension_decide",
    "phone_normalise",
    "report_accept",
    "report_assign",
    "report_extend",
    "report_hide",
    "report_media_fetch",
    "report_merge",
    "note_allowed",
    "report_note_add",
    "report_publish",
    "report_rate",
    "report_reject",
    "report_reopen",
    "report_resolve",
    "report_return",
    "report_submit",
    "report_update_progress",
    "report_verify",
    "reports_close_unrated",
    "reports_due_soon_remind",
    "reports_overdue_mark",
    "submission_accept",
    "submission_marks_purge",
    "submissions_register_pending",
    "submissions_retry",
    "transition",
]
