"""Files a report names by address (the Open311 media_url), downloaded by a worker and attached."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from thongsuot.feedback import media_fetch, uploads
from thongsuot.feedback.models import Attachment, Report, ReportEvent
from thongsuot.feedback.services._common import locked, record

ACTIONS = ("media_fetched", "media_refused")


def _done(report: Report) -> bool:
    """Whether the report's media_url was already downloaded or refused."""
    return ReportEvent.objects.filter(report=report, action__in=ACTIONS).exists()


def report_media_fetch(*, report: Report, url: str) -> Attachment | None:
    """Download the photo or video at `url` and attach it to `report` as the citizen's (not public), or
    record on the timeline (staff only) why not. Checked like every upload, by content and size, and
    together with the files the citizen sent (at most FEEDBACK_MAX_PHOTOS photos, or one video).
    Idempotent: once fetched or refused, a report's media_url is not fetched again. Returns the attachment,
    or None when refused or already done."""
    if _done(report):
        return None
    if not settings.FEEDBACK_MEDIA_FETCH:
        return _refused(report=report, url=url, reason=_("downloading is switched off on this platform."))
    try:
        media = media_fetch.fetch(url)
        upload = SimpleUploadedFile(media.name, media.content)
        [(checked, content_type)] = uploads.check_files([upload], field="media_url")
    except media_fetch.MediaRefused as exc:
        return _refused(report=report, url=url, reason=str(exc))
    except ValidationError as exc:
        return _refused(report=report, url=url, reason=" ".join(exc.messages))
    return _attach(report=report, url=url, upload=checked, content_type=content_type)


@task()
def report_media_fetch_job(report_id: int, url: str) -> bool:
    """The job downloading the photo or video an Open311 client named by media_url (report_media_fetch),
    queued by the registration of its report."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return False
    return report_media_fetch(report=report, url=url) is not None


@uploads.discard_files_on_error
@transaction.atomic
def _attach(*, report: Report, url: str, upload, content_type: str) -> Attachment | None:
    report = locked(report)
    if _done(report):
        return None  # another worker got there first
    kinds = list(report.attachments.filter(stage=Attachment.Stage.CITIZEN).values_list("kind", flat=True))
    if errors := uploads.policy().count_errors([*kinds, upload.kind]):  # together with the citizen's files
        return _refused(report=report, url=url, reason=" ".join(errors))
    saved = uploads.save_file(upload, content_type)
    attachment = uploads.attach(
        report=report, saved=saved, stage=Attachment.Stage.CITIZEN, public=False, source_url=url
    )
    record(
        report,
        actor="system",
        action="media_fetched",
        public=False,
        note=_("%(name)s downloaded from %(url)s.") % {"name": attachment.original_name, "url": url},
        save=False,
    )
    return attachment


@transaction.atomic
def _refused(*, report: Report, url: str, reason: str) -> None:
    record(
        report,
        actor="system",
        action="media_refused",
        public=False,
        note=_("Not downloaded from %(url)s: %(reason)s") % {"url": url, "reason": reason},
        save=False,
    )
    return None
