"""The documents pages: the unit's documents and incoming queue, a document with its versions, files,
timeline and the actions the workflow table offers the user, and the draft form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from thongsuot.accounts import access
from thongsuot.accounts.decorators import staff_required
from thongsuot.core.attachments import views as attachment_views
from thongsuot.directory.models import Organisation
from thongsuot.documents import SYSTEM, forms, numbering, selectors, services
from thongsuot.documents import registers as registers_module
from thongsuot.documents.models import Document
from thongsuot.documents.states import WORKFLOW, Status


def _get(request, pk) -> Document:
    try:
        return selectors.document_get(request.user, pk)
    except Document.DoesNotExist:
        raise Http404 from None


@staff_required
def home(request):
    direction = request.GET.get("direction", "")
    if direction not in ("", *Document.Direction.values):
        direction = ""
    documents = selectors.document_list(request.user, direction=direction, q=request.GET.get("q", ""))
    context = {
        "page": Paginator(documents, 30).get_page(request.GET.get("page")),
        "queue": selectors.incoming_queue(request.user)[:50],
        "direction": direction,
        "q": request.GET.get("q", ""),
    }
    return render(request, "documents/home.html", context)


@staff_required
def create(request):
    form = forms.DraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user,
                doc_type=data["doc_type"],
                summary=data["summary"],
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                regulatory=data["regulatory"],
                drafting_unit=data["drafting_unit"],
                recipients=[org.pk for org in data["recipients"]],
                other_recipients=data["other_recipients"],
                file=data["file"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("documents:detail", document.pk)
    return render(request, "documents/create.html", {"form": form})


@staff_required
def detail(request, pk):
    document = _get(request, pk)
    context = {
        "document": document,
        "files": document.files.all(),
        "events": document.events.order_by("at", "pk"),
        "actions": WORKFLOW.available_actions(request.user, document),
        "version_form": forms.VersionForm(),
        "reason_form": forms.ReasonForm(),
        "direct_form": forms.DirectForm(organisation_id=document.organisation_id),
        "note_form": forms.NoteForm(),
        "readers_form": forms.ReadersForm(organisation_id=document.organisation_id),
        "can_name_readers": selectors.can_name_readers(request.user, document),
        "instruction": getattr(document, "instruction", None),
        "Status": Status,
    }
    return render(request, "documents/detail.html", context)


@staff_required
def download(request, pk, file_id):
    document = _get(request, pk)
    return attachment_views.file_response(get_object_or_404(document.files, pk=file_id))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


ACTIONS = {
    "submit": lambda request, document: services.document_submit(actor=request.user, document=document),
    "approve": lambda request, document: services.document_approve(actor=request.user, document=document),
    "return": lambda request, document: services.document_return(
        actor=request.user, document=document, reason=request.POST.get("reason", "")
    ),
    "sign": lambda request, document: services.document_sign(actor=request.user, document=document),
    "issue": lambda request, document: services.document_issue(actor=request.user, document=document),
    "register": lambda request, document: services.document_register(actor=request.user, document=document),
    "send_back": lambda request, document: services.document_send_back(
        actor=request.user, document=document, reason=request.POST.get("reason", "")
    ),
    "direct": lambda request, document: services.document_direct(
        actor=request.user,
        document=document,
        lead_id=_int(request.POST.get("lead")),
        co_handler_ids=[pk for pk in map(_int, request.POST.getlist("co_handlers")) if pk],
        working_days=request.POST.get("working_days"),
        instruction=request.POST.get("instruction", ""),
    ),
    "progress": lambda request, document: services.document_progress(
        actor=request.user, document=document, note=request.POST.get("note", "")
    ),
    "complete": lambda request, document: services.document_complete(
        actor=request.user, document=document, note=request.POST.get("note", "")
    ),
    "recall": lambda request, document: services.document_recall(
        actor=request.user, document=document, reason=request.POST.get("reason", "")
    ),
    "confirm_recall": lambda request, document: services.document_confirm_recall(
        actor=request.user, document=document, note=request.POST.get("note", "")
    ),
    "name_readers": lambda request, document: services.document_name_readers(
        actor=request.user,
        document=document,
        user_ids=[pk for pk in map(_int, request.POST.getlist("readers")) if pk],
    ),
    "revise": lambda request, document: services.document_revise(
        actor=request.user, document=document, file=request.FILES.get("file"), note=request.POST.get("note", "")
    ),
}


@staff_required
@require_POST
def act(request, pk, command):
    document = _get(request, pk)
    if command not in ACTIONS:
        raise Http404
    try:
        ACTIONS[command](request, document)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role does not allow this action."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("documents:detail", document.pk)


@staff_required
def follow_up(request):
    """The follow-up list (theo dõi): directed documents by deadline, filtered by where they stand."""
    standing = request.GET.get("standing", "")
    standing = standing if standing in selectors.STANDINGS else ""
    mine = request.GET.get("mine") == "1"
    today = numbering.today_in_city()
    documents = selectors.follow_up(request.user, standing=standing, mine=mine, today=today)
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    rows = [(document, selectors.standing(document.instruction, today)) for document in page]
    context = {"page": page, "rows": rows, "standing": standing, "mine": mine, "standings": STANDING_LABELS}
    return render(request, "documents/follow_up.html", context)


STANDING_LABELS = {
    "due_soon": _lazy("Due soon"),
    "overdue": _lazy("Overdue"),
    "in_time": _lazy("In time"),
    "done_on_time": _lazy("Done on time"),
    "done_late": _lazy("Done late"),
}


@staff_required
def registers(request):
    """The registers of NĐ 30 Phụ lục IV for the user's unit (any unit for the city-wide) and a period: on
    the page, or as XLSX or PDF (`?format=xlsx|pdf`)."""
    today = numbering.today_in_city()
    initial = {"kind": "incoming", "date_from": today.replace(day=1), "date_to": today}
    form = forms.RegisterForm(request.GET or None, initial=initial)
    context = {"form": form, "rows": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        organisation_id = data["organisation"] or request.user.organisation_id
        if not access.can_view_organisation(request.user, organisation_id, system=SYSTEM):
            raise Http404
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        rows = registers_module.register_rows(
            request.user,
            kind=data["kind"],
            organisation_id=organisation.pk,
            date_from=data["date_from"],
            date_to=data["date_to"],
            secret=data["secret"],
        )
        fmt = request.GET.get("format", "")
        if fmt in ("xlsx", "pdf"):
            return registers_module.register_file(
                kind=data["kind"],
                organisation=organisation,
                date_from=data["date_from"],
                date_to=data["date_to"],
                rows=rows,
                secret=data["secret"],
                fmt=fmt,
            )
        register = registers_module.REGISTERS[data["kind"]]
        context.update(rows=rows, columns=register.columns, title=register.title, organisation=organisation)
        context["query"] = request.GET.urlencode()
    return render(request, "documents/registers.html", context)


# Work files (hồ sơ công việc) ------------------------------------------------------------------------


@staff_required
def workfiles(request):
    """The year's catalogue of the unit's work files, and opening a new one."""
    year = _int(request.GET.get("year")) or numbering.today_in_city().year
    form = forms.WorkFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workfile = services.workfile_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Done."))
            return redirect("documents:workfile", workfile.pk)
    context = {"files": selectors.workfiles_for(request.user, year=year), "year": year, "form": form}
    return render(request, "documents/workfiles.html", context)


def _workfile(request, pk):
    return get_object_or_404(selectors.workfiles_for(request.user), pk=pk)


@staff_required
def workfile(request, pk):
    """A work file: its documents in chronological order, adding one, closing it, its index as XLSX/PDF."""
    found = _workfile(request, pk)
    rows = registers_module.workfile_rows(request.user, found)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        return registers_module.workfile_file(found, rows, fmt=fmt)
    mine = found.owner_id == request.user.pk and not found.closed
    candidates = selectors.documents_for(request.user).exclude(work_files=found)[:100] if mine else []
    context = {
        "workfile": found,
        "rows": rows,
        "documents": selectors.workfile_documents(request.user, found),
        "columns": registers_module.WORKFILE_INDEX.columns,
        "mine": mine,
        "candidates": candidates,
    }
    return render(request, "documents/workfile.html", context)


@staff_required
@require_POST
def workfile_act(request, pk, command):
    found = _workfile(request, pk)
    try:
        if command == "add":
            document = selectors.documents_for(request.user).filter(pk=_int(request.POST.get("document"))).first()
            if document is None:
                raise ValidationError({"document": [_("No such document.")]})
            services.workfile_add(actor=request.user, workfile=found, document=document)
        elif command == "close":
            services.workfile_close(actor=request.user, workfile=found)
        else:
            raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("documents:workfile", found.pk)
