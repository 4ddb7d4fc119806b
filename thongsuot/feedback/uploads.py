"""Photos and videos attached to reports: feedback's attachment policy, declared on the shared building
block (thongsuot.core.attachments), which checks each file by decoding it, re-encodes photos without their
metadata and stores files through Django's storage API."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thongsuot.core import attachments
from thongsuot.core.attachments import IMAGE_TYPES, MB, VIDEO_TYPES, discard_files_on_error
from thongsuot.feedback.models import Attachment, Report

__all__ = ["IMAGE_TYPES", "MB", "VIDEO_TYPES", "attach", "check_files", "discard_files_on_error", "save_file"]


def limits() -> dict[str, int]:
    return {
        "photos": settings.FEEDBACK_MAX_PHOTOS,
        "photo_bytes": settings.FEEDBACK_PHOTO_MAX_BYTES,
        "video_bytes": settings.FEEDBACK_VIDEO_MAX_BYTES,
        "video_seconds": settings.FEEDBACK_VIDEO_MAX_SECONDS,
    }


def policy() -> attachments.AttachmentPolicy:
    """Up to FEEDBACK_MAX_PHOTOS photos (JPEG, PNG, WebP), or one MP4 video alone, at most
    FEEDBACK_VIDEO_MAX_SECONDS long (read from the settings on each call: they may change in tests)."""
    limit = limits()
    return attachments.AttachmentPolicy(
        name="feedback.report",
        rules=(
            attachments.Rule("image", limit["photo_bytes"], max_count=limit["photos"]),
            attachments.Rule(
                "video", limit["video_bytes"], max_count=1, alone=True, max_seconds=limit["video_seconds"]
            ),
        ),
        max_files=limit["photos"],
        messages={
            "type": _("%(name)s is not a JPEG, PNG or WebP photo or an MP4 video."),
            "alone": _("Attach either photos or one video, not both."),
        },
        too_many=lambda n: ngettext("Attach at most %(n)d photo.", "Attach at most %(n)d photos.", n) % {"n": n},
    )


def check_files(files, *, field: str = "attachments") -> list[tuple[attachments.CheckedFile, str]]:
    """Every file checked (by content, in depth) with its type; raises ValidationError naming `field`."""
    return [(checked, checked.content_type) for checked in attachments.check(policy(), files, field=field)]


def save_file(checked: attachments.CheckedFile, content_type: str | None = None) -> dict:
    """Write one checked file (and a photo's thumbnail) where attachments live; JSON-ready, so a pending
    submission can carry it. Deleted again if the discard_files_on_error service around fails."""
    return attachments.save(checked, field=Attachment._meta.get_field("file"))


def attach(*, report: Report, saved: dict, stage: str, public: bool, user=None, source_url: str = "") -> Attachment:
    """The Attachment row of a file save_file() wrote."""
    return Attachment.objects.create(
        report=report,
        stage=stage,
        file=saved["name"],
        thumbnail=saved.get("thumbnail", ""),
        original_name=saved["original_name"],
        content_type=saved["content_type"],
        # a submission queued before files had a kind carries none: feedback took only photos and MP4s
        kind=saved.get("kind") or ("video" if saved["content_type"] in VIDEO_TYPES else "image"),
        size=saved["size"],
        public=public,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        source_url=source_url,
    )


def store(*, report: Report, upload, content_type: str, stage: str, public: bool, user=None) -> Attachment:
    return attach(report=report, saved=save_file(upload, content_type), stage=stage, public=public, user=user)


def can_view(user, item: Attachment) -> bool:
    """A result photo of a published report for everyone; every other file for staff who see the report's
    unit (the same rule as the report)."""
    from thongsuot.accounts import access
    from thongsuot.feedback import SYSTEM, selectors

    if selectors.public_attachments(report=item.report).filter(pk=item.pk).exists():
        return True
    return access.can_view_organisation(user, item.report.organisation_id, system=SYSTEM)


def register_owner() -> None:
    """The download view (core.attachments) serves feedback's files after can_view() (apps.ready)."""
    attachments.register("feedback", queryset=lambda: Attachment.objects.select_related("report"), can_view=can_view)
