"""Reads of the directory shared by pages, API and reports."""

from django.db.models import QuerySet

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
