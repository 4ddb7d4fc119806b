"""Every read of the documents system, scoped through thongsuot.accounts.access: a unit sees the
documents it drafts and issues and the incoming copies delivered to it; platform administrators and
the city's leaders see all."""

import re

from django.db.models import Q

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core.text import fold
from thongsuot.documents import SYSTEM
from thongsuot.documents.models import Document, Office
from thongsuot.documents.numbering import default_office_notation
from thongsuot.documents.states import Status


def named_filter(user) -> Q:
    """The documents `user` may see as far as confidentiality goes: every document that is not secret, and
    the secret ones naming them (Document.named_on, as a query)."""
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    readers = Document.readers.through.objects.filter(user_id=user.pk).values("document_id")
    named = Q(confidentiality="") | Q(created_by_id=user.pk) | Q(registered_by_id=user.pk) | Q(pk__in=readers)
    if user.has_role(Role.CLERK) and user.organisation_id:
        named |= Q(status=Status.ARRIVED, organisation_id=user.organisation_id)
    return named


def documents_for(user):
    queryset = Document.objects.select_related("organisation", "issuer", "signer").prefetch_related("recipients")
    return access.scope_to_user(queryset, user, system=SYSTEM).filter(named_filter(user))


def can_view(user, document) -> bool:
    return access.can_view_organisation(user, document.organisation_id, system=SYSTEM) and document.named_on(user)


def can_name_readers(user, document) -> bool:
    """May `user` name people on a secret document: its drafter, or a clerk or leader named on it."""
    if not document.secret or not access.can_change_organisation(user, document.organisation_id, system=SYSTEM):
        return False
    if not document.named_on(user):
        return False
    return user.pk == document.created_by_id or user.has_role(Role.CLERK, Role.LEADER)


def document_get(user, pk: int) -> Document:
    """The document `pk` if `user` may see it, else Document.DoesNotExist (a 404: never say it exists)."""
    return documents_for(user).get(pk=pk)


def search_filter(q: str) -> Q:
    """Full-text search, with or without diacritics: every word (or "a quoted phrase") of `q` must occur
    in the folded summary, notation, issuing body or text of the file; or `q` is exactly a document's
    number and notation ("05/QĐ-UBND"). On PostgreSQL the folded column has a trigram GIN index, which
    serves these LIKE '%…%' lookups."""
    q = (q or "").strip()
    terms = [fold(phrase) for phrase in re.findall(r'"([^"]+)"', q)]
    terms += fold(re.sub(r'"[^"]*"', " ", q)).split()
    words = Q()
    for term in terms:
        if term:
            words &= Q(search_text__contains=term)
    return Q(notation__iexact=q) | words if terms else Q(notation__iexact=q)


def document_list(
    user, *, direction: str = "", status: str = "", q: str = "", doc_type: str = "", date_from=None, date_to=None
):
    """The documents `user` may see (secret ones only where named), filtered and searched."""
    queryset = documents_for(user)
    if direction:
        queryset = queryset.filter(direction=direction)
    if status:
        queryset = queryset.filter(status=status)
    if doc_type:
        queryset = queryset.filter(doc_type=doc_type)
    if date_from:
        queryset = queryset.filter(issued_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(issued_on__lte=date_to)
    if q and q.strip():
        queryset = queryset.filter(search_filter(q))
    return queryset


def incoming_queue(user):
    """The documents that arrived for the user's unit and wait for its clerk."""
    return document_list(user, direction=Document.Direction.INCOMING, status="arrived")


def office_notation(organisation) -> str:
    office = Office.objects.filter(organisation=organisation).first()
    return office.notation if office else default_office_notation(organisation)


# Follow-up (theo dõi) of directed documents ---------------------------------------------------------

DUE_SOON_WORKING_DAYS = 2
STANDINGS = ("due_soon", "overdue", "in_time", "done_on_time", "done_late")


def due_soon_limit(today):
    """The last deadline that counts as due soon today."""
    from thongsuot.core.calendar import add_working_days

    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def standing(instruction, today) -> str:
    """Where a directed document stands: due soon, overdue, in time, done on time or done late."""
    if instruction.completed_on is not None:
        return "done_on_time" if instruction.completed_on <= instruction.deadline else "done_late"
    if instruction.deadline < today:
        return "overdue"
    return "due_soon" if instruction.deadline <= due_soon_limit(today) else "in_time"


def follow_up(user, *, standing: str = "", mine: bool = False, today=None):
    """The directed documents `user` may see, by deadline; `standing` one of STANDINGS; `mine`: those the
    user directed or handles."""
    from django.db.models import F

    from thongsuot.documents.numbering import today_in_city

    today = today or today_in_city()
    queryset = documents_for(user).filter(instruction__isnull=False).select_related("instruction__leader")
    if mine:
        queryset = queryset.filter(Q(instruction__leader=user) | Q(instruction__handlers__user=user)).distinct()
    open_ = Q(instruction__completed_on__isnull=True)
    filters = {
        "overdue": open_ & Q(instruction__deadline__lt=today),
        "due_soon": open_ & Q(instruction__deadline__gte=today, instruction__deadline__lte=due_soon_limit(today)),
        "in_time": open_ & Q(instruction__deadline__gt=due_soon_limit(today)),
        "done_on_time": Q(instruction__completed_on__lte=F("instruction__deadline")),
        "done_late": Q(instruction__completed_on__gt=F("instruction__deadline")),
    }
    if standing in filters:
        queryset = queryset.filter(filters[standing])
    return queryset.order_by("instruction__deadline", "pk")


# Work files (hồ sơ công việc) ------------------------------------------------------------------------


def workfiles_for(user, *, year: int | None = None):
    """The work files of the user's unit (every unit's for the city-wide), the year's catalogue by code."""
    from thongsuot.documents.models import WorkFile

    queryset = access.scope_to_user(WorkFile.objects.select_related("owner", "organisation"), user, system=SYSTEM)
    return queryset.filter(year=year) if year else queryset


def workfile_documents(user, workfile):
    """The documents of a work file that `user` may see, in chronological order (date, then arrival)."""
    from django.db.models.functions import Coalesce, TruncDate

    documents = documents_for(user).filter(work_files=workfile)
    documents = documents.annotate(day=Coalesce("issued_on", TruncDate("registered_at"), TruncDate("created_at")))
    return documents.order_by("day", "number", "pk")
