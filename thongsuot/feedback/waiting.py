"""Selectors: what waits for a staff member in the 1022 system (the counts of their front page).

Every count is scoped through `feedback.selectors.report_list` (so through `accounts.access`): a unit's
staff count their own unit's reports, the dispatchers and the city's leaders every unit's.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.feedback import SYSTEM, selectors, states
from thongsuot.feedback.models import Extension
from thongsuot.feedback.services._common import HANDLER_ROLES, PUBLISHER_ROLES
from thongsuot.feedback.states import Status


@dataclass
class Waiting:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False


def _list_url(status: str = "") -> str:
    return reverse("feedback:staff_home") + (f"?status={status}" if status else "")


def work_waiting(*, user) -> list[Waiting]:
    """The 1022 work waiting for `user`, by what their roles let them do; [] for those who do none."""
    if not getattr(user, "is_authenticated", False) or user.kind != "staff":
        return []
    city_change = access.has_city_wide_change(user, system=SYSTEM)
    dispatcher = access.has_city_wide_view(user, system=SYSTEM) and city_change
    handler = city_change or user.has_role(*HANDLER_ROLES)
    publisher = city_change or user.has_role(*PUBLISHER_ROLES)
    leader = city_change or user.has_role(Role.LEADER)
    reports = selectors.report_list(user=user)
    counts = reports.aggregate(
        dispatch=Count("pk", filter=Q(status__in=states.DISPATCH)),
        assigned=Count("pk", filter=Q(status=Status.ASSIGNED)),
        accepted=Count("pk", filter=Q(status=Status.ACCEPTED)),
        working=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
        reopened=Count("pk", filter=Q(status=Status.REOPENED)),
        resolved=Count("pk", filter=Q(status=Status.RESOLVED)),
        overdue=Count("pk", filter=Q(overdue=True, status__in=states.HANDLING)),
    )
    rows = []
    if dispatcher:
        rows.append(Waiting("dispatch", _("Reports to route"), counts["dispatch"], reverse("feedback:queue")))
    if handler:
        rows.append(Waiting("assigned", _("Reports to accept"), counts["assigned"], _list_url(Status.ASSIGNED)))
        rows.append(Waiting("accepted", _("Accepted, not started"), counts["accepted"], _list_url(Status.ACCEPTED)))
        rows.append(Waiting("working", _("Reports in progress"), counts["working"], _list_url(Status.IN_PROGRESS)))
        if counts["reopened"]:
            rows.append(
                Waiting("reopened", _("Reopened by the citizen"), counts["reopened"], _list_url(Status.REOPENED), True)
            )
    if publisher:
        rows.append(Waiting("resolved", _("Results to publish"), counts["resolved"], _list_url(Status.RESOLVED)))
    if handler or dispatcher or not rows:
        rows.append(
            Waiting(
                "overdue",
                _("Overdue reports"),
                counts["overdue"],
                reverse("feedback:escalations"),
                counts["overdue"] > 0,
            )
        )
    if leader:
        pending = Extension.objects.filter(decision=Extension.Decision.PENDING, report__in=reports.values("pk"))
        rows.append(
            Waiting(
                "extensions",
                _("Extensions to decide"),
                pending.count(),
                "#extensions",
            )
        )
    return rows


def extensions_waiting(*, user, limit: int = 10):
    """The reports whose extension request waits for `user`'s decision (leaders), oldest request first."""
    if not (access.has_city_wide_change(user, system=SYSTEM) or user.has_role(Role.LEADER)):
        return []
    reports = selectors.report_list(user=user)
    return list(
        Extension.objects.filter(decision=Extension.Decision.PENDING, report__in=reports.values("pk"))
        .select_related("report")
        .order_by("requested_at")[:limit]
    )
