"""Every change of the documents system: keyword-only `<thing>_<action>`, atomic, audited in the same
transaction (the timeline records the event and the audit row), checked against the workflow table."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.accounts.models import Role
from thongsuot.core import attachments
from thongsuot.core.attachments import CheckedFile
from thongsuot.core.audit import audited_update
from thongsuot.core.calendar import city_time
from thongsuot.core.text import normalise_space
from thongsuot.core.workflow import transition
from thongsuot.directory.models import Organisation
from thongsuot.documents import SYSTEM, notifications, numbering, selectors, signing, text
from thongsuot.documents.audit_actions import OfficeAudit
from thongsuot.documents.models import Document, DocumentFile, Office, SignerKey
from thongsuot.documents.states import TIMELINE, WORKFLOW, Status
from thongsuot.documents.types import Confidentiality, DocType, Urgency
from thongsuot.documents.uploads import DRAFT

MAX_SUMMARY = Document._meta.get_field("summary").max_length


# Offices ------------------------------------------------------------------------------------------


def office_for(organisation) -> Office:
    """The organisation's document office, created with its default abbreviation the first time."""
    office, _created = Office.objects.get_or_create(
        organisation=organisation, defaults={"notation": numbering.default_office_notation(organisation)}
    )
    return office


@transaction.atomic
def office_save(
    *,
    actor,
    organisation,
    notation: str,
    term_body: str = "",
    seal_key_file: str = "",
    seal_cert_file: str = "",
    seal_chain_files=(),
) -> Office:
    """Set how `organisation` numbers and seals (its administrators or platform administrators)."""
    access.require_change(actor, organisation.pk, roles=(Role.UNIT_ADMIN,), system=SYSTEM)
    notation = (notation or "").strip()
    if not notation or " " in notation or "/" in notation or len(notation) > 20:
        raise ValidationError({"notation": [_("Give the abbreviation without spaces or slashes, e.g. UBND.")]})
    office = office_for(organisation)
    audited_update(
        office,
        actor=actor,
        action=OfficeAudit.SAVE,
        organisation_id=organisation.pk,
        fields={
            "notation": notation,
            "term_body": term_body.strip(),
            "seal_key_file": seal_key_file,
            "seal_cert_file": seal_cert_file,
            "seal_chain_files": list(seal_chain_files),
        },
        tracked=["notation", "term_body", "seal_cert_file"],
    )
    return office


@transaction.atomic
def signer_key_save(*, actor, user, key_file: str, cert_file: str, chain_files=()) -> SignerKey:
    """Record where a signer's key and certificate files are (never the key itself)."""
    access.require_change(actor, user.organisation_id, roles=(Role.UNIT_ADMIN,), system=SYSTEM)
    key, _created = SignerKey.objects.get_or_create(user=user, defaults={"key_file": key_file, "cert_file": cert_file})
    audited_update(
        key,
        actor=actor,
        action=OfficeAudit.SAVE,
        organisation_id=user.organisation_id,
        fields={"key_file": key_file, "cert_file": cert_file, "chain_files": list(chain_files)},
        tracked=["cert_file"],
    )
    return key


# Drafts -------------------------------------------------------------------------------------------


def _clean_metadata(*, doc_type, summary, urgency, confidentiality, drafting_unit, recipients) -> dict:
    errors = {}
    if doc_type not in DocType.values:
        errors["doc_type"] = [_("Choose a document type from the list.")]
    summary = normalise_space(summary or "")
    if not summary:
        errors["summary"] = [_("Give the summary (trích yếu) of the document.")]
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = [_("At most %(limit)d characters.") % {"limit": MAX_SUMMARY}]
    if (urgency or "") not in Urgency.values:
        errors["urgency"] = [_("Choose an urgency from the list.")]
    if (confidentiality or "") not in Confidentiality.values:
        errors["confidentiality"] = [_("Choose a confidentiality level from the list.")]
    drafting_unit = (drafting_unit or "").strip()
    if drafting_unit and (" " in drafting_unit or "/" in drafting_unit or len(drafting_unit) > 20):
        errors["drafting_unit"] = [_("Give the drafting unit's abbreviation without spaces or slashes, e.g. VX.")]
    found = list(Organisation.objects.filter(pk__in=list(recipients or []), is_active=True))
    if len(found) != len(set(recipients or [])):
        errors["recipients"] = [_("A recipient is not an organisation on the platform.")]
    if errors:
        raise ValidationError(errors)
    return {
        "doc_type": doc_type,
        "summary": summary,
        "urgency": urgency or "",
        "confidentiality": confidentiality or "",
        "drafting_unit": drafting_unit,
        "recipients": found,
    }


def _unit_staff(organisation_id: int, ids, *, field: str) -> list:
    """The active staff of the organisation with these ids, or a ValidationError on `field`."""
    from thongsuot.accounts.models import User

    wanted = {int(pk) for pk in ids or ()}
    found = list(User.objects.filter(pk__in=wanted, organisation_id=organisation_id, is_active=True, kind="staff"))
    if len(found) != len(wanted):
        raise ValidationError({field: [_("Name only staff of the unit.")]})
    return found


@transaction.atomic
def document_name_readers(*, actor, document, user_ids) -> Document:
    """Name more people on a secret document (the clerk submitting it to a leader, a drafter naming the
    leader who reviews it): only they, besides those already named, may see it."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not selectors.can_name_readers(actor, document):
        raise PermissionDenied(_("Only the people named on a secret document may name others on it."))
    people = _unit_staff(document.organisation_id, user_ids, field="readers")
    if not people:
        raise ValidationError({"readers": [_("Choose the people to name.")]})
    document.readers.add(*people)
    names = ", ".join(person.full_name or person.get_username() for person in people)
    TIMELINE.record(document, actor=actor, action="name_readers", note=names, save=False)
    return document


def _store(document, checked: CheckedFile, *, version: int, stage: str, actor, note: str = "") -> DocumentFile:
    """Store a version's file; a PDF's text becomes the document's searchable text, in this transaction."""
    saved = attachments.save(checked, field=DocumentFile._meta.get_field("file"))
    stored = DocumentFile.objects.create(
        document=document,
        file=saved["name"],
        original_name=saved["original_name"],
        content_type=saved["content_type"],
        kind=saved["kind"],
        size=saved["size"],
        version=version,
        stage=stage,
        note=note,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if stored.kind in ("pdf", "signed_pdf"):
        with stored.file.open("rb") as handle:
            document.extracted_text = text.pdf_text(handle.read())
        document.save(update_fields=["extracted_text"])
    return stored


def _pdf(content: bytes, name: str) -> CheckedFile:
    return CheckedFile(
        kind="signed_pdf",
        content_type="application/pdf",
        extension=".pdf",
        original_name=name,
        content=ContentFile(content),
        size=len(content),
    )


def _next_version(document) -> int:
    last = document.files.order_by("-version").values_list("version", flat=True).first()
    return (last or 0) + 1


@attachments.discard_files_on_error
@transaction.atomic
def document_create(
    *,
    actor,
    doc_type: str,
    summary: str,
    urgency: str = "",
    confidentiality: str = "",
    regulatory: bool = False,
    drafting_unit: str = "",
    recipients=(),
    other_recipients: str = "",
    file=None,
    readers=(),
    replaces: int | None = None,
) -> Document:
    """A new outgoing draft of the actor's organisation (version 1 when a file is given). `readers`: the
    staff of the unit named on a secret draft (its leader, its clerk), who alone may see it besides the
    drafter."""
    organisation = getattr(actor, "organisation", None)
    if organisation is None or not actor.has_role(*(Role.SPECIALIST, Role.CLERK, Role.UNIT_ADMIN, Role.LEADER)):
        raise PermissionDenied(_("Your role does not allow this action."))
    clean = _clean_metadata(
        doc_type=doc_type,
        summary=summary,
        urgency=urgency,
        confidentiality=confidentiality,
        drafting_unit=drafting_unit,
        recipients=recipients,
    )
    named = _unit_staff(organisation.pk, readers, field="readers")
    replaced = None
    if replaces:
        replaced = (
            selectors.documents_for(actor)
            .filter(pk=replaces, organisation=organisation, direction=Document.Direction.OUTGOING, status=Status.ISSUED)
            .first()
        )
        if replaced is None:
            raise ValidationError({"replaces": [_("Choose an issued document of your unit to correct.")]})
    checked = attachments.check(DRAFT, [file], field="file") if file is not None else []
    recipients_found = clean.pop("recipients")
    document = Document.objects.create(
        direction=Document.Direction.OUTGOING,
        organisation=organisation,
        issuer=organisation,
        issuing_body=organisation.name,
        status=Status.DRAFT,
        regulatory=bool(regulatory),
        other_recipients=normalise_space(other_recipients or "")[:1000],
        created_by=actor,
        replaces=replaced,
        **clean,
    )
    document.recipients.set(recipients_found)
    if document.secret:
        document.readers.set(named)
    TIMELINE.record(document, actor=actor, action="create", save=False, to_status=Status.DRAFT)
    if checked:
        _store(document, checked[0], version=1, stage=DocumentFile.Stage.DRAFT, actor=actor)
    return document


@attachments.discard_files_on_error
@transaction.atomic
def document_revise(*, actor, document, file, note: str = "") -> DocumentFile:
    """A new version of a draft."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "revise")
    if file is None:
        raise ValidationError({"file": [_("Attach the new version's file.")]})
    checked = attachments.check(DRAFT, [file], field="file")[0]
    version = _next_version(document)
    stored = _store(document, checked, version=version, stage=DocumentFile.Stage.DRAFT, actor=actor, note=note)
    TIMELINE.record(document, actor=actor, action="revise", note=_("Version %(n)d") % {"n": version})
    return stored


def _step(actor, document, command: str, to_state: str, *, note: str = "", fields=None) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, command)
    transition(WORKFLOW, document, to_state, actor=actor, note=note, fields=fields)
    return document


@transaction.atomic
def document_submit(*, actor, document, note: str = "") -> Document:
    return _step(actor, document, "submit", Status.REVIEW, note=note)


@transaction.atomic
def document_approve(*, actor, document, note: str = "") -> Document:
    return _step(actor, document, "approve", Status.APPROVED, note=note)


@transaction.atomic
def document_return(*, actor, document, reason: str) -> Document:
    reason = normalise_space(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why the draft is returned.")]})
    return _step(actor, document, "return", Status.DRAFT, note=reason)


@attachments.discard_files_on_error
@transaction.atomic
def document_sign(*, actor, document) -> Document:
    """The signer's PAdES signature on the last version (a PDF), with its visible stamp."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    WORKFLOW.require(actor, document, "sign")
    key = SignerKey.objects.filter(user=actor).first()
    if key is None:
        raise ValidationError({"key": [_("You have no signing certificate configured.")]})
    current = document.current_file()
    with current.file.open("rb") as handle:
        content = handle.read()
    now = timezone.now()
    name = actor.full_name or actor.get_username()
    signed = signing.sign_as_signer(content, key=key, name=name, position=actor.position or "", at=now)
    _store(
        document,
        _pdf(signed, f"ky-{current.original_name.rsplit('.', 1)[0]}.pdf"),
        version=_next_version(document),
        stage=DocumentFile.Stage.SIGNED,
        actor=actor,
    )
    transition(
        WORKFLOW,
        document,
        Status.SIGNED,
        actor=actor,
        fields={
            "signer": actor,
            "signer_name": name,
            "signer_position": actor.position or "",
            "page_count": signing.page_count(signed),
        },
    )
    return document


@attachments.discard_files_on_error
@transaction.atomic
def document_issue(*, actor, document) -> Document:
    """Take the number of the right series, seal the signed PDF with the agency's signature stamped with
    number and notation, register it (the outgoing register is the issued documents) and deliver a copy
    to every recipient on the platform. Everything happens in one transaction: if sealing or delivering
    fails, the number is given back."""
    document = Document.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    WORKFLOW.require(actor, document, "issue")
    organisation = document.organisation
    office = office_for(organisation)
    now = timezone.now()
    today = numbering.today_in_city()
    series = numbering.outgoing_series(
        organisation=organisation,
        office=office,
        doc_type=document.doc_type,
        regulatory=document.regulatory,
        secret=document.secret,
        on=today,
    )
    number = numbering.take(series, organisation=organisation)
    notation = numbering.notation(
        number=number,
        doc_type=document.doc_type,
        body=office.notation,
        party=numbering.is_party(organisation),
        drafting_unit=document.drafting_unit,
    )
    current = document.current_file()
    with current.file.open("rb") as handle:
        sealed = signing.sign_as_seal(
            handle.read(), office=office, organisation_name=organisation.name, notation=notation, at=now
        )
    file_name = f"{notation.replace('/', '_')}.pdf"
    _store(
        document, _pdf(sealed, file_name), version=_next_version(document), stage=DocumentFile.Stage.ISSUED, actor=actor
    )
    transition(
        WORKFLOW,
        document,
        Status.ISSUED,
        actor=actor,
        note=notation,
        fields={
            "number": number,
            "notation": notation,
            "series": series.series,
            "period": series.period,
            "issued_on": today,
            "issued_at": now,
        },
    )
    for recipient in document.recipients.exclude(pk=organisation.pk):
        _deliver(document, recipient, sealed, file_name, now)
    if document.replaces_id:
        _mark_replaced(document)
    return document


def _mark_replaced(document) -> None:
    """A correcting document was issued: the document it replaces, and each copy of it delivered on the
    platform, record it; the copy of the correction points at the recipient's copy it replaces."""
    note = _("Replaced by %(notation)s") % {"notation": document.notation}
    TIMELINE.record(document.replaces, actor="system", action="replaced", note=note, save=False)
    for old_copy in Document.objects.filter(source_id=document.replaces_id):
        TIMELINE.record(old_copy, actor="system", action="replaced", note=note, save=False)
        Document.objects.filter(source=document, organisation_id=old_copy.organisation_id).update(replaces=old_copy)


def _deliver(document, recipient, content: bytes, file_name: str, now) -> Document:
    """The recipient's incoming copy: the same metadata, the sealed PDF, waiting in its incoming queue."""
    copy = Document.objects.create(
        direction=Document.Direction.INCOMING,
        organisation=recipient,
        status=Status.ARRIVED,
        source=document,
        doc_type=document.doc_type,
        regulatory=document.regulatory,
        number=document.number,
        notation=document.notation,
        issued_on=document.issued_on,
        issuing_body=document.issuing_body,
        issuer=document.organisation,
        summary=document.summary,
        urgency=document.urgency,
        confidentiality=document.confidentiality,
        page_count=document.page_count,
        signer_name=document.signer_name,
        signer_position=document.signer_position,
        arrived_at=now,
        **_signature_fields(content),
    )
    _store(copy, _pdf(content, file_name), version=1, stage=DocumentFile.Stage.RECEIVED, actor=None)
    TIMELINE.record(copy, actor="system", action="arrive", save=False, to_status=Status.ARRIVED)
    notifications.urgent_arrived(copy)
    return copy


def _signature_fields(content: bytes) -> dict:
    found = signing.check(content)
    return {"signature_check": found.result, "signature_detail": found.detail}


# Incoming: check and register, or send back ---------------------------------------------------------


@transaction.atomic
def document_register(*, actor, document) -> Document:
    """Register an arrived document in the unit's incoming register with the next arrival number of the
    year (secret documents in their own register); the sender's document records the acknowledgement."""
    document = Document.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    WORKFLOW.require(actor, document, "register")
    now = timezone.now()
    series = numbering.incoming_series(secret=document.secret, on=now)
    number = numbering.take(series, organisation=document.organisation)
    transition(
        WORKFLOW,
        document,
        Status.REGISTERED,
        actor=actor,
        note=_("Arrival number %(n)d") % {"n": number},
        fields={
            "arrival_number": number,
            "series": series.series,
            "period": series.period,
            "registered_at": now,
            "registered_by": actor,
        },
    )
    if document.source_id:
        note = f"{document.organisation.name}: số đến {number}, {city_time(now):%d/%m/%Y %H:%M}"
        TIMELINE.record(document.source, actor="system", action="acknowledged", note=note, save=False)
    return document


@transaction.atomic
def document_send_back(*, actor, document, reason: str) -> Document:
    """Return an arrived document to its sender (misaddressed, invalid signature, …) with the reason."""
    reason = normalise_space(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why the document is returned to its sender.")]})
    document = _step(actor, document, "send_back", Status.SENT_BACK, note=reason)
    if document.source_id:
        note = f"{document.organisation.name}: {reason}"
        TIMELINE.record(document.source, actor="system", action="sent_back_by_recipient", note=note, save=False)
    return document


from thongsuot.documents.services.handling import document_complete as document_complete  # noqa: E402
from thongsuot.documents.services.handling import document_direct as document_direct  # noqa: E402
from thongsuot.documents.services.handling import document_progress as document_progress  # noqa: E402
from thongsuot.documents.services.handling import instructions_remind as instructions_remind  # noqa: E402
from thongsuot.documents.services.recall import document_confirm_recall as document_confirm_recall  # noqa: E402
from thongsuot.documents.services.recall import document_recall as document_recall  # noqa: E402
from thongsuot.documents.services.workfiles import workfile_add as workfile_add  # noqa: E402
from thongsuot.documents.services.workfiles import workfile_close as workfile_close  # noqa: E402
from thongsuot.documents.services.workfiles import workfile_open as workfile_open  # noqa: E402
from thongsuot.documents.services.workfiles import workfiles_remind_archive as workfiles_remind_archive  # noqa: E402
