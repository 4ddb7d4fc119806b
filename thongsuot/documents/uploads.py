"""The files a document takes (core attachment policies) and who may download them."""

from thongsuot.core import attachments
from thongsuot.core.attachments import MB, AttachmentPolicy, Rule

# A draft version or a received file: PDF (signed or not), DOCX, ODT; one file per version.
DRAFT = AttachmentPolicy(
    name="documents.draft",
    max_files=1,
    rules=(Rule("pdf", 30 * MB), Rule("docx", 20 * MB), Rule("odt", 20 * MB)),
)


def can_view(user, item) -> bool:
    from thongsuot.documents import selectors

    return selectors.can_view(user, item.document)


def register_owner() -> None:
    from thongsuot.documents.models import DocumentFile

    attachments.register(
        "documents", queryset=lambda: DocumentFile.objects.select_related("document"), can_view=can_view
    )
