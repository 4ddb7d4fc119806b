"""Reads of the directory shared by pages, API and reports."""

from django.db.models import QuerySet
from django.http import Http404

from thongsuot.core.text import fold
from thongsuot.directory.models import Organisation


def organisation_list(*, kind: str | None = None, active: bool | None = True, q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.filter(name_folded__contains=fold(q)) | qs.filter(code__iexact=q.strip())
    return qs.order_by("kind", "seq", "name")


def commune_units(*, active: bool = True) -> QuerySet[Organisation]:
    return organisation_list(kind=Organisation.Kind.COMMUNE, active=active)


def organisation_find(value: str) -> Organisation | None:
    """An active organisation by identifier, administrative code or exact name (accents optional)."""
    value = (value or "").strip()
    if not value:
        return None
    active = Organisation.objects.filter(is_active=True)
    return (
        active.filter(code__iexact=value).first()
        or active.filter(admin_code=value).first()
        or active.filter(name_folded=fold(value)).first()
    )


def organisation_by_code(code: str) -> Organisation | None:
    """The organisation with this identifier (active or not), or None."""
    return Organisation.objects.filter(code=code).first() if code else None


def organisation_get(pk: int) -> Organisation:
    """The organisation with this id, or Http404."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation
