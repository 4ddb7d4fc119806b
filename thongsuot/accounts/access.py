"""The one place that decides who may see or change which organisation's records.

Every selector and service of every system scopes through these functions.
- platform administrators (role with city_wide) see and change every organisation;
- leaders of the city committee see every organisation (read-only beyond their own);
- roles that reach every unit within one system only (declared by that system, accounts/roles.py:
  e.g. the 1022 dispatchers) see and change every organisation's records of that system, when the
  caller names it;
- everyone else sees and changes only their own organisation's records.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thongsuot.accounts import roles as declared_roles
from thongsuot.accounts.models import Role


def _system_wide(user, system: str | None) -> bool:
    if system is None or not getattr(user, "is_active", False):
        return False
    return bool(declared_roles.system_wide().get(system, frozenset()) & _roles(user))


def _roles(user):
    return user.role_codes() if getattr(user, "is_authenticated", False) and user.kind == "staff" else set()


def has_city_wide_change(user, *, system: str | None = None) -> bool:
    """May `user` change every organisation's records (of `system`, when a system-wide role counts)?"""
    if not getattr(user, "is_authenticated", False) or user.kind != "staff" or not user.is_active:
        return False
    if _system_wide(user, system):
        return True
    if user.is_superuser:
        return True
    cache = getattr(user, "_city_wide", None)
    if cache is None:
        cache = user.roles.filter(city_wide=True).exists()
        user._city_wide = cache
    return cache


def has_city_wide_view(user, *, system: str | None = None) -> bool:
    if has_city_wide_change(user, system=system):
        return True
    org = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
    return bool(org and org.kind == "city" and Role.LEADER in _roles(user))


def can_view_organisation(user, organisation_id: int | None, *, system: str | None = None) -> bool:
    if has_city_wide_view(user, system=system):
        return True
    return bool(_roles(user)) and organisation_id is not None and organisation_id == user.organisation_id


def can_change_organisation(user, organisation_id: int | None, *, system: str | None = None) -> bool:
    if has_city_wide_change(user, system=system):
        return True
    return bool(_roles(user)) and organisation_id is not None and organisation_id == user.organisation_id


def require_view(user, organisation_id: int | None, *, system: str | None = None) -> None:
    if not can_view_organisation(user, organisation_id, system=system):
        raise PermissionDenied(_("You do not have access to this organisation's records."))


def require_change(
    user, organisation_id: int | None, *, roles: tuple[str, ...] = (), system: str | None = None
) -> None:
    if not can_change_organisation(user, organisation_id, system=system):
        raise PermissionDenied(_("You may not change this organisation's records."))
    if roles and not has_city_wide_change(user, system=system) and not user.has_role(*roles):
        raise PermissionDenied(_("Your role does not allow this action."))


def scope_to_user(queryset: QuerySet, user, *, field: str = "organisation", system: str | None = None) -> QuerySet:
    """Only the rows of `queryset` that `user` may see.

    field: the path to the owning organisation; "" when the queryset holds organisations.
    system: the system the rows belong to, so that its system-wide roles see every unit.
    """
    if has_city_wide_view(user, system=system):
        return queryset
    if not _roles(user) or user.organisation_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id" if field else "pk": user.organisation_id})


def can_provision(user) -> bool:
    """May `user` upload staff lists (their own unit's; every unit's when city-wide)?"""
    return has_city_wide_change(user) or (
        getattr(user, "is_authenticated", False) and user.kind == "staff" and user.has_role("unit_admin")
    )
