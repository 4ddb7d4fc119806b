"""The states of a dossier (hồ sơ), its workflow table and its timeline: the one place that decides.

submitted (online, waiting for the desk's check) → received (accepted: receipt and appointment, the clock
runs) → processing (at the procedure's steps, in the deciding unit) → approval (the leader's step) →
approved → returned (the result handed back). The desk or the processing unit may ask once for additional
documents (additional: the clock stops until they arrive, then the dossier goes back where it was); the
desk or the deciding unit may refuse it with a reason; the applicant may withdraw it before processing.

A dossier is handled by two units: the one whose one-stop desk received it (`receiving_unit`) and the one
that decides (`deciding_unit`, the same unit or another when received regardless of residence). Who acts
depends on the state: the desk while it is at the desk, the deciding unit while it is processed.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.roles import LEADER, ONE_STOP_OFFICER, SPECIALIST, UNIT_ADMIN
from thongsuot.core import workflow
from thongsuot.core.timeline import Timeline
from thongsuot.procedures.audit_actions import DossierAudit

SYSTEM = "procedures"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, to be checked")
    RECEIVED = "received", _("Received")
    ADDITIONAL = "additional", _("Waiting for additional documents")
    PROCESSING = "processing", _("Processing")
    APPROVAL = "approval", _("Waiting for approval")
    APPROVED = "approved", _("Approved, result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    DESK = "desk", _("At the one-stop desk")


S = Status

# Handled by the one-stop desk of the receiving unit; the other states by the deciding unit.
AT_DESK = frozenset({S.SUBMITTED, S.RECEIVED, S.ADDITIONAL, S.APPROVED, S.RETURNED, S.REFUSED, S.WITHDRAWN})
AT_DECIDING_UNIT = frozenset({S.PROCESSING, S.APPROVAL})
FINAL = frozenset({S.RETURNED, S.REFUSED, S.WITHDRAWN})
# The legal clock runs (received, not finished, not paused).
RUNNING = frozenset({S.RECEIVED, S.PROCESSING, S.APPROVAL})

DESK_ROLES = (ONE_STOP_OFFICER, UNIT_ADMIN)
HANDLER_ROLES = (SPECIALIST, UNIT_ADMIN, LEADER)
APPROVER_ROLES = (LEADER,)

ACTION_LABELS = {
    "submit": _("Submitted online"),
    "intake": _("Brought to the one-stop desk"),
    "accept": _("Received: receipt and appointment issued"),
    "request_additional": _("Additional documents requested"),
    "supply_additional": _("Additional documents supplied"),
    "refuse": _("Refused"),
    "forward": _("Forwarded to the deciding unit"),
    "complete_step": _("Step completed"),
    "approve": _("Approved by the leader"),
    "return_result": _("Result returned"),
    "withdraw": _("Withdrawn by the applicant"),
    "late": _("Past the due time"),
    "apologise": _("Apology and new date sent"),
    "rate": _("Rated by the applicant"),
    "due_warned": _("Due time reminder sent"),
    "pay": _("Fee paid"),
}
ACTOR_LABELS = {"citizen": _("Applicant"), "system": _("System")}

TransitionError = workflow.TransitionError


def _now():
    return timezone.now()


def _never_asked(dossier) -> bool:
    return dossier.additional_requests == 0


def _past_due(dossier) -> bool:
    return dossier.due_at is not None and (dossier.late or dossier.due_at < timezone.now())


def _not_apologised(dossier) -> bool:
    return dossier.apologised_at is None


def _fee_due(dossier) -> bool:
    return dossier.fee > 0 and dossier.fee_paid_at is None


def _not_rated(dossier) -> bool:
    return dossier.rating is None


_DESK = {"roles": DESK_ROLES}
_HANDLER = {"roles": HANDLER_ROLES}
_ONCE = workflow.Guard(_never_asked, _("Additional documents may be requested only once."), "missing")

ACTIONS = (
    workflow.Action("accept", (S.SUBMITTED,), S.RECEIVED, **_DESK),
    workflow.Action("request_additional", (S.SUBMITTED, S.RECEIVED), S.ADDITIONAL, guards=(_ONCE,), **_DESK),
    workflow.Action("request_additional", (S.PROCESSING,), S.ADDITIONAL, guards=(_ONCE,), **_HANDLER),
    # Supplied at the desk, or online by the applicant; the dossier goes back where it was (the service
    # takes one of the two edges below).
    workflow.Action("supply_additional", (S.ADDITIONAL,), citizen=True, **_DESK),
    workflow.Action("supply_additional", (S.ADDITIONAL,), S.SUBMITTED, system=True, command=None),
    workflow.Action("supply_additional", (S.ADDITIONAL,), S.RECEIVED, system=True, command=None),
    workflow.Action("supply_additional", (S.ADDITIONAL,), S.PROCESSING, system=True, command=None),
    workflow.Action("refuse", (S.SUBMITTED, S.RECEIVED, S.ADDITIONAL), S.REFUSED, stamps={"closed_at": _now}, **_DESK),
    workflow.Action("refuse", (S.PROCESSING, S.APPROVAL), S.REFUSED, stamps={"closed_at": _now}, **_HANDLER),
    workflow.Action("forward", (S.RECEIVED,), S.PROCESSING, **_DESK),
    # "complete_step" finishes the current processing step; the last one sends it to the leader.
    workflow.Action("complete_step", (S.PROCESSING,), **_HANDLER),
    workflow.Action("complete_step", (S.PROCESSING,), S.APPROVAL, system=True, command=None),
    workflow.Action("approve", (S.APPROVAL,), S.APPROVED, roles=APPROVER_ROLES, stamps={"approved_at": _now}),
    workflow.Action("return_result", (S.APPROVED,), S.RETURNED, stamps={"closed_at": _now}, **_DESK),
    # A late dossier: the apology and the new date (Mẫu 04), once, by the unit processing it.
    workflow.Action(
        "apologise",
        (S.RECEIVED, S.PROCESSING, S.APPROVAL),
        guards=(
            workflow.Guard(_past_due, _("Only a dossier past its due time needs an apology."), "new_due_at"),
            workflow.Guard(_not_apologised, _("The apology was already sent."), "new_due_at"),
        ),
        roles=HANDLER_ROLES + DESK_ROLES,
    ),
    # The fee: recorded at the desk, or paid online by the applicant (payments.py), with its receipt.
    workflow.Action(
        "pay",
        (S.SUBMITTED, S.RECEIVED, S.ADDITIONAL, S.APPROVED),
        citizen=True,
        guards=(workflow.Guard(_fee_due, _("No fee is due on this dossier."), "fee"),),
        **_DESK,
    ),
    workflow.Action(
        "rate",
        (S.RETURNED,),
        citizen=True,
        guards=(workflow.Guard(_not_rated, _("The service was already rated."), "rating"),),
    ),
    workflow.Action(
        "withdraw",
        (S.SUBMITTED, S.RECEIVED, S.ADDITIONAL),
        S.WITHDRAWN,
        citizen=True,
        stamps={"closed_at": _now},
        **_DESK,
    ),
)


def acting_unit_id(dossier) -> int | None:
    """The unit whose staff act on the dossier in its current state."""
    return dossier.deciding_unit_id if dossier.status in AT_DECIDING_UNIT else dossier.receiving_unit_id


class ProceduresAccess:
    """The desk of the receiving unit acts while the dossier is at the desk, the deciding unit while it is
    processed; platform administrators act on every unit's dossiers; the applicant on their own."""

    def is_dispatcher(self, user) -> bool:
        return False

    def in_unit(self, user, dossier, roles) -> bool:
        unit = acting_unit_id(dossier)
        if not getattr(user, "is_authenticated", False) or getattr(user, "kind", "") != "staff":
            return False
        if access.has_city_wide_change(user, system=SYSTEM):
            return True
        return access.can_change_organisation(user, unit, system=SYSTEM) and user.has_role(*roles)

    def is_citizen(self, user, dossier, key: str) -> bool:
        return bool(getattr(user, "is_authenticated", False) and dossier.citizen_id and dossier.citizen_id == user.pk)

    def refusal(self, user, dossier, action) -> str:
        if not access.can_change_organisation(user, acting_unit_id(dossier), system=SYSTEM):
            return gettext("You may not change this organisation's records.")
        return gettext("Your role does not allow this action.")


TRACKED = (
    "status",
    "deciding_unit",
    "received_at",
    "due_at",
    "paused_at",
    "paused_from",
    "additional_requests",
    "missing",
    "current_step",
    "refusal_reason",
    "late",
    "apologised_at",
    "original_due_at",
    "rating",
    "fee_paid_at",
    "fee_receipt",
    "approved_at",
    "closed_at",
)
TIMELINE = Timeline(
    event_model="procedures.DossierEvent",
    subject="dossier",
    tracked=TRACKED,
    audit=DossierAudit,
    anonymous="citizen",
    organisation=lambda dossier: dossier.receiving_unit_id,
)
WORKFLOW = workflow.Workflow(
    name=SYSTEM,
    states=Status,
    actions=ACTIONS,
    access=ProceduresAccess(),
    timeline=TIMELINE,
    illegal_message=_("A dossier that is “%(from)s” cannot become “%(to)s”."),
    unavailable_message=_("This cannot be done to a dossier that is “%(from)s”."),
)
