"""Every read of the catalogue. The catalogue is public (the national portal publishes it), so it is not
scoped to a unit; the import previews are the platform administrators' only."""

from django.db.models import Q, QuerySet
from django.http import Http404

from thongsuot.core.text import fold
from thongsuot.procedures.models import CatalogueImport, Procedure
from thongsuot.procedures.services import require_catalogue_admin


def procedure_search(*, q: str = "", field: str = "", level: str = "", include_inactive: bool = False) -> QuerySet:
    """Procedures whose name (accents and case ignored) holds every word of `q`, or whose code starts with it."""
    procedures = Procedure.objects.all() if include_inactive else Procedure.objects.filter(active=True)
    query = (q or "").strip()
    if query:
        words = Q()
        for word in fold(query).split():
            words &= Q(name_folded__contains=word)
        procedures = procedures.filter(words | Q(code__startswith=query))
    if field:
        procedures = procedures.filter(field=field)
    if level:
        procedures = procedures.filter(level=level)
    return procedures.order_by("field", "name")


def procedure_fields() -> list[str]:
    return list(Procedure.objects.filter(active=True).values_list("field", flat=True).distinct().order_by("field"))


def procedure_get(*, code: str) -> Procedure:
    try:
        return Procedure.objects.get(code=code, active=True)
    except Procedure.DoesNotExist:
        raise Http404("No such procedure") from None


def procedures_for_export() -> QuerySet:
    return Procedure.objects.order_by("code")


def catalogue_import_get(*, user, batch_id: int) -> CatalogueImport:
    require_catalogue_admin(user)
    try:
        return CatalogueImport.objects.get(pk=batch_id)
    except CatalogueImport.DoesNotExist:
        raise Http404("No such import") from None


# Dossiers -------------------------------------------------------------------------------------------
# A unit sees the dossiers it received or must decide, and no others; city-wide viewers (platform
# administrators, the city's leaders) see every unit's; a citizen sees their own.


def dossiers_visible(*, user) -> QuerySet:
    from thongsuot.accounts import access
    from thongsuot.procedures.models import Dossier
    from thongsuot.procedures.states import SYSTEM

    dossiers = Dossier.objects.select_related("procedure", "receiving_unit", "deciding_unit")
    if not getattr(user, "is_authenticated", False):
        return dossiers.none()
    if user.kind == "citizen":
        return dossiers.filter(citizen=user)
    if access.has_city_wide_view(user, system=SYSTEM):
        return dossiers
    if user.kind != "staff" or user.organisation_id is None or not user.role_codes():
        return dossiers.none()
    return dossiers.filter(Q(receiving_unit_id=user.organisation_id) | Q(deciding_unit_id=user.organisation_id))


def dossier_queue(*, user, status: str = "", q: str = "") -> QuerySet:
    """The staff list: the dossiers the user's unit received or must decide, newest first."""
    dossiers = dossiers_visible(user=user)
    if status:
        dossiers = dossiers.filter(status=status)
    if q:
        query = q.strip()
        dossiers = dossiers.filter(Q(code__icontains=query) | Q(applicant_name__icontains=query))
    return dossiers


def dossier_get(*, user, code: str):
    """A dossier the user may see (404 for one they may not: it is not told apart from a missing one)."""
    found = dossiers_visible(user=user).filter(code=code).first()
    if found is None:
        raise Http404("No such dossier")
    return found


def dossier_lookup(*, code: str, phone_check: str):
    """The public lookup: the dossier whose code and last four phone digits match, else None."""
    from thongsuot.procedures.models import Dossier

    check = (phone_check or "").strip()
    if len(check) != 4 or not check.isdigit():
        return None
    found = Dossier.objects.select_related("procedure", "receiving_unit").filter(code=(code or "").strip()).first()
    if found is None or found.phone_check != check:
        return None
    return found


def available_actions(*, user, dossier) -> list[str]:
    from thongsuot.procedures.states import WORKFLOW

    return WORKFLOW.available_actions(user, dossier)


def may_receive(user) -> bool:
    """A one-stop desk officer (or the unit's administrator) of a unit: the intake form's check."""
    from thongsuot.accounts import access
    from thongsuot.procedures.states import DESK_ROLES, SYSTEM

    if not getattr(user, "is_authenticated", False) or user.kind != "staff" or user.organisation_id is None:
        return False
    return access.can_change_organisation(user, user.organisation_id, system=SYSTEM) and (
        user.has_role(*DESK_ROLES) or access.has_city_wide_change(user)
    )
