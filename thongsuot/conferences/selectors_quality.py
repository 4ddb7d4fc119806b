"""Connection quality per endpoint, from Janus' media statistics (QualitySample rows).

Raw figures jump from one report to the next, so nothing is graded on one sample: each figure is smoothed
(an exponentially weighted mean, ALPHA per new sample, over the stream's samples in time order) and the
smoothed values are graded:

- green: link quality ≥ 90, round-trip < 300 ms, jitter < 30 ms;
- amber: link quality ≥ 70, round-trip < 600 ms, jitter < 60 ms;
- red: worse than amber.

An endpoint's grade is its worst stream's (audio or video). Figures Janus did not give are not graded."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thongsuot.conferences.models import Meeting, QualitySample

ALPHA = 0.3
LIVE_WINDOW = timedelta(seconds=60)
GREEN, AMBER, RED = "green", "amber", "red"
GRADES = (GREEN, AMBER, RED)
GRADE_LABELS = {GREEN: _("Good"), AMBER: _("Fair"), RED: _("Poor")}
# (link quality at least, round-trip below, jitter below) for green and for amber
LIMITS = {GREEN: (90, 300, 30), AMBER: (70, 600, 60)}


def smooth(values: list, alpha: float = ALPHA) -> list:
    """The running exponentially weighted mean of `values` (None kept out: the mean so far stands)."""
    out, mean = [], None
    for value in values:
        if value is not None:
            mean = value if mean is None else alpha * value + (1 - alpha) * mean
        out.append(mean)
    return out


def grade(*, quality=None, rtt=None, jitter=None) -> str | None:
    """The grade of smoothed figures; None when there is no figure at all."""
    if quality is None and rtt is None and jitter is None:
        return None
    for name in (GREEN, AMBER):
        min_quality, max_rtt, max_jitter = LIMITS[name]
        if (
            (quality is None or quality >= min_quality)
            and (rtt is None or rtt < max_rtt)
            and (jitter is None or jitter < max_jitter)
        ):
            return name
    return RED


def _worst(grades) -> str | None:
    present = [g for g in grades if g]
    return max(present, key=GRADES.index) if present else None


@dataclass
class StreamFigures:
    media: str
    samples: int = 0
    quality: float | None = None
    rtt: float | None = None
    jitter: float | None = None
    kbps_in: float | None = None
    kbps_out: float | None = None
    lost: int = 0
    grades: list = field(default_factory=list)

    @property
    def grade(self) -> str | None:
        return self.grades[-1] if self.grades else None


def _figures(samples: list[QualitySample], media: str) -> StreamFigures:
    figures = StreamFigures(media=media, samples=len(samples))
    quality = smooth([s.link_quality for s in samples])
    rtt = smooth([s.rtt for s in samples])
    jitter = smooth([s.jitter for s in samples])
    figures.grades = [grade(quality=q, rtt=r, jitter=j) for q, r, j in zip(quality, rtt, jitter, strict=True)]
    figures.quality, figures.rtt, figures.jitter = quality[-1], rtt[-1], jitter[-1]
    figures.kbps_in = smooth([s.kbps_in for s in samples])[-1]
    figures.kbps_out = smooth([s.kbps_out for s in samples])[-1]
    # `lost` is a running count per stay: the last of each stay, summed
    last_per_stay = {}
    for sample in samples:
        if sample.lost is not None:
            last_per_stay[sample.participation_id] = sample.lost
    figures.lost = sum(last_per_stay.values())
    return figures


@dataclass
class EndpointQuality:
    endpoint: object
    in_room: bool = False
    streams: dict = field(default_factory=dict)  # media → StreamFigures
    grade: str | None = None
    share_red: float = 0.0
    share_amber: float = 0.0

    @property
    def grade_label(self) -> str:
        return str(GRADE_LABELS[self.grade]) if self.grade else ""

    @property
    def audio(self):
        return self.streams.get("audio")

    @property
    def video(self):
        return self.streams.get("video")


def _by_endpoint(samples) -> dict[int, dict[str, list]]:
    grouped: dict[int, dict[str, list]] = {}
    for sample in samples:
        grouped.setdefault(sample.endpoint_id, {}).setdefault(sample.media, []).append(sample)
    return grouped


def live_board(*, meeting: Meeting, now=None) -> list[EndpointQuality]:
    """Every invited endpoint: in the room or not, and its smoothed grade over the last minute."""
    now = now or timezone.now()
    recent = QualitySample.objects.filter(meeting=meeting, at__gte=now - LIVE_WINDOW).order_by("at", "pk")
    grouped = _by_endpoint(recent)
    present = set(meeting.participations.filter(left_at__isnull=True).values_list("endpoint_id", flat=True))
    rows = []
    for endpoint in meeting.endpoints.select_related("organisation").order_by("organisation__name", "code"):
        row = EndpointQuality(endpoint=endpoint, in_room=endpoint.pk in present)
        if row.in_room:
            row.streams = {media: _figures(s, media) for media, s in grouped.get(endpoint.pk, {}).items()}
            row.grade = _worst(f.grade for f in row.streams.values())
        rows.append(row)
    order = {RED: 0, AMBER: 1, GREEN: 2, None: 3}
    rows.sort(key=lambda r: (not r.in_room, order[r.grade]))  # the worst first, the absent last
    return rows


def summary(*, meeting: Meeting) -> list[EndpointQuality]:
    """After (or during) the meeting: per endpoint that sent figures, the smoothed figures at the end,
    the share of the time it was red or amber, and its worst grade held for most of the meeting."""
    grouped = _by_endpoint(QualitySample.objects.filter(meeting=meeting).order_by("at", "pk"))
    endpoints = {e.pk: e for e in meeting.endpoints.select_related("organisation").filter(pk__in=grouped)}
    rows = []
    for endpoint_id, streams in grouped.items():
        if endpoint_id not in endpoints:
            continue
        row = EndpointQuality(endpoint=endpoints[endpoint_id])
        row.streams = {media: _figures(s, media) for media, s in streams.items()}
        graded = [g for f in row.streams.values() for g in f.grades if g]
        if graded:
            row.share_red = graded.count(RED) / len(graded)
            row.share_amber = graded.count(AMBER) / len(graded)
            row.grade = RED if row.share_red >= 0.1 else AMBER if row.share_red + row.share_amber >= 0.1 else GREEN
        rows.append(row)
    order = {RED: 0, AMBER: 1, GREEN: 2, None: 3}
    rows.sort(key=lambda r: (order[r.grade], -r.share_red, r.endpoint.organisation.name))
    return rows


@dataclass
class EndpointHistory:
    endpoint: object
    meetings: int = 0
    poor_meetings: int = 0
    graded: dict = field(default_factory=lambda: {"audio": [0, 0], "video": [0, 0]})  # media → [red, all]

    def share_poor(self, media: str) -> float:
        red, total = self.graded[media]
        return red / total if total else 0.0


def across_meetings(*, since, until) -> list[EndpointHistory]:
    """For the equipment upgrades: per endpoint, over the meetings that started in [since, until), how
    many it took part in with figures, in how many it was poor, and the share of the time its sound and
    its picture were poor (red after smoothing). The worst first."""
    history: dict[int, EndpointHistory] = {}
    meetings = Meeting.objects.filter(starts_at__gte=since, starts_at__lt=until, status__in=("live", "ended"))
    for meeting in meetings.order_by("starts_at"):
        for row in summary(meeting=meeting):
            item = history.setdefault(row.endpoint.pk, EndpointHistory(endpoint=row.endpoint))
            item.meetings += 1
            item.poor_meetings += row.grade == RED
            for media, figures in row.streams.items():
                graded = [g for g in figures.grades if g]
                item.graded.setdefault(media, [0, 0])
                item.graded[media][0] += graded.count(RED)
                item.graded[media][1] += len(graded)
    return sorted(
        history.values(),
        key=lambda h: (-h.poor_meetings, -max(h.share_poor("audio"), h.share_poor("video")), h.endpoint.name),
    )
