"""The states of a citizen report and the transitions allowed between them: the one place that decides.

received → verified | rejected; verified → assigned | rejected; assigned → accepted | verified (returned:
"not ours", back to the dispatcher for re-routing); accepted → in_progress → resolved (or straight from
accepted to resolved) → published → rated → closed; rated (not satisfied) → reopened → in_progress (or
resolved); published and never rated → closed after FEEDBACK_AUTO_CLOSE_DAYS working days.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
# from state → {to state: action name}. The action names the audit rows and the timeline.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.RECEIVED: {S.VERIFIED: "verify", S.REJECTED: "reject"},
    S.VERIFIED: {S.ASSIGNED: "assign", S.REJECTED: "reject"},
    S.ASSIGNED: {S.ACCEPTED: "accept", S.VERIFIED: "return"},
    # A handler may record the result straight from "accepted" or "reopened": a quick fix needs no
    # progress update first.
    S.ACCEPTED: {S.IN_PROGRESS: "start", S.RESOLVED: "resolve"},
    S.IN_PROGRESS: {S.RESOLVED: "resolve"},
    S.RESOLVED: {S.PUBLISHED: "publish"},
    # Closed without a rating once the citizen has had FEEDBACK_AUTO_CLOSE_DAYS working days to rate.
    S.PUBLISHED: {S.RATED: "rate", S.CLOSED: "close"},
    S.RATED: {S.CLOSED: "close", S.REOPENED: "reopen"},
    S.REOPENED: {S.IN_PROGRESS: "start", S.RESOLVED: "resolve"},
}

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


class TransitionError(ValidationError):
    """An attempt to move a report along a transition the table does not allow."""


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, {})


def action_for(from_state: str, to_state: str) -> str:
    try:
        return TRANSITIONS[from_state][to_state]
    except KeyError:
        raise TransitionError(
            _("A report that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(from_state).label, "to": Status(to_state).label},
            code="illegal_transition",
        ) from None


def next_states(from_state: str) -> list[str]:
    return list(TRANSITIONS.get(from_state, {}))
