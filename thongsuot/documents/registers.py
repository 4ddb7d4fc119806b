"""The registers of Nghị định 30/2020 Phụ lục IV for a unit and a date range, with the appendix's columns:
the outgoing register (sổ đăng ký văn bản đi), the incoming register (sổ đăng ký văn bản đến) and the
handling-tracking register (sổ theo dõi giải quyết văn bản đến). Secret documents are registered apart
(`secret=True`), and a register lists only what its reader may see (selectors.documents_for: a secret
document only for the people named on it). Reads only; exported through core.exports and core.reporting."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from thongsuot.core.calendar import city_time
from thongsuot.core.exports import xlsx_response
from thongsuot.core.reporting.pdf import pdf_response, table_pdf
from thongsuot.documents import selectors
from thongsuot.documents.models import Document
from thongsuot.documents.states import Status

EMPTY = ""


def _column(name: str):
    """A register's column, translated as Phụ lục IV names it (its own context: "Date" is "Ngày tháng văn
    bản" here)."""
    return pgettext_lazy("register", name)


@dataclass(frozen=True)
class Register:
    kind: str
    title: object
    columns: tuple
    widths: tuple  # of the PDF's columns, in millimetres (A4 landscape: 277 in all)


OUTGOING = Register(
    "outgoing",
    gettext_lazy("Outgoing document register"),
    (
        _column("Number and notation"),
        _column("Date"),
        _column("Type and summary"),
        _column("Signer"),
        _column("Recipients"),
        _column("Holder of the file copy"),
        _column("Number of copies"),
        _column("Date sent"),
        _column("Receiver's signature"),
        _column("Notes"),
    ),
    (24, 20, 70, 28, 45, 24, 14, 20, 16, 16),
)
INCOMING = Register(
    "incoming",
    gettext_lazy("Incoming document register"),
    (
        _column("Arrival date"),
        _column("Arrival number"),
        _column("Issuer"),
        _column("Number and notation"),
        _column("Date"),
        _column("Type and summary"),
        _column("Receiving unit or person"),
        _column("Date forwarded"),
        _column("Receiver's signature"),
        _column("Notes"),
    ),
    (20, 14, 38, 26, 20, 72, 35, 20, 16, 16),
)
TRACKING = Register(
    "tracking",
    gettext_lazy("Register of the handling of incoming documents"),
    (
        _column("Arrival number"),
        _column("Type, number, date and issuer"),
        _column("Handler"),
        _column("Deadline"),
        _column("Progress"),
        _column("Number and notation of the reply"),
        _column("Notes"),
    ),
    (16, 90, 45, 20, 50, 30, 26),
)
REGISTERS = {register.kind: register for register in (OUTGOING, INCOMING, TRACKING)}


def _day(value) -> str:
    if value is None:
        return EMPTY
    if hasattr(value, "hour"):
        value = city_time(value)
    return f"{value:%d/%m/%Y}"


def _type_summary(document: Document) -> str:
    return f"{document.get_doc_type_display()}: {document.summary}"


def _notes(document: Document) -> str:
    parts = [document.get_confidentiality_display() if document.confidentiality else ""]
    parts += [document.get_urgency_display() if document.urgency else ""]
    parts += [_("Regulatory document") if document.regulatory else ""]
    return "; ".join(part for part in parts if part)


def _instruction(document: Document):
    return getattr(document, "instruction", None)


def _handlers(document: Document) -> str:
    instruction = _instruction(document)
    if instruction is None:
        return EMPTY
    names = []
    for handler in instruction.handlers.all():
        name = handler.user.full_name or handler.user.get_username()
        names.append(f"{name} ({_('lead')})" if handler.lead else name)
    return "; ".join(names)


def _outgoing_row(document: Document) -> list:
    recipients = [org.name for org in document.recipients.all()]
    others = [part.strip() for part in document.other_recipients.replace(",", ";").split(";") if part.strip()]
    holder = document.drafting_unit or (document.created_by.full_name if document.created_by else EMPTY)
    return [
        document.notation,
        _day(document.issued_on),
        _type_summary(document),
        " ".join(part for part in (document.signer_position, document.signer_name) if part),
        "; ".join(recipients + others),
        holder,
        len(recipients) + len(others),
        _day(document.issued_at),
        EMPTY,
        _notes(document),
    ]


def _incoming_row(document: Document) -> list:
    instruction = _instruction(document)
    return [
        _day(document.registered_at),
        document.arrival_number,
        document.issuing_body,
        document.notation,
        _day(document.issued_on),
        _type_summary(document),
        _handlers(document) or (instruction.leader.full_name if instruction else EMPTY),
        _day(instruction.given_at) if instruction else EMPTY,
        EMPTY,
        _notes(document),
    ]


def _tracking_row(document: Document) -> list:
    instruction = _instruction(document)
    last = document.events.filter(action__in=("progress", "complete")).order_by("-at", "-pk").first()
    progress = f"{_day(last.at)}: {last.note}" if last and last.note else EMPTY
    if instruction and instruction.completed_on:
        progress = f"{_('Done on')} {_day(instruction.completed_on)}" + (
            f" — {last.note}" if last and last.note else ""
        )
    described = (
        f"{document.get_doc_type_display()} {document.notation}, {_day(document.issued_on)}, {document.issuing_body}"
    )
    return [
        document.arrival_number,
        described,
        _handlers(document),
        _day(instruction.deadline) if instruction else EMPTY,
        progress,
        EMPTY,
        _notes(document),
    ]


def register_rows(user, *, kind: str, organisation_id: int, date_from, date_to, secret: bool = False) -> list[list]:
    """The rows of register `kind` of the organisation between two dates (inclusive), in register order,
    as `user` may see them."""
    documents = selectors.documents_for(user).filter(organisation_id=organisation_id)
    documents = documents.exclude(confidentiality="") if secret else documents.filter(confidentiality="")
    documents = documents.select_related("created_by", "instruction__leader").prefetch_related(
        "recipients", "instruction__handlers__user"
    )
    if kind == "outgoing":
        documents = documents.filter(
            direction=Document.Direction.OUTGOING,
            status=Status.ISSUED,
            issued_on__gte=date_from,
            issued_on__lte=date_to,
        ).order_by("issued_on", "number", "pk")
        return [_outgoing_row(document) for document in documents]
    documents = documents.filter(
        direction=Document.Direction.INCOMING,
        arrival_number__isnull=False,
        registered_at__date__gte=date_from,
        registered_at__date__lte=date_to,
    ).order_by("registered_at", "arrival_number", "pk")
    if kind == "tracking":
        return [_tracking_row(document) for document in documents.filter(instruction__isnull=False)]
    return [_incoming_row(document) for document in documents]


def register_file(*, kind: str, organisation, date_from, date_to, rows, secret: bool, fmt: str):
    """The register as an XLSX workbook (core.exports: every cell safe) or an A4 landscape PDF
    (core.reporting.pdf: Vietnamese text, page n/N, the heading repeated on every page)."""
    register = REGISTERS[kind]
    title = str(register.title) + (f" ({_('secret documents')})" if secret else "")
    period = _("From %(start)s to %(end)s") % {"start": _day(date_from), "end": _day(date_to)}
    header = [str(column) for column in register.columns]
    name = f"so-{kind}-{organisation.pk}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if fmt == "pdf":
        content = table_pdf(
            title=title,
            lines=[organisation.name, period],
            header=header,
            rows=rows,
            widths=register.widths,
            system=str(_("Official documents")),
            align=["LEFT"] * len(header),
        )
        return pdf_response(content, filename=f"{name}.pdf")
    return xlsx_response(filename=f"{name}.xlsx", sheet=title, header=header, rows=rows)


# A work file's index of documents (mục lục văn bản), in chronological order ---------------------------

WORKFILE_INDEX = Register(
    "workfile",
    gettext_lazy("Index of the documents in the file"),
    (
        _column("Item"),
        _column("Number and notation"),
        _column("Date"),
        _column("Issuer"),
        _column("Summary"),
        _column("Pages"),
        _column("Notes"),
    ),
    (14, 34, 24, 50, 105, 16, 34),
)


def workfile_rows(user, workfile) -> list[list]:
    """The rows of a work file's index, as `user` may see them (a secret document only where named)."""
    rows = []
    for item, document in enumerate(selectors.workfile_documents(user, workfile), start=1):
        rows.append(
            [
                item,
                document.notation,
                _day(document.day),
                document.issuing_body,
                _type_summary(document),
                document.page_count,
                _notes(document),
            ]
        )
    return rows


def workfile_file(workfile, rows, *, fmt: str):
    """The index as XLSX or PDF."""
    title = f"{WORKFILE_INDEX.title} {workfile.code}"
    header = [str(column) for column in WORKFILE_INDEX.columns]
    name = f"ho-so-{workfile.year}-{workfile.pk}"
    if fmt == "pdf":
        content = table_pdf(
            title=title,
            lines=[workfile.title, f"{workfile.organisation.name} · {workfile.year} · {workfile.retention}"],
            header=header,
            rows=rows,
            widths=WORKFILE_INDEX.widths,
            system=str(_("Official documents")),
            align=["LEFT"] * len(header),
        )
        return pdf_response(content, filename=f"{name}.pdf")
    return xlsx_response(filename=f"{name}.xlsx", sheet=title, header=header, rows=rows)
