"""The one view that serves stored files, after the file's owner says the user may see it."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from thongsuot.core.attachments import owners

# Shown in the browser; everything else (PDF, office documents) is downloaded, never rendered inline.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "video/mp4"}


def file_response(item, *, thumbnail: bool = False) -> FileResponse:
    """The stored file of `item` (an AttachmentBase row) streamed from its storage; access is the
    caller's to check first. `thumbnail`: the photo's thumbnail instead, when it has one."""
    stored = item.thumbnail if thumbnail and item.thumbnail else item.file
    content_type = "image/jpeg" if stored is not item.file else item.content_type
    response = FileResponse(
        stored.open("rb"),
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=item.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def download(request, owner: str, pk: int):
    """/tep/<owner>/<pk>/ (?v=thumb for a photo's thumbnail): 404 unless the owner lets this user see it."""
    declared = owners.get(owner)
    if declared is None:
        raise Http404("No such file")
    item = get_object_or_404(declared.queryset(), pk=pk)
    if not declared.can_view(request.user, item):
        raise Http404("No such file")
    return file_response(item, thumbnail=request.GET.get("v") == "thumb")
