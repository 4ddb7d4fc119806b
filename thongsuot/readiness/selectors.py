"""The Centre's readiness board: per unit, how far its accounts are configured."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from thongsuot.accounts import access, roles
from thongsuot.accounts.models import ProvisioningBatch, Role, User
from thongsuot.directory.models import Organisation

STATUS_NO_LIST, STATUS_INCOMPLETE, STATUS_READY = "no_list", "incomplete", "ready"


@dataclass
class UnitReadiness:
    organisation: Organisation
    configured: int
    activated: int
    signed_in: int
    list_received: bool
    missing_roles: list[str] = field(default_factory=list)

    @property
    def shortfalls(self) -> list[str]:
        """What keeps an incomplete unit from being ready, in words: the roles nobody holds, the accounts
        not yet activated."""
        from django.utils.translation import gettext, ngettext

        missing = []
        if self.missing_roles:
            missing.append(gettext("no %(roles)s") % {"roles": ", ".join(self.missing_roles)})
        waiting = self.configured - self.activated
        if waiting > 0:
            missing.append(
                ngettext("%(n)d account not activated", "%(n)d accounts not activated", waiting) % {"n": waiting}
            )
        return missing

    @property
    def status(self) -> str:
        if not self.list_received and not self.configured:
            return STATUS_NO_LIST
        if self.missing_roles or self.activated < self.configured:
            return STATUS_INCOMPLETE
        return STATUS_READY


def readiness_board(
    *, user, division_type: str = "", status: str = "", kinds=(Organisation.Kind.COMMUNE,)
) -> list[UnitReadiness]:
    orgs = access.scope_to_user(Organisation.objects.filter(is_active=True, kind__in=kinds), user, field="")
    if division_type:
        orgs = orgs.filter(division_type=division_type)
    active = Q(staff__is_active=True, staff__kind=User.Kind.STAFF)
    orgs = orgs.annotate(
        configured=Count("staff", filter=active, distinct=True),
        activated=Count("staff", filter=active & Q(staff__activated_at__isnull=False), distinct=True),
        signed_in=Count("staff", filter=active & Q(staff__last_login__isnull=False), distinct=True),
    ).order_by("seq", "name")
    held: dict[int, set[str]] = {}
    for org_id, code in (
        User.roles.through.objects.filter(user__is_active=True, user__organisation__in=orgs.values("pk"))
        .values_list("user__organisation_id", "role__code")
        .distinct()
    ):
        held.setdefault(org_id, set()).add(code)
    received = set(
        ProvisioningBatch.organisations.through.objects.filter(
            provisioningbatch__status=ProvisioningBatch.Status.APPLIED
        ).values_list("organisation_id", flat=True)
    )
    role_names = dict(Role.objects.values_list("code", "name"))
    rows = []
    for org in orgs:
        missing = [role_names.get(c, c) for c in roles.required_for_unit() if c not in held.get(org.pk, set())]
        row = UnitReadiness(org, org.configured, org.activated, org.signed_in, org.pk in received, missing)
        if not status or row.status == status:
            rows.append(row)
    return rows


def readiness_totals(rows: list[UnitReadiness]) -> dict:
    return {
        "units": len(rows),
        "ready": sum(r.status == STATUS_READY for r in rows),
        "incomplete": sum(r.status == STATUS_INCOMPLETE for r in rows),
        "no_list": sum(r.status == STATUS_NO_LIST for r in rows),
        "configured": sum(r.configured for r in rows),
        "activated": sum(r.activated for r in rows),
        "signed_in": sum(r.signed_in for r in rows),
    }
