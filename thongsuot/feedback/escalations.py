"""Reads for the escalation list: what is overdue, what falls due soon, what waits too long for routing.

The city (city-wide roles) sees every unit; a unit's staff see their own unit."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from thongsuot.core.calendar import add_working_days
from thongsuot.feedback import states
from thongsuot.feedback.models import Report
from thongsuot.feedback.selectors import report_list

# Target from the 1022 rules: a report is forwarded to the responsible body within 5 minutes.
FORWARDING_TARGET = timedelta(minutes=5)


@dataclass
class UnitEscalation:
    organisation_id: int
    organisation: str
    overdue: int
    due_soon: int
    oldest_due: date | None
    reports: list = field(default_factory=list)


def overdue_reports(*, user) -> QuerySet[Report]:
    return report_list(user=user, status=list(states.HANDLING)).filter(overdue=True).order_by("due_date", "id")


def escalation_by_unit(*, user, today: date | None = None) -> list[UnitEscalation]:
    """Per unit with something overdue or due within FEEDBACK_REMIND_DAYS_BEFORE working days, worst first."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.FEEDBACK_REMIND_DAYS_BEFORE)
    handling = report_list(user=user, status=list(states.HANDLING)).filter(organisation__isnull=False)
    rows = (
        handling.filter(Q(overdue=True) | Q(due_date__lte=horizon))
        .values("organisation_id", "organisation__name")
        .annotate(
            n_overdue=Count("id", filter=Q(overdue=True)),
            n_due_soon=Count("id", filter=Q(overdue=False, due_date__gte=today, due_date__lte=horizon)),
            oldest_due=Min("due_date", filter=Q(overdue=True)),
        )
        .order_by("-n_overdue", "oldest_due", "organisation__name")
    )
    return [
        UnitEscalation(
            organisation_id=r["organisation_id"],
            organisation=r["organisation__name"],
            overdue=r["n_overdue"],
            due_soon=r["n_due_soon"],
            oldest_due=r["oldest_due"],
        )
        for r in rows
        if r["n_overdue"] or r["n_due_soon"]
    ]


def waiting_for_routing(*, user, now=None) -> QuerySet[Report]:
    """Reports still with the dispatchers longer than the forwarding target, oldest first."""
    now = now or timezone.now()
    return (
        report_list(user=user, status=list(states.DISPATCH))
        .filter(received_at__lt=now - FORWARDING_TARGET)
        .order_by("received_at")
    )
