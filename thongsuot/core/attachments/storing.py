"""Writing checked files where their model's FileField keeps them, through Django's storage API only
(local disk, S3-compatible object storage or any other backend: no code here knows a local path).

save() writes a checked file and its thumbnail and returns a JSON-ready record (so a queued submission
can carry it until a worker makes the row). A service decorated with discard_files_on_error deletes the
files it wrote again when it fails, so a rolled-back transaction leaves no orphaned file in storage.
"""

import uuid
from contextvars import ContextVar
from functools import wraps

from django.core.files.base import ContentFile

from thongsuot.core.attachments.policy import CheckedFile

_stored: ContextVar[list | None] = ContextVar("attachments_stored_files", default=None)


def discard_files_on_error(service):
    """Decorate a service (outside its @transaction.atomic) so that the files it stored through save()
    are deleted again when it raises."""

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


def _write(field, name: str, content) -> str:
    content.seek(0)
    stored = field.storage.save(field.generate_filename(None, name), content, max_length=field.max_length)
    if (tracked := _stored.get()) is not None:
        tracked.append((field.storage, stored))
    return stored


def save(checked: CheckedFile, *, field, thumbnail_field=None) -> dict:
    """Store `checked` through `field`'s storage and upload_to (a model's FileField), its thumbnail through
    `thumbnail_field` (default: the same field); returns {name, thumbnail, original_name, content_type,
    size, kind}."""
    stem = uuid.uuid4().hex
    name = _write(field, f"{stem}{checked.extension}", checked.content)
    thumbnail = ""
    if checked.thumbnail:
        thumbnail = _write(thumbnail_field or field, f"{stem}.thumb.jpg", ContentFile(checked.thumbnail))
    return {
        "name": name,
        "thumbnail": thumbnail,
        "original_name": checked.original_name[-200:],
        "content_type": checked.content_type,
        "size": checked.size,
        "kind": checked.kind,
    }
