"""Photos and videos attached to reports: the type is read from the content, never from the name."""

import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from mutagen import MutagenError
from mutagen.mp4 import MP4

from thongsuot.feedback.models import Attachment, Report

IMAGE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
VIDEO_TYPES = {"video/mp4": ".mp4"}
MB = 1024 * 1024


def limits() -> dict[str, int]:
    return {
        "photos": getattr(settings, "FEEDBACK_MAX_PHOTOS", 5),
        "photo_bytes": getattr(settings, "FEEDBACK_PHOTO_MAX_BYTES", 5 * MB),
        "video_bytes": getattr(settings, "FEEDBACK_VIDEO_MAX_BYTES", 30 * MB),
        "video_seconds": getattr(settings, "FEEDBACK_VIDEO_MAX_SECONDS", 120),
    }


def video_seconds(upload) -> float | None:
    """The length an MP4 records for itself (its movie header, read with mutagen), or None when the file
    has the MP4 signature but no readable movie: not a video anyone could play."""
    upload.seek(0)
    try:
        return MP4(upload).info.length
    except MutagenError:
        return None
    finally:
        upload.seek(0)


def sniff(head: bytes) -> str | None:
    """The content type from the first bytes (JPEG, PNG, WebP, MP4), or None."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"):
        return "video/mp4"
    return None


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


def check_files(files, *, field: str = "attachments") -> list[tuple[object, str]]:
    """Every file with its sniffed type; raises ValidationError naming `field` for any refused file.

    Allowed: up to N photos (JPEG, PNG, WebP), or one video (MP4, at most FEEDBACK_VIDEO_MAX_SECONDS long).
    """
    files = [f for f in files or [] if f]
    if not files:
        return []
    limit = limits()
    errors: list[str] = []
    checked: list[tuple[object, str]] = []
    for upload in files:
        name = getattr(upload, "name", "") or "file"
        kind = sniff(_head(upload))
        if kind is None:
            errors.append(_("%(name)s is not a JPEG, PNG or WebP photo or an MP4 video.") % {"name": name})
            continue
        maximum = limit["video_bytes"] if kind in VIDEO_TYPES else limit["photo_bytes"]
        if upload.size > maximum:
            errors.append(_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": maximum // MB})
            continue
        if kind in VIDEO_TYPES:
            seconds = video_seconds(upload)
            if seconds is None:
                errors.append(_("%(name)s is not a playable MP4 video.") % {"name": name})
                continue
            if seconds > limit["video_seconds"]:
                errors.append(
                    _("%(name)s lasts longer than %(n)d seconds; send a shorter video.")
                    % {"name": name, "n": limit["video_seconds"]}
                )
                continue
        checked.append((upload, kind))
    videos = [c for c in checked if c[1] in VIDEO_TYPES]
    if videos and len(files) > 1:
        errors.append(_("Attach either photos or one video, not both."))
    elif len(files) > limit["photos"]:
        errors.append(
            ngettext("Attach at most %(n)d photo.", "Attach at most %(n)d photos.", limit["photos"])
            % {"n": limit["photos"]}
        )
    if errors:
        raise ValidationError({field: errors})
    return checked


_stored: ContextVar[list | None] = ContextVar("feedback_stored_files", default=None)


def discard_files_on_error(service):
    """Decorate a service (outside its @transaction.atomic) so that the files it stored are deleted again
    when it fails: the rolled-back rows leave no orphaned file in storage."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        stored: list = []
        token = _stored.set(stored)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for storage, name in stored:
                storage.delete(name)
            raise
        finally:
            _stored.reset(token)

    return wrapper


def save_file(upload, content_type: str) -> dict:
    """Write one checked upload where attachments live and return what attach() needs (JSON-ready, so a
    pending submission can carry it). Deleted again if the discard_files_on_error service around fails."""
    field = Attachment._meta.get_field("file")
    upload.seek(0)
    name = field.storage.save(
        field.generate_filename(None, f"{uuid.uuid4().hex}{(IMAGE_TYPES | VIDEO_TYPES)[content_type]}"),
        upload,
        max_length=field.max_length,
    )
    if (stored := _stored.get()) is not None:
        stored.append((field.storage, name))
    return {
        "name": name,
        "original_name": (getattr(upload, "name", "") or "file")[-200:],
        "content_type": content_type,
        "size": upload.size,
    }


def attach(*, report: Report, saved: dict, stage: str, public: bool, user=None, source_url: str = "") -> Attachment:
    """The Attachment row of a file save_file() wrote."""
    return Attachment.objects.create(
        report=report,
        stage=stage,
        file=saved["name"],
        original_name=saved["original_name"],
        content_type=saved["content_type"],
        size=saved["size"],
        public=public,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        source_url=source_url,
    )


def store(*, report: Report, upload, content_type: str, stage: str, public: bool, user=None) -> Attachment:
    return attach(report=report, saved=save_file(upload, content_type), stage=stage, public=public, user=user)
