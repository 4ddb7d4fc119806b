"""Every read of the documents system, scoped through thongsuot.accounts.access: a unit sees the
documents it drafts and issues and the incoming copies delivered to it; platform administrators and
the city's leaders see all."""

from django.db.models import Q

from thongsuot.accounts import access
from thongsuot.core.text import fold
from thongsuot.documents import SYSTEM
from thongsuot.documents.models import Document, Office
from thongsuot.documents.numbering import default_office_notation


def documents_for(user):
    queryset = Document.objects.select_related("organisation", "issuer", "signer").prefetch_related("recipients")
    return access.scope_to_user(queryset, user, system=SYSTEM)


def can_view(user, document) -> bool:
    return access.can_view_organisation(user, document.organisation_id, system=SYSTEM)


def document_get(user, pk: int) -> Document:
    """The document `pk` if `user` may see it, else Document.DoesNotExist (a 404: never say it exists)."""
    return documents_for(user).get(pk=pk)


def document_list(user, *, direction: str = "", status: str = "", q: str = ""):
    queryset = documents_for(user)
    if direction:
        queryset = queryset.filter(direction=direction)
    if status:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(Q(notation__iexact=q.strip()) | Q(summary_folded__contains=fold(q)))
    return queryset


def incoming_queue(user):
    """The documents that arrived for the user's unit and wait for its clerk."""
    return document_list(user, direction=Document.Direction.INCOMING, status="arrived")


def office_notation(organisation) -> str:
    office = Office.objects.filter(organisation=organisation).first()
    return office.notation if office else default_office_notation(organisation)
