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
