"""When a dossier of a procedure is due, from the moment it is received: the procedure's time in working
days or working hours, counted in office hours (core.calendar), from the next working day when it is
received after the procedure's cut-off hour or on a day off; each step due at its share of the time; a
pause (waiting for additional documents) moves the due time by the office hours it took.

A time in working days counts as that many full office days (8 hours each with the city's office hours):
received on Monday at 09:00 with 3 working days, due on Thursday at 09:00."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from thongsuot.core import calendar
from thongsuot.procedures.models import Procedure


def total_hours(procedure: Procedure) -> float:
    amount = float(procedure.time_amount)
    if procedure.time_unit == Procedure.TimeUnit.WORKING_DAYS:
        return amount * calendar.office_hours_per_day()
    return amount


def counting_start(procedure: Procedure, received_at: datetime.datetime) -> datetime.datetime:
    """The moment the clock starts: `received_at`, or the start of the next working day when it is
    received on a day off or after the cut-off hour (the city's time)."""
    local = calendar.city_time(received_at)
    late = procedure.cutoff_hour is not None and local.time() >= procedure.cutoff_hour
    if late or not calendar.is_working_day(local.date()):
        next_day = calendar.add_working_days(local.date(), 1)
        return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=timezone.get_default_timezone())
    return local


def due_at(procedure: Procedure, received_at: datetime.datetime) -> datetime.datetime:
    return calendar.add_working_hours(counting_start(procedure, received_at), total_hours(procedure))


@dataclass(frozen=True)
class StepDue:
    index: int
    name: str
    body: str
    role: str
    share: int
    due_at: datetime.datetime


def step_due_times(procedure: Procedure, received_at: datetime.datetime) -> list[StepDue]:
    """Each step's due time: the end of its share of the time, the shares taken in order."""
    start, hours = counting_start(procedure, received_at), total_hours(procedure)
    steps, done = [], 0
    for index, step in enumerate(procedure.steps):
        done += step["share"]
        moment = calendar.add_working_hours(start, hours * done / 100)
        steps.append(StepDue(index, step["name"], step["body"], step["role"], step["share"], moment))
    return steps


def resumed_due(
    due: datetime.datetime, *, paused_at: datetime.datetime, resumed_at: datetime.datetime
) -> datetime.datetime:
    """The due time after a pause from `paused_at` to `resumed_at`: what was left when the clock stopped,
    counted again from when it restarts."""
    left = calendar.working_hours_between(paused_at, due)
    return calendar.add_working_hours(resumed_at, left)
