"""What every feedback service shares: locking, the workflow check, transitions and events (the table in
states.py, through thongsuot.core.workflow and .timeline), notifications."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core import timeline
from thongsuot.core.jobs import on_commit  # noqa: F401 (the services queue their jobs through it)
from thongsuot.core.workflow import transition as core_transition
from thongsuot.feedback import SYSTEM, notifications, states
from thongsuot.feedback.models import Report, ReportEvent

TRACKED = list(states.TRACKED)
HANDLER_ROLES = states.HANDLER_ROLES
PUBLISHER_ROLES = states.PUBLISHER_ROLES
is_user = timeline.is_user


def require(user, report: Report, command: str, *, key: str = ""):
    """Refuse unless the workflow table lets `user` take `command` on `report` now (403, 409 or the
    guard's error): the same answer the pages' buttons and the API's allowed_actions give."""
    return states.WORKFLOW.require(user, report, command, key=key)


# The two checks below remain for the deadline services (extension request and decision), which check
# their own access; the table in states.py says the same ("extend", "decide").
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
    """Apply `fields`, save, and write the timeline event and the audit row (before/after), through the
    report's timeline (thongsuot.core.timeline). `save=False` for a report its caller has just inserted,
    with nothing to change: the row is already as recorded."""
    event = states.TIMELINE.record(
        report,
        actor=actor,
        action=action,
        note=note,
        public=public,
        fields=fields,
        from_status=from_status,
        to_status=to_status,
        save=save,
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
    """Move `report` to `to_state` along the table in states.py (stamping what the edge stamps); raises
    TransitionError when the table has no such edge."""
    event = core_transition(states.WORKFLOW, report, to_state, actor=actor, note=note, public=public, fields=fields)
    if notify:
        on_commit_status_notify(report, event)
    return event


def on_commit_status_notify(report: Report, event: ReportEvent) -> None:
    """Tell the citizen and the followers of a public change, once the transaction commits."""
    notifications.report_status_changed(report, event)
