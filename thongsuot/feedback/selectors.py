"""Every read of the feedback system that pages, the API and reports share. Staff reads are scoped
through thongsuot.accounts.access; public reads never carry contact data."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet, Value
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from thongsuot.accounts import access
from thongsuot.core.geo import distance_m
from thongsuot.core.local_cache import instance_copy, local_cache
from thongsuot.core.text import fold, sorted_vietnamese
from thongsuot.directory.models import Organisation
from thongsuot.feedback import SYSTEM, states
from thongsuot.feedback.models import Attachment, Category, Extension, PendingSubmission, Report, ReportEvent
from thongsuot.feedback.states import Status

DUPLICATE_RADIUS_M = 300
DUPLICATE_WINDOW_DAYS = 30
_TOKEN = re.compile(r"\w{2,}")


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "name")


def categories_all() -> QuerySet[Category]:
    """Every category, active or not, with its department (the administrators' list)."""
    return Category.objects.select_related("department").order_by("position", "name")


def category_get(*, pk: int | None = None, code: str | None = None) -> Category:
    """A category (active or not) by id or code, or Http404."""
    category = Category.objects.filter(**({"pk": pk} if pk is not None else {"code": code})).first()
    if category is None:
        raise Http404("No such category")
    return category


@local_cache()
def _active_categories() -> dict[int | str, Category]:
    """The active categories by id and by code, read once per REFERENCE_CACHE_SECONDS per process
    (thongsuot.core.local_cache); saving or deleting one drops this process's copy at once."""
    found: dict[int | str, Category] = {}
    for category in categories().select_related("department"):
        found[category.pk] = found[category.code] = category
    return found


post_save.connect(_active_categories.clear, sender=Category, dispatch_uid="feedback_active_categories_save")
post_delete.connect(_active_categories.clear, sender=Category, dispatch_uid="feedback_active_categories_delete")


def active_category(key: int | str) -> Category | None:
    """The active category with this id (an int) or code (a str), for a submission. From the per-process
    copy, so a category switched off elsewhere is still accepted for up to REFERENCE_CACHE_SECONDS; one
    the copy lacks is looked up in the database (a category just added is found at once)."""
    category = _active_categories.get().get(key)
    if category is not None:
        return instance_copy(category)  # the caller's own instance, never the shared copy
    lookup = {"pk": key} if isinstance(key, int) else {"code": key}
    return categories().select_related("department").filter(**lookup).first()


# Staff ------------------------------------------------------------------------------------------


def report_list(*, user, status: str | list[str] | None = None, q: str = "", organisation_id=None) -> QuerySet[Report]:
    """The reports `user` may see: dispatchers and city leaders all, others their organisation's."""
    qs = access.scope_to_user(
        Report.objects.select_related("category", "organisation", "resolved_unit"), user, system=SYSTEM
    )
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if q:
        folded = fold(q)
        phone = re.sub(r"[\s.\-]", "", q)
        qs = qs.filter(Q(search_folded__contains=folded) | Q(code__iexact=q.strip()) | Q(contact_phone=phone))
    return qs


def dispatch_queue(*, user) -> QuerySet[Report]:
    """Reports waiting for the 1022 dispatchers, oldest first."""
    if not access.has_city_wide_view(user, system=SYSTEM):
        return Report.objects.none()
    return (
        report_list(user=user, status=list(states.DISPATCH))
        .select_related("category__department")  # suggested_organisation() reads it for every row
        .order_by("received_at", "id")
    )


def report_get(*, user, code: str) -> Report:
    """One report `user` may see, or Http404 (an unseen report is indistinguishable from none)."""
    report = report_list(user=user).filter(code=code).first()
    if report is None:
        raise Http404("No such report")
    return report


def report_find(*, user, code: str) -> Report | None:
    """The report with this code if `user` may see it, else None (report_get without the 404)."""
    return report_list(user=user).filter(code=code).first()


def report_attachments(*, report: Report) -> QuerySet[Attachment]:
    """Every file of a report (staff who see the report see them all)."""
    return report.attachments.all()


def report_attachment(*, report: Report, pk: int) -> Attachment:
    """One file of a report the caller already sees (report_get), or Http404."""
    item = report.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404("No such file")
    return item


def report_timeline(*, report: Report, public_only: bool = False) -> QuerySet[ReportEvent]:
    qs = report.events.select_related("actor")
    return qs.filter(public=True) if public_only else qs


def suggested_organisation(report: Report) -> Organisation | None:
    """Where the dispatcher is likely to route: the category's department, else the unit of the place. A
    category that names its department only by code (not linked yet: services.categories_departments_link,
    run by the sweep, stores the link) is looked up by that code; nothing is written here."""
    category = report.category
    if category.responsible == Category.Responsible.DEPARTMENT:
        if category.department_id:
            return category.department
        if category.department_code:
            department = _department_by_code.get(category.department_code)
            if department is not None:
                return instance_copy(department)
    return report.resolved_unit


@local_cache(keep_none=False)
def _department_by_code(code: str) -> Organisation | None:
    """An active organisation by its identifier, kept per process (core.local_cache) so the queue's rows do
    not each look up the same department; saving or deleting an organisation drops this process's copy."""
    return Organisation.objects.filter(code=code, is_active=True).first()


post_save.connect(_department_by_code.clear, sender=Organisation, dispatch_uid="feedback_department_by_code_save")
post_delete.connect(_department_by_code.clear, sender=Organisation, dispatch_uid="feedback_department_by_code_del")


def routing_targets() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, kind__in=["commune", "department"]).order_by("kind", "name")


def routing_target_list() -> list[Organisation]:
    """The routing targets as drop-downs list them: the communes, then the departments, each in Vietnamese
    alphabetical order ("Phường Đông Hòa" among the D's, not after "Xóm Chiếu")."""
    targets = sorted_vietnamese(routing_targets())
    targets.sort(key=lambda o: o.kind)  # stable: the alphabetical order stays within each kind
    return targets


def pending_extensions(*, report: Report) -> QuerySet[Extension]:
    return report.extensions.filter(decision=Extension.Decision.PENDING)


def pending_extension(*, report: Report, pk) -> Extension | None:
    """One of the report's extensions still waiting for a leader's decision, or None."""
    return pending_extensions(report=report).filter(pk=pk).first()


def report_extension(*, report: Report, pk: int) -> Extension:
    """One extension of a report the caller already sees, whatever its decision, or Http404."""
    extension = report.extensions.filter(pk=pk).first()
    if extension is None:
        raise Http404("No such extension")
    return extension


# Duplicates -------------------------------------------------------------------------------------


@dataclass
class Duplicate:
    report: Report
    score: float  # similarity of the descriptions, 0–1 (see similarity)
    distance_m: float | None

    @property
    def hint(self) -> str:
        """What the score means, for the dispatcher: "270 m away, text 27% alike"."""
        from django.utils.translation import gettext

        percent = round(self.score * 100)
        if self.distance_m is None:
            return gettext("text %(percent)d%% alike") % {"percent": percent}
        return gettext("%(metres)d m away, text %(percent)d%% alike") % {
            "metres": round(self.distance_m),
            "percent": percent,
        }


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(fold(text)))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the folded word sets (accents and case ignored)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _duplicate_candidates(*, user, report: Report) -> QuerySet[Report] | None:
    """Open reports of the same category nearby (within 300 m, or the same unit when there is no
    position) from the 30 days before it, that `user` may see; None when the report has no place."""
    qs = (
        report_list(user=user)
        .filter(
            category_id=report.category_id,
            status__in=list(states.OPEN),
            merged_into__isnull=True,
            received_at__gte=report.received_at - timedelta(days=DUPLICATE_WINDOW_DAYS),
        )
        .exclude(pk=report.pk)
    )
    if report.latitude is not None and report.longitude is not None:
        dlat = DUPLICATE_RADIUS_M / 111_000
        dlng = dlat / max(math.cos(math.radians(report.latitude)), 0.01)
        near = Q(
            latitude__range=(report.latitude - dlat, report.latitude + dlat),
            longitude__range=(report.longitude - dlng, report.longitude + dlng),
        )
        if report.resolved_unit_id:
            near |= Q(latitude__isnull=True, resolved_unit_id=report.resolved_unit_id)
        return qs.filter(near)
    if report.resolved_unit_id:
        return qs.filter(resolved_unit_id=report.resolved_unit_id)
    return None


def _similar(report: Report, candidates, *, limit: int, threshold: float) -> list[Duplicate]:
    found = []
    for other in candidates:
        distance = None
        if None not in (report.latitude, other.latitude):
            distance = distance_m(report.latitude, report.longitude, other.latitude, other.longitude)
            if distance > DUPLICATE_RADIUS_M:
                continue
        score = similarity(report.description, other.description)
        if score and report.address and other.address:  # the same address strengthens similar text
            score = min(1.0, score + 0.15 * similarity(report.address, other.address))
        if score >= threshold:
            found.append(Duplicate(other, round(score, 2), distance))
    found.sort(key=lambda d: (-d.score, -d.report.received_at.timestamp(), -d.report.pk))
    return found[:limit]


def report_duplicates(*, user, report: Report, limit: int = 5, threshold: float = 0.25) -> list[Duplicate]:
    """Candidates to merge `report` into: open reports of the same category nearby (_duplicate_candidates)
    whose text is similar (diacritics ignored), the most similar first."""
    candidates = _duplicate_candidates(user=user, report=report)
    if candidates is None:
        return []
    return _similar(report, candidates[:500], limit=limit, threshold=threshold)


def reports_duplicates(*, user, reports, limit: int = 3, threshold: float = 0.25) -> dict[int, list[Duplicate]]:
    """report_duplicates for a page of reports, by report id, the candidates of all of them read in one
    query (a UNION ALL of each report's own search)."""
    searches = []
    for report in reports:
        candidates = _duplicate_candidates(user=user, report=report)
        if candidates is not None:
            searches.append(candidates.annotate(duplicate_of=Value(report.pk)).order_by())
    found: dict[int, list] = {report.pk: [] for report in reports}
    if not searches:
        return found
    rows = searches[0].union(*searches[1:], all=True) if len(searches) > 1 else searches[0]
    by_report: dict[int, list[Report]] = {}
    for row in rows:
        by_report.setdefault(row.duplicate_of, []).append(row)
    for report in reports:
        found[report.pk] = _similar(report, by_report.get(report.pk, []), limit=limit, threshold=threshold)
    return found


# Public -----------------------------------------------------------------------------------------


def public_reports(*, q: str = "", category: str = "") -> QuerySet[Report]:
    """Published results, newest first; search ignores accents ("ngap nuoc" finds "ngập nước")."""
    qs = Report.objects.filter(status__in=list(states.PUBLIC), hidden=False).select_related("category", "organisation")
    if q.strip():
        for word in fold(q).split():
            qs = qs.filter(search_folded__icontains=word)
    if category:
        qs = qs.filter(category__code=category)
    return qs.order_by("-published_at", "-id").only(
        "code",
        "category__name",
        "category__code",
        "organisation__name",
        "description",
        "public_description",
        "address",
        "status",
        "published_at",
        "received_at",
        "resolved_at",
        "resolution",
        "rating",
    )


def public_report(*, code: str) -> Report:
    """A report for its follow page (any state); the page shows no contact data."""
    report = Report.objects.select_related("category", "organisation").filter(code=code).first()
    if report is None:
        raise Http404("No such report")
    return report


def pending_submission(*, code: str) -> PendingSubmission | None:
    """A citizen's submission accepted but not registered yet (services.submissions)."""
    return PendingSubmission.objects.filter(code=code).first()


def _waiting() -> QuerySet[PendingSubmission]:
    """The pending submissions a worker still tries: those that failed too often wait for the admin."""
    return PendingSubmission.objects.filter(attempts__lt=PendingSubmission.MAX_ATTEMPTS)


def pending_submissions_waiting() -> bool:
    """Whether submissions wait for a worker to register them (those that failed too often excepted)."""
    return _waiting().exists()


@dataclass
class Backlog:
    count: int
    oldest: datetime


def pending_submissions_stalled(*, older_than: timedelta = timedelta(minutes=1)) -> Backlog | None:
    """Submissions accepted more than `older_than` ago and still not registered (a stopped task worker, or
    ones that keep failing): what the dispatchers are warned of. None when there are none."""
    stalled = PendingSubmission.objects.filter(received_at__lt=timezone.now() - older_than)
    found = stalled.aggregate(count=Count("pk"), oldest=Min("received_at"))
    return Backlog(found["count"], found["oldest"]) if found["count"] else None


def pending_submissions_count() -> int:
    return _waiting().count()


def pending_submissions_failed() -> int:
    """How many pending submissions failed too often and wait for the platform team (the admin)."""
    return PendingSubmission.objects.filter(attempts__gte=PendingSubmission.MAX_ATTEMPTS).count()


def pending_submissions_with_errors() -> QuerySet[PendingSubmission]:
    """The pending submissions that failed at least once, those the worker gave up on first, oldest first
    (the platform administrators' list; their data holds the citizen's contact: never for other roles)."""
    return PendingSubmission.objects.filter(attempts__gt=0).order_by("-attempts", "received_at")


def public_attachments(*, report: Report):
    if report.hidden or report.status not in states.PUBLIC:
        return report.attachments.none()
    return report.attachments.filter(public=True)


STATUS_LABELS = dict(Status.choices)


def available_actions(*, user, report: Report) -> list[str]:
    """The staff actions `user` may take on `report` now (the pages show only these): the workflow table
    in states.py decides, the same table the services check."""
    return states.WORKFLOW.available_actions(user, report)


# Public map -------------------------------------------------------------------------------------

PUBLIC_MAP_LIMIT = 500


def public_map_points(*, q: str = "", category: str = "", limit: int = PUBLIC_MAP_LIMIT) -> list[dict]:
    """The placed reports of the public list's filter for its map, newest first, at most `limit`:
    public fields only (never the contact data or the citizen's original text)."""
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from thongsuot.feedback.links import follow_path

    rows = (
        public_reports(q=q, category=category)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("code", "latitude", "longitude", "category__name", "organisation__name", "status", "published_at")
    )
    return [
        {
            "code": code,
            "lat": round(lat, 6),
            "lng": round(lng, 6),
            "category": category_name,
            "unit": unit or "",
            "status": str(STATUS_LABELS.get(status, status)),
            "date": date_format(localtime(published), "d/m/Y") if published else "",
            "url": follow_path(code),
        }
        for code, lat, lng, category_name, unit, status, published in rows[:limit]
    ]
