"""Every read of the conferences system, scoped through thongsuot.accounts.access.

A user sees a meeting when they see its organiser unit's records (platform administrators and the
city's leaders see every unit's), when they chair it, or when an endpoint of their unit is invited.
"""

from django.db.models import Q, QuerySet

from thongsuot.accounts import access
from thongsuot.conferences import SYSTEM
from thongsuot.conferences.models import Endpoint, EndpointGroup, Meeting


def _staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.kind == "staff" and user.is_active


def meeting_list(*, user, status: str = "") -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("organisation", "chair")
    if status:
        meetings = meetings.filter(status=status)
    if not _staff(user):
        return meetings.none()
    if access.has_city_wide_view(user, system=SYSTEM):
        return meetings
    if user.organisation_id is None:
        return meetings.filter(chair=user)
    invited = Meeting.objects.filter(endpoints__organisation_id=user.organisation_id).values("pk")
    return meetings.filter(Q(organisation_id=user.organisation_id) | Q(chair=user) | Q(pk__in=invited))


def meeting_get(*, user, pk: int) -> Meeting:
    """The meeting, or Meeting.DoesNotExist (404) when the user may not see it."""
    return meeting_list(user=user).get(pk=pk)


def can_view_meeting(user, meeting) -> bool:
    return meeting_list(user=user).filter(pk=meeting.pk).exists()


def invited_endpoints(*, meeting) -> QuerySet[Endpoint]:
    return meeting.endpoints.select_related("organisation").order_by("organisation__name", "code")


def endpoint_list(*, user, kind: str = "", query: str = "") -> QuerySet[Endpoint]:
    """The endpoints a user may read: every one for anyone who organises meetings city-wide, and the
    city's leaders; their own unit's for the others (an invitation names endpoints, not more)."""
    endpoints = Endpoint.objects.select_related("organisation").filter(is_active=True)
    if kind:
        endpoints = endpoints.filter(organisation__kind=kind)
    if query:
        from thongsuot.core.text import fold

        endpoints = endpoints.filter(organisation__name_folded__contains=fold(query))
    if not _staff(user):
        return endpoints.none()
    if access.has_city_wide_view(user, system=SYSTEM) or can_invite_any(user):
        return endpoints
    return access.scope_to_user(endpoints, user, system=SYSTEM)


def can_invite_any(user) -> bool:
    """The city's own organisers (city committee staff with an organiser role) invite every unit."""
    from thongsuot.conferences.states import ORGANISER_ROLES

    org = getattr(user, "organisation", None) if _staff(user) else None
    return access.has_city_wide_change(user, system=SYSTEM) or bool(
        org and org.kind == "city" and user.has_role(*ORGANISER_ROLES)
    )


def endpoint_get(*, user, pk: int) -> Endpoint:
    return endpoint_list(user=user).get(pk=pk)


def group_list(*, user) -> QuerySet[EndpointGroup]:
    if not _staff(user):
        return EndpointGroup.objects.none()
    return EndpointGroup.objects.all()


def endpoint_calendar(*, user, endpoint) -> QuerySet[Meeting]:
    """The meetings an endpoint is invited to, that the user may see, in time order."""
    return meeting_list(user=user).filter(invitations__endpoint=endpoint).order_by("starts_at").distinct()


def my_endpoints(*, user) -> QuerySet[Endpoint]:
    """The endpoints a user operates (named operator) or whose unit is theirs."""
    if not _staff(user):
        return Endpoint.objects.none()
    return Endpoint.objects.filter(Q(operators=user) | Q(organisation_id=user.organisation_id)).distinct()


def servers_load(*, starts_at, ends_at, exclude_pk=None) -> dict[str, int]:
    """Endpoints already placed on each Janus server by meetings overlapping [starts_at, ends_at)."""
    from django.db.models import Count

    rows = (
        Meeting.objects.filter(status__in=("scheduled", "live"), starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=exclude_pk)
        .exclude(janus_server="")
        .values("janus_server")
        .annotate(n=Count("invitations"))
    )
    return {row["janus_server"]: row["n"] for row in rows}


def may_schedule(user) -> bool:
    """May `user` schedule meetings (of their own unit)?"""
    from thongsuot.conferences.states import ORGANISER_ROLES

    return (
        _staff(user) and user.organisation_id is not None and (can_invite_any(user) or user.has_role(*ORGANISER_ROLES))
    )


def may_publish(*, meeting, endpoint) -> bool:
    """Does this endpoint send its camera and microphone now? The organiser unit's own endpoint (where the
    chair sits) always; any other while the chair has given it the floor. The others receive."""
    if meeting.status != "live":
        return False
    if endpoint.organisation_id == meeting.organisation_id:
        return True
    return meeting.participations.filter(endpoint=endpoint, left_at__isnull=True, has_floor=True).exists()


def can_see_quality_report(user) -> bool:
    """The report across meetings (for equipment upgrades): the city's organisers and those who see every
    unit's records."""
    return _staff(user) and (can_invite_any(user) or access.has_city_wide_view(user, system=SYSTEM))
