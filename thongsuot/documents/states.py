"""The states of a document and the outgoing workflow table (thongsuot.core.workflow): the one place
that decides who may do what.

Outgoing: draft (versions) → review → approved → signed → issued; review → draft (returned with a
reason). Issuing takes the number, seals and registers the document and delivers it: each recipient on
the platform gets an incoming document in the "arrived" state (its clerk's incoming queue).
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core import workflow
from thongsuot.core.timeline import Timeline
from thongsuot.documents import SYSTEM
from thongsuot.documents.audit_actions import DocumentAudit


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Issued")
    ARRIVED = "arrived", _("Arrived")
    REGISTERED = "registered", _("Registered")
    SENT_BACK = "sent_back", _("Returned to the sender")
    HANDLING = "handling", _("Being handled")
    DONE = "done", _("Handled")
    RECALLED = "recalled", _("Recalled")
    WITHDRAWN = "withdrawn", _("Withdrawn (recall confirmed)")


S = Status

DRAFTER_ROLES = (Role.SPECIALIST, Role.CLERK, Role.UNIT_ADMIN, Role.LEADER)
LEADER_ROLES = (Role.LEADER,)
CLERK_ROLES = (Role.CLERK,)
# Not roles: the people a leader's instruction names on the document (its handlers, and its lead handler).
HANDLER = "documents:handler"
LEAD_HANDLER = "documents:lead_handler"
NAMED = (HANDLER, LEAD_HANDLER)


def _source_recalled(document) -> bool:
    return document.source_id is not None and document.source.status == Status.RECALLED


def _has_file(document) -> bool:
    return document.files.exists()


def _has_pdf(document) -> bool:
    current = document.current_file()
    return current is not None and current.kind in ("pdf", "signed_pdf")


ACTIONS = (
    workflow.Action("revise", (S.DRAFT,), roles=DRAFTER_ROLES),
    workflow.Action(
        "submit",
        (S.DRAFT,),
        S.REVIEW,
        roles=DRAFTER_ROLES,
        guards=(workflow.Guard(_has_file, _("Attach the draft's file first."), "file"),),
    ),
    workflow.Action("return", (S.REVIEW, S.APPROVED), S.DRAFT, roles=LEADER_ROLES),
    workflow.Action("approve", (S.REVIEW,), S.APPROVED, roles=LEADER_ROLES),
    workflow.Action(
        "sign",
        (S.APPROVED,),
        S.SIGNED,
        roles=LEADER_ROLES,
        guards=(workflow.Guard(_has_pdf, _("Only a PDF can be signed: attach the final version as PDF."), "file"),),
    ),
    workflow.Action("issue", (S.SIGNED,), S.ISSUED, roles=CLERK_ROLES),
    # Incoming: a copy arrives by itself when its sender issues it; the clerk registers it with the next
    # arrival number, or sends it back to the sender with a reason.
    workflow.Action("arrive", (), S.ARRIVED, system=True, command=None),
    workflow.Action("register", (S.ARRIVED,), S.REGISTERED, roles=CLERK_ROLES),
    workflow.Action("send_back", (S.ARRIVED,), S.SENT_BACK, roles=CLERK_ROLES),
    # Direction and handling: the leader's instruction names the handlers and the deadline; every handler
    # reports progress; the lead handler completes it.
    workflow.Action("direct", (S.REGISTERED,), S.HANDLING, roles=LEADER_ROLES),
    workflow.Action("progress", (S.HANDLING,), roles=(HANDLER, LEAD_HANDLER)),
    workflow.Action("complete", (S.HANDLING,), S.DONE, roles=(LEAD_HANDLER,)),
    # Recall (thu hồi): the issuing unit's leader recalls an issued document; each receiving clerk confirms
    # its copy withdrawn (only once the sender has recalled it).
    workflow.Action("recall", (S.ISSUED,), S.RECALLED, roles=LEADER_ROLES),
    workflow.Action(
        "confirm_recall",
        (S.ARRIVED, S.REGISTERED, S.HANDLING, S.DONE),
        S.WITHDRAWN,
        roles=CLERK_ROLES,
        guards=(workflow.Guard(_source_recalled, _("The sender has not recalled this document.")),),
    ),
)


def is_handler(user, document, *, lead: bool = False) -> bool:
    """Is `user` named as a handler (or, with `lead`, as the lead handler) of the document's instruction?"""
    instruction = getattr(document, "instruction", None)
    if not getattr(user, "pk", None) or instruction is None:
        return False
    found = instruction.handlers.filter(user_id=user.pk)
    return found.filter(lead=True).exists() if lead else found.exists()


class DocumentsAccess:
    """Staff of the document's organisation act on it with their role; platform administrators on all."""

    def is_dispatcher(self, user) -> bool:
        return access.has_city_wide_change(user, system=SYSTEM)

    def in_unit(self, user, document, roles) -> bool:
        if not access.can_change_organisation(user, document.organisation_id, system=SYSTEM):
            return False
        if not document.named_on(user):  # a secret document: only the people named on it
            return False
        if set(roles) & set(NAMED) and is_handler(user, document, lead=HANDLER not in roles):
            return True
        real = [role for role in roles if role not in NAMED]
        return bool(real) and user.has_role(*real)

    def is_citizen(self, user, document, key: str) -> bool:
        return False

    def refusal(self, user, document, action) -> str:
        if not access.can_change_organisation(user, document.organisation_id, system=SYSTEM):
            return gettext("You may not change this organisation's records.")
        return gettext("Your role does not allow this action.")


TRACKED = ("status", "number", "notation", "issued_on", "arrival_number", "signer", "signature_check")
TIMELINE = Timeline(event_model="documents.DocumentEvent", subject="document", tracked=TRACKED, audit=DocumentAudit)
WORKFLOW = workflow.Workflow(
    name=SYSTEM,
    states=Status,
    actions=ACTIONS,
    access=DocumentsAccess(),
    timeline=TIMELINE,
    illegal_message=_("A document that is “%(from)s” cannot become “%(to)s”."),
    unavailable_message=_("This cannot be done to a document that is “%(from)s”."),
)
