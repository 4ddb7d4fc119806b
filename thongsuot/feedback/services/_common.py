"""What every feedback service shares: locking, the one transition helper, events, audit, notifications."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.core.audit import audit_record, snapshot
from thongsuot.feedback import SYSTEM, notifications, states
from thongsuot.feedback.models import Report, ReportEvent
from thongsuot.feedback.roles import HANDLER_ROLES

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
    on_commit(notifications.report_status_notify, report.pk, event.pk)


def on_commit(task, *args) -> None:
    """Queue `task` so that it runs only once the current transaction has committed. With the database
    task backend the job row is written inside that transaction: it commits or rolls back with the
    change, and the worker only ever sees committed rows (no separate INSERT and COMMIT afterwards).
    Other backends (the in-process one of the tests, a message broker) are called after the commit."""
    if _queues_in_transaction(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(partial(task.enqueue, *args))


def _queues_in_transaction(task) -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return transaction.get_connection(router.db_for_write(DBTaskResult)).in_atomic_block
