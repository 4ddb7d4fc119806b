from django.db.models import QuerySet

from thongsuot.core.models import AuditEntry


def audit_search(
    *, q: str = "", action: str = "", object_type: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if q:
        qs = qs.filter(object_label__icontains=q) | qs.filter(object_id=q) | qs.filter(reason__icontains=q)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")
