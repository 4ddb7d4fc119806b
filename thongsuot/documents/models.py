"""Official documents: the document with its NĐ 30 metadata, its versions and files, its timeline, and
each organisation's document office (the notation of its name, its Party term key, its signing keys)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts.roles import CLERK
from thongsuot.core.attachments.models import AttachmentBase
from thongsuot.core.text import fold
from thongsuot.core.timeline import TimelineEvent
from thongsuot.documents.states import Status
from thongsuot.documents.types import Confidentiality, DocType, SignatureCheck, Urgency


class Office(models.Model):
    """How an organisation numbers and signs: the abbreviation of its name in notations ("UBND", "TU",
    "ĐU"), for a Party body the key of its committee terms (core Term.body), and its seal's key files."""

    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.PROTECT, related_name="document_office"
    )
    notation = models.CharField(_("abbreviation in notations"), max_length=20)
    term_body = models.CharField(_("Party term key"), max_length=100, blank=True)
    # Paths of key files (PEM) on the server; the private key itself never enters the database.
    seal_key_file = models.CharField(_("seal key file"), max_length=500, blank=True)
    seal_cert_file = models.CharField(_("seal certificate file"), max_length=500, blank=True)
    seal_chain_files = models.JSONField(_("seal certificate chain files"), default=list, blank=True)

    class Meta:
        verbose_name = _("document office")
        verbose_name_plural = _("document offices")

    def __str__(self):
        return f"{self.organisation} ({self.notation})"


class SignerKey(models.Model):
    """A signer's certificate and key file (paths only: the private key stays in its file or token)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_key")
    key_file = models.CharField(_("key file"), max_length=500)
    cert_file = models.CharField(_("certificate file"), max_length=500)
    chain_files = models.JSONField(_("certificate chain files"), default=list, blank=True)

    class Meta:
        verbose_name = _("signer key")
        verbose_name_plural = _("signer keys")

    def __str__(self):
        return str(self.user)


class Document(models.Model):
    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing")
        INCOMING = "incoming", _("Incoming")

    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, db_index=True)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="documents", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    doc_type = models.CharField(_("type"), max_length=4, choices=DocType.choices)
    regulatory = models.BooleanField(_("regulatory document"), default=False)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # The register this document's own number belongs to (the core.numbering counter's keys): the
    # outgoing number of an outgoing document, the arrival number of an incoming one.
    series = models.CharField(max_length=60, blank=True, editable=False)
    period = models.CharField(max_length=40, blank=True, editable=False)
    notation = models.CharField(_("number and notation"), max_length=60, blank=True, db_index=True)
    drafting_unit = models.CharField(
        _("drafting unit abbreviation"), max_length=20, blank=True, help_text=_("For a công văn: UBND-VX → VX.")
    )
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    issuer = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("summary (trích yếu)"), max_length=1000)
    summary_folded = models.CharField(max_length=1000, editable=False, db_index=True)
    # The text layer of the current PDF, and the folded text the search reads (metadata and text; on
    # PostgreSQL under a trigram GIN index, migration 0005), written with the document: it never drifts.
    extracted_text = models.TextField(_("text of the file"), blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, blank=True)
    confidentiality = models.CharField(_("confidentiality"), max_length=10, choices=Confidentiality.choices, blank=True)
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    recipients = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="+", verbose_name=_("recipients")
    )
    other_recipients = models.CharField(_("other recipients"), max_length=1000, blank=True)
    # Incoming: the arrival (registration) number of the year and the outgoing document it copies.
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # What the signatures of the received PDF showed when it arrived (signing.check).
    signature_check = models.CharField(_("signature check"), max_length=10, choices=SignatureCheck.choices, blank=True)
    signature_detail = models.CharField(_("signature details"), max_length=1000, blank=True)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    # Correction (đính chính): the issued document this one replaces (on a copy: the recipient's copy of it).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacements", verbose_name=_("replaces")
    )
    # A secret document (độ mật) is seen only by the people named on it: its drafter, the clerk who
    # registered it, and `readers` (named by the drafter, the clerk or a named leader; the leader's
    # instruction names its handlers); before registration, by the receiving unit's clerks.
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people named")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # The backstop of numbering: a number is used once in its series, scope and period.
            models.UniqueConstraint(
                fields=["organisation", "series", "period", "number"],
                condition=models.Q(number__isnull=False, direction="outgoing"),
                name="documents_unique_outgoing_number",
            ),
            models.UniqueConstraint(
                fields=["organisation", "series", "period", "arrival_number"],
                condition=models.Q(arrival_number__isnull=False),
                name="documents_unique_arrival_number",
            ),
        ]

    def __str__(self):
        return self.notation or self.summary[:60]

    def save(self, *args, **kwargs):
        from thongsuot.documents.text import search_text

        self.summary_folded = fold(self.summary)
        self.search_text = search_text(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "summary_folded", "search_text"}
        super().save(*args, **kwargs)

    @property
    def secret(self) -> bool:
        return bool(self.confidentiality)

    def named_on(self, user) -> bool:
        """May `user` see this document as far as its confidentiality goes (always, when not secret)?"""
        if not self.secret:
            return True
        if not getattr(user, "pk", None):
            return False
        if user.pk in (self.created_by_id, self.registered_by_id):
            return True
        if self.status == Status.ARRIVED and user.organisation_id == self.organisation_id and user.has_role(CLERK):
            return True
        return self.readers.filter(pk=user.pk).exists()

    def current_file(self):
        return self.files.order_by("-version", "-pk").first()


class DocumentFile(AttachmentBase):
    """A file of a document: each draft version, then the signed PDF (signer, then seal)."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed by the signer")
        ISSUED = "issued", _("Issued (sealed)")
        RECEIVED = "received", _("Received")

    file = models.FileField(upload_to="documents/%Y/%m/", max_length=200)
    thumbnail = models.FileField(upload_to="documents/%Y/%m/", max_length=200, blank=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["version", "pk"]


class DocumentEvent(TimelineEvent):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEvent.Meta):
        pass


class Instruction(models.Model):
    """The leader's direction of an incoming document (ý kiến chỉ đạo): the instruction, the deadline (a
    working day, core.calendar) and the handlers — one lead (chủ trì) and the supporting ones (phối hợp)."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="instruction")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("instruction"))
    deadline = models.DateField(_("deadline"), db_index=True)
    given_at = models.DateTimeField(_("given at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The deadline each reminder was sent for: a reminder is sent once (the sweep is idempotent).
    due_soon_reminded_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")

    def __str__(self):
        return f"{self.document}: {self.text[:60]}"


class Handler(models.Model):
    """A person who handles a directed document: the lead handler, or a supporting one."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField(_("lead handler"), default=False)

    class Meta:
        ordering = ["-lead", "pk"]
        constraints = [models.UniqueConstraint(fields=["instruction", "user"], name="documents_handler_once")]

    def __str__(self):
        return str(self.user)


class WorkFile(models.Model):
    """A work file (hồ sơ công việc, NĐ 30 Art. 28–31): the documents about one matter that its handler
    opens, fills and closes. A document sits in several files without being copied. Handed to the agency's
    archive within a year of closing (`archive_due`); its handler is reminded 30 days before."""

    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"), db_index=True)
    code = models.CharField(_("file code"), max_length=40)
    title = models.CharField(_("title"), max_length=500)
    retention = models.CharField(_("retention period"), max_length=60)
    documents = models.ManyToManyField(Document, blank=True, related_name="work_files")
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archive_due = models.DateField(_("due for the archive"), null=True, blank=True)
    archive_reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["year", "code", "pk"]
        verbose_name = _("work file")
        verbose_name_plural = _("work files")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "code"], name="documents_workfile_code_once")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def closed(self) -> bool:
        return self.closed_at is not None
