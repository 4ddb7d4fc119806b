"""Attachments, one building block for every system: policies checked by content, storage through
Django's storage API only, thumbnails, and one download view that asks the file's owner first.

    from thongsuot.core import attachments

    POLICY = attachments.AttachmentPolicy(
        name="documents.incoming",
        rules=(attachments.Rule("signed_pdf", 20 * attachments.MB), attachments.Rule("docx", 10 * attachments.MB)),
        max_files=10,
    )
    checked = attachments.check(POLICY, request.FILES.getlist("files"), field="files")
    saved = [attachments.save(c, field=Document._meta.get_field("file")) for c in checked]
    attachments.register("documents", queryset=..., can_view=lambda user, item: ...)

See docs/architecture-files.md.
"""

from thongsuot.core.attachments.errors import Refused
from thongsuot.core.attachments.owners import register
from thongsuot.core.attachments.policy import (
    IMAGE_TYPES,
    KINDS,
    MB,
    VIDEO_TYPES,
    AttachmentPolicy,
    CheckedFile,
    Rule,
    check,
    check_one,
)
from thongsuot.core.attachments.storing import discard_files_on_error, save

__all__ = [
    "IMAGE_TYPES",
    "KINDS",
    "MB",
    "VIDEO_TYPES",
    "AttachmentPolicy",
    "CheckedFile",
    "Refused",
    "Rule",
    "check",
    "check_one",
    "discard_files_on_error",
    "register",
    "save",
]
