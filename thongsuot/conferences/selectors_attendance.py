"""The roll-call of a meeting, read from Janus' events (participations) and the host's own marks.

Per invited endpoint: its first join, last leave, minutes in the room, how many times it joined, and a
status: present, late (first joined more than LATE_AFTER after the meeting began), left early (gone
more than EARLY_BEFORE before it ended) or absent (never joined); the host's mark overrides it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.conferences import SYSTEM
from thongsuot.conferences.models import AttendanceMark, Endpoint, Meeting, Participation
from thongsuot.conferences.states import WORKFLOW

LATE_AFTER = timedelta(minutes=10)
EARLY_BEFORE = timedelta(minutes=10)

STATUS_LABELS = {
    "present": _("Present"),
    "late": _("Late"),
    "left_early": _("Left early"),
    "absent": _("Absent"),
}


@dataclass
class AttendanceRow:
    endpoint: Endpoint
    status: str
    first_joined: datetime | None = None
    last_left: datetime | None = None
    minutes: int = 0
    joins: int = 0
    late: bool = False
    left_early: bool = False
    in_room: bool = False
    mark: AttendanceMark | None = None
    stays: list = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def can_view_attendance(user, meeting) -> bool:
    """The host (chair, the organiser unit's organisers, platform administrators) and those who see
    every unit's records."""
    return WORKFLOW.permits(user, meeting, WORKFLOW.entries("mark")[0]) or access.has_city_wide_view(
        user, system=SYSTEM
    )


def _bounds(meeting: Meeting, now) -> tuple[datetime, datetime]:
    began = max(meeting.starts_at, meeting.started_at or meeting.starts_at)
    ended = meeting.ended_at or min(now, meeting.ends_at)
    return began, ended


def attendance(*, meeting: Meeting, now=None) -> list[AttendanceRow]:
    now = now or timezone.now()
    began, ended = _bounds(meeting, now)
    stays: dict[int, list[Participation]] = {}
    for stay in meeting.participations.order_by("joined_at", "pk"):
        stays.setdefault(stay.endpoint_id, []).append(stay)
    marks = {m.endpoint_id: m for m in meeting.attendance_marks.all()}
    rows = []
    for endpoint in meeting.endpoints.select_related("organisation").order_by("organisation__name", "code"):
        own = stays.get(endpoint.pk, [])
        row = AttendanceRow(endpoint=endpoint, status="absent", mark=marks.get(endpoint.pk), stays=own)
        if own:
            row.first_joined = own[0].joined_at
            row.in_room = any(s.left_at is None for s in own)
            row.last_left = None if row.in_room else max(s.left_at for s in own)
            seconds = sum(((s.left_at or min(now, ended)) - s.joined_at).total_seconds() for s in own)
            row.minutes = max(0, round(seconds / 60))
            row.joins = len(own)
            row.late = row.first_joined > began + LATE_AFTER
            row.left_early = row.last_left is not None and row.last_left < ended - EARLY_BEFORE
            row.status = "late" if row.late else "left_early" if row.left_early else "present"
        if row.mark is not None:
            row.status = row.mark.mark
        rows.append(row)
    return rows


def attendance_counts(rows: list[AttendanceRow]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
