"""The states of a citizen report, its workflow table and its timeline: the one place that decides.

received → verified | rejected; verified → assigned | rejected; assigned → accepted | verified (returned:
"not ours", back to the dispatcher for re-routing); accepted → in_progress → resolved (or straight from
accepted to resolved) → published → rated → closed; rated (not satisfied) → reopened → in_progress (or
resolved); published and never rated → closed after FEEDBACK_AUTO_CLOSE_DAYS working days.
"""

import hmac

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core import workflow
from thongsuot.core.timeline import Timeline
from thongsuot.feedback import SYSTEM, roles
from thongsuot.feedback.audit_actions import ReportAudit


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Forwarded to the responsible body")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    PUBLISHED = "published", _("Result published")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam or abusive")
    DUPLICATE = "duplicate", _("Duplicate of another report")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the scope of 1022")
    INSUFFICIENT = "insufficient", _("Insufficient information")


S = Status

# A unit is handling the report (its deadline runs, it may be overdue).
HANDLING = frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED})
# Waiting for the dispatcher (the 1022 centre).
DISPATCH = frozenset({S.RECEIVED, S.VERIFIED})
# Finished for good.
FINAL = frozenset({S.REJECTED, S.CLOSED})
# Not yet finished: may still be handled, duplicated, merged into.
OPEN = frozenset(set(Status.values) - FINAL - {S.PUBLISHED, S.RATED})
# Visible on the public list.
PUBLIC = frozenset({S.PUBLISHED, S.RATED, S.CLOSED})


# What each timeline action reads as (the transitions above and the events that change no state).
ACTION_LABELS = {
    "submit": _("Received"),
    "verify": _("Verified"),
    "reject": _("Refused"),
    "assign": _("Forwarded"),
    "accept": _("Accepted by the unit"),
    "return": _("Returned: not for this unit"),
    "start": _("Handling started"),
    "progress": _("Progress update"),
    "resolve": _("Result recorded"),
    "publish": _("Result published"),
    "rate": _("Rated by the citizen"),
    "close": _("Closed"),
    "reopen": _("Reopened by the citizen"),
    "merge": _("Duplicate merged"),
    "hide": _("Hidden from the public"),
    "unhide": _("Shown to the public again"),
    "extension_request": _("More time asked"),
    "extend": _("Due date extended"),
    "extension_refuse": _("More time refused"),
    "overdue": _("Past the due date"),
    "due_reminder": _("Due date reminder sent"),
    "media_fetched": _("Photo or video downloaded"),
    "media_refused": _("Photo or video not downloaded"),
    "note": _("Internal note"),
}
# Who did it, when not a staff member.
ACTOR_LABELS = {"citizen": _("Citizen"), "system": _("System")}


TransitionError = workflow.TransitionError


# The workflow table -------------------------------------------------------------------------------
# Who takes which action, in which states, to which state, under which precondition, stamping what.
# The staff pages' buttons, the API's allowed_actions and the services' checks all read it
# (thongsuot.core.workflow); a contract test proves they agree for every state and role.

HANDLER_ROLES = roles.HANDLER_ROLES  # the system's roles are declared in roles.py
PUBLISHER_ROLES = roles.PUBLISHER_ROLES


def _now():
    return timezone.now()


def _has_pending_extension(report) -> bool:
    return report.extensions.filter(decision="pending").exists()


def _no_pending_extension(report) -> bool:
    return not _has_pending_extension(report)


def _not_satisfied(report) -> bool:
    return not report.satisfied


_DISPATCHER = {"dispatcher": True}
_HANDLER = {"roles": HANDLER_ROLES, "dispatcher": True}
_CITIZEN = {"citizen": True, "dispatcher": True, "audience": workflow.CITIZEN}  # the dispatcher: from a call

ACTIONS = (
    # The dispatcher (1022 centre)
    workflow.Action("verify", (S.RECEIVED,), S.VERIFIED, stamps={"verified_at": _now}, **_DISPATCHER),
    # "assign" from a received report verifies it first, then forwards it.
    workflow.Action("verify", (S.RECEIVED,), S.VERIFIED, command="assign", stamps={"verified_at": _now}, **_DISPATCHER),
    workflow.Action("assign", (S.VERIFIED,), S.ASSIGNED, stamps={"forwarded_at": _now}, **_DISPATCHER),
    workflow.Action("reject", (S.RECEIVED, S.VERIFIED), S.REJECTED, stamps={"closed_at": _now}, **_DISPATCHER),
    # A duplicate: refused ("reject") and merged into the report it repeats.
    workflow.Action("merge", (S.RECEIVED, S.VERIFIED), **_DISPATCHER),
    # The handling unit
    workflow.Action("accept", (S.ASSIGNED,), S.ACCEPTED, stamps={"accepted_at": _now}, **_HANDLER),
    workflow.Action("return", (S.ASSIGNED,), S.VERIFIED, **_HANDLER),
    # "progress" starts the work (accepted or reopened → in progress), then adds notes to it.
    workflow.Action("start", (S.ACCEPTED, S.REOPENED), S.IN_PROGRESS, command="progress", **_HANDLER),
    workflow.Action("progress", (S.IN_PROGRESS,), **_HANDLER),
    workflow.Action(
        # A quick fix needs no progress update first: the result may be recorded from "accepted" or "reopened".
        "resolve",
        (S.ACCEPTED, S.IN_PROGRESS, S.REOPENED),
        S.RESOLVED,
        stamps={"resolved_at": _now, "overdue": False},
        **_HANDLER,
    ),
    workflow.Action(
        "extend",
        tuple(HANDLING),
        guards=(
            workflow.Guard(_no_pending_extension, _("An extension is already waiting for a decision."), "new_date"),
        ),
        **_HANDLER,
    ),
    workflow.Action(
        "publish", (S.RESOLVED,), S.PUBLISHED, roles=PUBLISHER_ROLES, dispatcher=True, stamps={"published_at": _now}
    ),
    workflow.Action(
        "decide",
        tuple(Status.values),
        roles=(Role.LEADER,),
        dispatcher=True,
        guards=(workflow.Guard(_has_pending_extension, _("No extension is waiting for a decision."), "decision"),),
    ),
    workflow.Action("hide", tuple(PUBLIC), **_DISPATCHER),
    # The citizen (on the follow page)
    workflow.Action("rate", (S.PUBLISHED,), S.RATED, **_CITIZEN),
    workflow.Action(
        "reopen",
        (S.RATED,),
        S.REOPENED,
        guards=(workflow.Guard(_not_satisfied, _("A report rated as satisfactory is closed."), "reason"),),
        **_CITIZEN,
    ),
    # Closed when the citizen is satisfied (after "rate"), or by the sweep once nobody rated the result
    # within FEEDBACK_AUTO_CLOSE_DAYS working days.
    workflow.Action("close", (S.PUBLISHED, S.RATED), S.CLOSED, system=True, command=None, stamps={"closed_at": _now}),
)


class FeedbackAccess:
    """The 1022 system's people for the workflow: dispatchers (and platform administrators) act on
    every unit's reports, the staff of a unit on their unit's, the citizen on their own report."""

    def is_dispatcher(self, user) -> bool:
        return access.has_city_wide_change(user, system=SYSTEM)

    def in_unit(self, user, report, roles) -> bool:
        org = report.organisation_id
        return org is not None and access.can_change_organisation(user, org, system=SYSTEM) and user.has_role(*roles)

    def is_citizen(self, user, report, key: str) -> bool:
        if getattr(user, "is_authenticated", False) and report.citizen_id == user.pk:
            return True
        return bool(key) and hmac.compare_digest(key, report.citizen_key)

    def refusal(self, user, report, action) -> str:
        if action.citizen:
            return gettext("Only the person who sent the report can rate it.")
        if not action.roles or report.organisation_id is None:
            return gettext("Only the 1022 dispatchers may do this.")
        if not access.can_change_organisation(user, report.organisation_id, system=SYSTEM):
            return gettext("You may not change this organisation's records.")
        return gettext("Your role does not allow this action.")


# The report's fields its audit rows hold before and after each event.
TRACKED = (
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
)
TIMELINE = Timeline(event_model="feedback.ReportEvent", subject="report", tracked=TRACKED, audit=ReportAudit)
WORKFLOW = workflow.Workflow(
    name=SYSTEM,
    states=Status,
    actions=ACTIONS,
    access=FeedbackAccess(),
    timeline=TIMELINE,
    illegal_message=_("A report that is “%(from)s” cannot become “%(to)s”."),
    unavailable_message=_("This cannot be done to a report that is “%(from)s”."),
)
# from state → {to state: action name}: the edges of the table.
TRANSITIONS: dict[str, dict[str, str]] = {
    source: {target: edge.name for target, edge in targets.items()} for source, targets in WORKFLOW.edges.items()
}


def allowed(from_state: str, to_state: str) -> bool:
    return WORKFLOW.allowed(from_state, to_state)


def action_for(from_state: str, to_state: str) -> str:
    return WORKFLOW.edge(from_state, to_state).name
