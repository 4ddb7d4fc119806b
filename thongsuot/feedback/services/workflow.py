"""Moving a report through its states: dispatch, handling, result, rating. One service per command of the
workflow table (states.WORKFLOW), which decides who may take it, when, and what it stamps."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core import services as core_services
from thongsuot.core.calendar import add_working_days
from thongsuot.directory.models import Organisation
from thongsuot.feedback import SYSTEM, notifications, uploads
from thongsuot.feedback.models import Attachment, Report
from thongsuot.feedback.services._common import (
    is_user,
    locked,
    record,
    require,
    require_handler,
    transition,
)
from thongsuot.feedback.states import RejectReason, Status


def _required(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def _store_files(report: Report, files, *, stage: str, public: bool, user) -> None:
    for upload, content_type in uploads.check_files(files):
        uploads.store(report=report, upload=upload, content_type=content_type, stage=stage, public=public, user=user)


# The dispatcher (1022 centre) -------------------------------------------------------------------


@transaction.atomic
def report_verify(*, actor, report: Report, category=None, note: str = "") -> Report:
    """Confirm the report is admissible; the dispatcher may correct its category."""
    report = locked(report)
    require(actor, report, "verify")
    fields = {}
    if category is not None and category != report.category:
        fields["category"] = category
    transition(report, Status.VERIFIED, actor=actor, note=note, public=True, fields=fields)
    return report


@transaction.atomic
def report_reject(*, actor, report: Report, reason: str, note: str = "") -> Report:
    report = locked(report)
    require(actor, report, "reject")
    if reason not in RejectReason.values:
        raise ValidationError({"reason": [_("Choose the reason for refusing the report.")]})
    transition(
        report,
        Status.REJECTED,
        actor=actor,
        note=note or RejectReason(reason).label,
        fields={"reject_reason": reason, "status_note": note},
    )
    return report


@transaction.atomic
def report_assign(*, actor, report: Report, organisation: Organisation, note: str = "") -> Report:
    """Forward to the responsible unit or department (the routing time is measured from receipt)."""
    report = locked(report)
    require(actor, report, "assign")
    if organisation is None or not organisation.is_active or organisation.kind not in ("commune", "department"):
        raise ValidationError({"organisation": [_("Choose an active unit or department.")]})
    if report.status == Status.RECEIVED:  # verifying and forwarding in one step is the usual case
        transition(report, Status.VERIFIED, actor=actor, notify=False)
    transition(
        report,
        Status.ASSIGNED,
        actor=actor,
        note=note or _("Forwarded to %(org)s.") % {"org": organisation.name},
        fields={"organisation": organisation},
    )
    notifications.report_assigned(report)
    return report


# The handling unit --------------------------------------------------------------------------------


@transaction.atomic
def report_accept(*, actor, report: Report, note: str = "") -> Report:
    report = locked(report)
    require(actor, report, "accept")
    transition(report, Status.ACCEPTED, actor=actor, note=note)
    return report


@transaction.atomic
def report_return(*, actor, report: Report, reason: str) -> Report:
    """“Not ours”: back to the dispatcher for re-routing, with the reason."""
    reason = _required("reason", reason, _("Say why the report is not for your unit."))
    report = locked(report)
    require(actor, report, "return")
    transition(
        report,
        Status.VERIFIED,
        actor=actor,
        note=reason,
        public=False,
        fields={"organisation": None, "forwarded_at": None, "return_count": report.return_count + 1},
    )
    return report


@uploads.discard_files_on_error
@transaction.atomic
def report_update_progress(*, actor, report: Report, note: str, committed_date: date | None = None, files=()) -> Report:
    """Start work (accepted/reopened → in progress) or add a progress note, photos and a committed date."""
    note = _required("note", note, _("Describe the progress."))
    report = locked(report)
    require(actor, report, "progress")
    if committed_date is not None and committed_date < timezone.localdate():
        raise ValidationError({"committed_date": [_("The committed date cannot be in the past.")]})
    fields = {"committed_date": committed_date} if committed_date else {}
    _store_files(report, files, stage=Attachment.Stage.PROGRESS, public=True, user=actor)
    if report.status == Status.IN_PROGRESS:
        record(report, actor=actor, action="progress", note=note, fields=fields, notify=True)
    else:
        transition(report, Status.IN_PROGRESS, actor=actor, note=note, fields=fields)
    return report


@uploads.discard_files_on_error
@transaction.atomic
def report_resolve(*, actor, report: Report, resolution: str, files=()) -> Report:
    resolution = _required("resolution", resolution, _("Describe the result."))
    report = locked(report)
    require(actor, report, "resolve")
    _store_files(report, files, stage=Attachment.Stage.RESULT, public=True, user=actor)
    transition(
        report,
        Status.RESOLVED,
        actor=actor,
        note=resolution,
        fields={"resolution": resolution},
    )
    return report


@transaction.atomic
def report_publish(*, actor, report: Report, public_description: str = "") -> Report:
    """Publish the result; the public text may be edited (e.g. personal data removed), the original is kept."""
    report = locked(report)
    require(actor, report, "publish")
    fields = {}
    if public_description.strip():
        fields["public_description"] = public_description.strip()
    transition(report, Status.PUBLISHED, actor=actor, fields=fields)
    return report


@transaction.atomic
def report_hide(*, actor, report: Report, reason: str, hidden: bool = True) -> Report:
    """Hide a report from the public pages (or show it again); nothing is deleted."""
    report = locked(report)
    require(actor, report, "hide")
    reason = _required("reason", reason, _("Say why the report is hidden.")) if hidden else reason
    record(
        report,
        actor=actor,
        action="hide" if hidden else "unhide",
        note=reason,
        public=False,
        fields={"hidden": hidden, "hidden_reason": reason if hidden else ""},
    )
    return report


# The citizen ------------------------------------------------------------------------------------


@transaction.atomic
def report_rate(*, actor, report: Report, rating: int, satisfied: bool, comment: str = "", key: str = "") -> Report:
    """The citizen rates the result; satisfied closes the report, not satisfied lets them reopen it."""
    report = locked(report)
    require(actor, report, "rate", key=key)  # the submitter (account or private link), or a dispatcher
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Give a rating from 1 to 5.")]})
    comment = comment.strip()[:2000]
    who = actor if is_user(actor) else "citizen"
    transition(
        report,
        Status.RATED,
        actor=who,
        note=comment,
        fields={"rating": rating, "satisfied": satisfied, "rating_comment": comment},
        notify=False,
    )
    if satisfied:
        transition(report, Status.CLOSED, actor=who)
    return report


@transaction.atomic
def report_reopen(*, actor, report: Report, reason: str, key: str = "") -> Report:
    """The fix was inadequate: the unit handles the report again with a new deadline."""
    reason = _required("reason", reason, _("Say what is still wrong."))
    report = locked(report)
    require(actor, report, "reopen", key=key)
    transition(
        report,
        Status.REOPENED,
        actor=actor if is_user(actor) else "citizen",
        note=reason,
        fields={
            "reopen_count": report.reopen_count + 1,
            "due_date": add_working_days(timezone.now(), report.category.handling_days),
            "overdue": False,
            "overdue_notified_at": None,
        },
    )
    notifications.report_assigned(report)
    return report


# Deadlines ----------------------------------------------------------------------------------------


@transaction.atomic
def report_extend(*, actor, report: Report, reason: str, new_date: date):
    """Ask for a later due date; a leader of the unit (or the city) approves it with extension_decide.
    The extension itself is the shared building block (thongsuot.core.services.extension_request)."""
    from thongsuot.feedback.models import Extension

    report = locked(report)

    def may_extend():
        require_handler(actor, report)
        if report.status not in (Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED):
            raise ValidationError({"new_date": [_("Only a report being handled can get more time.")]})

    def requested(extension):
        record(
            report,
            actor=actor,
            action="extension_request",
            public=False,
            note=_("Extension to %(date)s requested: %(reason)s")
            % {"date": f"{extension.new_date:%d/%m/%Y}", "reason": extension.reason},
        )

    return core_services.extension_request(
        actor=actor,
        model=Extension,
        subject=report,
        reason=reason,
        new_date=new_date,
        current_date=report.due_date,
        require_access=may_extend,
        record=requested,
    )


@transaction.atomic
def extension_decide(*, actor, extension, approve: bool, note: str = ""):
    """A leader of the report's unit (or the city) approves the new due date, or refuses it."""

    def decided(extension, report):
        if approve:
            record(
                report,
                actor=actor,
                action="extend",
                note=_("Due date extended to %(date)s.") % {"date": f"{extension.new_date:%d/%m/%Y}"},
                fields={"due_date": extension.new_date, "overdue": extension.new_date < timezone.localdate()},
                notify=True,
            )
        else:
            record(report, actor=actor, action="extension_refuse", note=note, public=False)

    return core_services.extension_decide(
        actor=actor,
        extension=extension,
        approve=approve,
        note=note,
        lock_subject=locked,
        require_access=lambda report: access.require_change(
            actor, report.organisation_id, roles=(Role.LEADER,), system=SYSTEM
        ),
        record=decided,
    )


def reports_overdue_mark(*, today: date | None = None) -> list[int]:
    """Flag reports past their due date that are still being handled. Idempotent: a report is
    flagged (and its unit reminded) once; returns the ids flagged by this run."""
    today = today or timezone.localdate()
    flagged = []
    candidates = Report.objects.filter(
        status__in=[Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED],
        due_date__lt=today,
        overdue=False,
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            report = Report.objects.select_for_update().filter(pk=pk, overdue=False).first()
            if report is None:
                continue
            record(
                report,
                actor="system",
                action="overdue",
                public=False,
                note=_("Past the due date %(date)s.") % {"date": f"{report.due_date:%d/%m/%Y}"},
                fields={"overdue": True, "overdue_notified_at": timezone.now()},
            )
            flagged.append(pk)
    return flagged
