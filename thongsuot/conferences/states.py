"""The states of a meeting, its workflow table and its timeline.

scheduled → live (the chair opens it) → ended; scheduled → cancelled. A scheduled meeting may be
changed ("update", no state change): everyone invited is told again.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.conferences import SYSTEM
from thongsuot.conferences.audit_actions import MeetingAudit
from thongsuot.core import workflow
from thongsuot.core.timeline import Timeline


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
FINAL = frozenset({S.ENDED, S.CANCELLED})
# Who organises meetings in the organiser unit (with platform administrators, who act on every unit's).
ORGANISER_ROLES = (Role.LEADER, Role.UNIT_ADMIN, Role.CLERK)

ACTION_LABELS = {
    "schedule": _("Scheduled"),
    "update": _("Changed"),
    "start": _("Opened"),
    "end": _("Ended"),
    "cancel": _("Cancelled"),
    "attach": _("Document attached"),
}


def _now():
    return timezone.now()


_ORGANISER = {"roles": ORGANISER_ROLES, "dispatcher": True}

ACTIONS = (
    workflow.Action("update", (S.SCHEDULED,), **_ORGANISER),
    workflow.Action("attach", (S.SCHEDULED, S.LIVE), **_ORGANISER),
    workflow.Action(
        "start",
        (S.SCHEDULED,),
        S.LIVE,
        stamps={"started_at": _now},
        **_ORGANISER,
    ),
    workflow.Action("end", (S.LIVE,), S.ENDED, stamps={"ended_at": _now}, **_ORGANISER),
    workflow.Action("cancel", (S.SCHEDULED,), S.CANCELLED, **_ORGANISER),
    # The chair's console: mute, the floor, removal (no state change; audited by their services).
    workflow.Action("moderate", (S.LIVE,), **_ORGANISER),
    # The host's attendance marks (an endpoint that joined by phone, or failed to connect).
    workflow.Action("mark", (S.LIVE, S.ENDED), **_ORGANISER),
)


class ConferencesAccess:
    """Platform administrators act on every unit's meetings; the organiser unit's leaders, unit
    administrators and clerks on their own unit's, and the chair on the meetings they chair."""

    def is_dispatcher(self, user) -> bool:
        return access.has_city_wide_change(user, system=SYSTEM)

    def in_unit(self, user, meeting, roles) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if meeting.chair_id == user.pk:
            return True
        return access.can_change_organisation(user, meeting.organisation_id, system=SYSTEM) and user.has_role(*roles)

    def is_citizen(self, user, meeting, key) -> bool:
        return False

    def refusal(self, user, meeting, action) -> str:
        if not access.can_change_organisation(user, meeting.organisation_id, system=SYSTEM):
            return gettext("You may not change this organisation's records.")
        return gettext("Your role does not allow this action.")


TRACKED = ("status", "title", "starts_at", "ends_at", "agenda", "chair", "janus_server", "janus_room", "cancel_reason")
TIMELINE = Timeline(event_model="conferences.MeetingEvent", subject="meeting", tracked=TRACKED, audit=MeetingAudit)
WORKFLOW = workflow.Workflow(
    name=SYSTEM,
    states=Status,
    actions=ACTIONS,
    access=ConferencesAccess(),
    timeline=TIMELINE,
    illegal_message=_("A meeting that is “%(from)s” cannot become “%(to)s”."),
    unavailable_message=_("This cannot be done to a meeting that is “%(from)s”."),
)
