"""Attachment policies: what a system accepts for one kind of attachment, and the check that applies one.

A system declares, for each place files are attached, an AttachmentPolicy: the kinds it accepts with the
size (and, for videos, length) limit of each, how many files at most, which kind must come alone. The
kind of a file is read from its content, in depth (images.py, video.py, documents.py), never from its
name, its declared type or its first bytes alone. check() returns what to store (photos re-encoded
without metadata, with a thumbnail), or raises one ValidationError naming the form's field, with one
sentence per refused file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from thongsuot.core.attachments import documents, images, video
from thongsuot.core.attachments.errors import Refused

MB = 1024 * 1024

# Every kind the platform can check: its label in messages.
KINDS = {
    "image": gettext_lazy("JPEG, PNG or WebP photo"),
    "video": gettext_lazy("MP4 video"),
    "pdf": gettext_lazy("PDF"),
    "signed_pdf": gettext_lazy("signed PDF"),
    "docx": gettext_lazy("DOCX document"),
    "xlsx": gettext_lazy("XLSX spreadsheet"),
    "odt": gettext_lazy("ODT document"),
}
IMAGE_TYPES = {content_type: ext for content_type, ext in images.FORMATS.values()}
VIDEO_TYPES = {"video/mp4": ".mp4"}


@dataclass(frozen=True)
class Rule:
    """One accepted kind: its largest size, how many at most (None: only the policy's total), whether it
    must be the only file, and for a video its longest length."""

    kind: str
    max_bytes: int
    max_count: int | None = None
    alone: bool = False
    max_seconds: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown attachment kind {self.kind!r}; known: {', '.join(KINDS)}")


@dataclass(frozen=True)
class AttachmentPolicy:
    """What one place of one system accepts. `messages` may replace the sentences of "type" (a file of no
    accepted kind; %(name)s), "alone" (a kind that must come alone came with others) and `too_many`
    (n -> the sentence for more than max_files files)."""

    name: str
    rules: tuple[Rule, ...]
    max_files: int
    thumbnail_px: int = 480
    max_pixels: int = images.MAX_PIXELS
    max_unpacked_bytes: int = 200 * MB  # office documents: the bound on what the zip unpacks to
    messages: dict = field(default_factory=dict)
    too_many: Callable[[int], str] | None = None

    def rule(self, kind: str) -> Rule | None:
        for rule in self.rules:
            if rule.kind == kind:
                return rule
        if kind == "signed_pdf":  # a signed PDF is a PDF: a policy taking PDFs takes it too
            return self.rule("pdf")
        return None

    @property
    def max_bytes(self) -> int:
        return max(rule.max_bytes for rule in self.rules)

    def count_errors(self, kinds: list[str], *, total: int | None = None) -> list[str]:
        """The sentences for files of these kinds together (`total`: how many were sent, refused ones
        included): a kind that must come alone came with others, more than max_files, more of a kind than
        its max_count. Also for a file added to those already stored (e.g. one downloaded later)."""
        total = len(kinds) if total is None else total
        lonely = [kind for kind in kinds if (rule := self.rule(kind)) and rule.alone]
        if lonely and total > 1:
            if "alone" in self.messages:
                return [str(self.messages["alone"])]
            return [_("A file of the kind %(kind)s must be sent alone.") % {"kind": KINDS[lonely[0]]}]
        if total > self.max_files:
            n = self.max_files
            if self.too_many:
                return [self.too_many(n)]
            return [ngettext("Attach at most %(n)d file.", "Attach at most %(n)d files.", n) % {"n": n}]
        errors = []
        for rule in self.rules:
            count = sum(1 for kind in kinds if self.rule(kind) is rule)
            if rule.max_count is not None and count > rule.max_count:
                errors.append(
                    _("Attach at most %(n)d of the kind %(kind)s.") % {"n": rule.max_count, "kind": KINDS[rule.kind]}
                )
        return errors


@dataclass
class CheckedFile:
    """A file that passed its policy: what to store (`content`), its kind, type, extension, the name the
    sender gave it, its thumbnail (photos) and what the check read (pixels, seconds, pages, signatures)."""

    kind: str
    content_type: str
    extension: str
    original_name: str
    content: File
    size: int
    thumbnail: bytes | None = None
    details: dict = field(default_factory=dict)


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


def _family(head: bytes) -> str | None:
    """Which checker reads the file: a first guess only, confirmed by decoding."""
    if (
        head[:3] == b"\xff\xd8\xff"
        or head[:8] == b"\x89PNG\r\n\x1a\n"
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return "image"
    if video.sniff(head):
        return "video"
    if documents.is_pdf(head):
        return "pdf"
    if documents.is_zip(head):
        return "office"
    return None


def _type_message(policy: AttachmentPolicy, name: str) -> str:
    if "type" in policy.messages:
        return str(policy.messages["type"]) % {"name": name}
    labels = ", ".join(str(KINDS[rule.kind]) for rule in policy.rules)
    return _("%(name)s is not an accepted file (accepted: %(kinds)s).") % {"name": name, "kinds": labels}


def _office_allowed(policy: AttachmentPolicy) -> bool:
    return any(policy.rule(kind) for kind in ("docx", "xlsx", "odt"))


def check_one(policy: AttachmentPolicy, upload) -> CheckedFile:
    """One file against `policy` (kind, size, content in depth); raises Refused with a sentence naming it."""
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1]
    family = _family(_head(upload))
    accepted = {
        "image": policy.rule("image"),
        "video": policy.rule("video"),
        "pdf": policy.rule("pdf") or policy.rule("signed_pdf"),
        "office": _office_allowed(policy),
    }
    if family is None or not accepted[family]:
        raise Refused(_type_message(policy, name))
    size = _size(upload)
    largest = accepted[family].max_bytes if isinstance(accepted[family], Rule) else policy.max_bytes
    if size > largest:
        raise Refused(_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": max(largest // MB, 1)})
    if family == "image":
        picture = images.decode(upload, name=name, max_pixels=policy.max_pixels)
        content_type, extension = images.FORMATS[picture.format]
        data = images.reencode(picture)
        return CheckedFile(
            kind="image",
            content_type=content_type,
            extension=extension,
            original_name=name,
            content=ContentFile(data, name=name),
            size=len(data),
            thumbnail=images.thumbnail(picture, size=policy.thumbnail_px),
            details={"width": picture.width, "height": picture.height},
        )
    if family == "video":
        seconds = video.seconds(upload, name=name)
        rule = accepted["video"]
        if rule.max_seconds is not None and seconds > rule.max_seconds:
            raise Refused(
                _("%(name)s lasts longer than %(n)d seconds; send a shorter video.")
                % {"name": name, "n": rule.max_seconds}
            )
        return CheckedFile("video", "video/mp4", ".mp4", name, upload, size, details={"seconds": round(seconds, 3)})
    if family == "pdf":
        kind, details = documents.pdf(upload, name=name)
    else:
        kind, details = documents.office(upload, name=name, max_unpacked=policy.max_unpacked_bytes)
    rule = policy.rule(kind)
    if rule is None:
        if kind == "pdf" and policy.rule("signed_pdf"):
            raise Refused(_("%(name)s carries no digital signature; send the signed PDF.") % {"name": name})
        raise Refused(_type_message(policy, name))
    if size > rule.max_bytes:
        raise Refused(_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": max(rule.max_bytes // MB, 1)})
    return CheckedFile(
        kind, documents.CONTENT_TYPES[kind], documents.EXTENSIONS[kind], name, upload, size, details=details
    )


def check(policy: AttachmentPolicy, files, *, field: str) -> list[CheckedFile]:
    """Every file checked against `policy`; raises ValidationError({field: [sentences]}) if any is refused
    or the files together break a count rule. Nothing is stored here."""
    files = [f for f in files or [] if f]
    if not files:
        return []
    errors: list[str] = []
    checked: list[CheckedFile] = []
    for upload in files:
        try:
            checked.append(check_one(policy, upload))
        except Refused as exc:
            errors.append(str(exc))
    errors += policy.count_errors([c.kind for c in checked], total=len(files))
    if errors:
        raise ValidationError({field: errors})
    return checked
