"""What every feedback service shares: locking, the one transition helper, events, audit, notifications."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core.audit import audit_record, snapshot
from thongsuot.core.jobs import on_commit  # noqa: F401 (the services queue their jobs through it)
from thongsuot.feedback import SYSTEM, states
from thongsuot.feedback.models import Report, ReportEvent

TRACKED = [
    "status",
    "category",
    "organisation",
    "resolved_unit",
    "reject_reason",
    "status_note",
    "due_date",
    "committed_date",
    "overdue",
    "rating",
    "satisfied",
    "hidden",
    "merged_into",
    "reopen_count",
    "return_count",
    "published_at",
    "resolved_at",
]
HANDLER_ROLES = (Role.FEEDBACK_HANDLER, Role.UNIT_ADMIN, Role.LEADER)
PUBLISHER_ROLES = (Role.LEADER, Role.UNIT_ADMIN)


def is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def require_dispatcher(user) -> None:
    """Routing belongs to the 1022 centre: city-wide staff."""
    if not access.has_city_wide_change(user, system=SYSTEM):
        raise PermissionDenied(_("Only the 1022 dispatchers may do this."))


def require_handler(user, report: Report) -> None:
    if report.organisation_id is None:
        require_dispatcher(user)
        return
    access.require_change(user, report.organisation_id, roles=HANDLER_ROLES, system=SYSTEM)


def locked(report: Report) -> Report:
    """The report re-read under a row lock, so two officers cannot move it at once."""
    return Report.objects.select_for_update().select_related("category").get(pk=report.pk)


def record(
    report: Report,
    *,
    actor,
    action: str,
    note: str = "",
    public: bool = True,
    fields: dict | None = None,
    from_status: str = "",
    to_status: str = "",
    notify: bool = False,
    save: bool = True,
) -> ReportEvent:
    """Apply `fields`, save, and write the timeline event and the audit row (before/after). `save=False`
    for a report its caller has just inserted, with nothing to change: the row is already as recorded."""
    before = snapshot(report, TRACKED)
    if save:
        for name, value in (fields or {}).items():
            setattr(report, name, value)
        report.save()
    elif fields or report.pk is None:
        raise ValueError("save=False records a report already saved as it is")
    event = ReportEvent.objects.create(
        report=report,
        actor=actor if is_user(actor) else None,
        actor_label=actor.get_username() if is_user(actor) else (actor or "citizen"),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=public,
    )
    audit_record(
        actor=actor if is_user(actor) else (actor or "citizen"),
        action=f"feedback.report.{action}",
        obj=report,
        organisation_id=report.organisation_id,
        before=before,
        after=snapshot(report, TRACKED),
        reason=note,
    )
    if notify:
        on_commit_status_notify(report, event)
    return event


def transition(
    report: Report,
    to_state: str,
    *,
    actor,
    note: str = "",
    public: bool = True,
    fields: dict | None = None,
    notify: bool = True,
) -> ReportEvent:
    """Move `report` to `to_state` if the table in states.py allows it; raises TransitionError otherwise."""
    from_state = report.status
    action = states.action_for(from_state, to_state)
    return record(
        report,
        actor=actor,
        action=action,
        note=note,
        public=public,
        fields={**(fields or {}), "status": to_state},
        from_status=from_state,
        to_status=to_state,
        notify=notify,
    )


def on_commit_status_notify(report: Report, event: ReportEvent) -> None:
    """Tell the citizen and the followers of a public change, once the transaction commits."""
    from thongsuot.feedback import notifications

    notifications.report_status_changed(report, event)
