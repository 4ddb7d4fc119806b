"""Recording a meeting: the chair (the workflow's "moderate") starts and stops Janus' recorder for every
publisher's feeds; when it stops (or the meeting ends) the task worker converts Janus' .mjr files with
`janus-pp-rec` into playable files (.opus sound, .webm picture) kept as the meeting's recordings."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from thongsuot.conferences import janus
from thongsuot.conferences.audit_actions import MeetingAudit
from thongsuot.conferences.models import Meeting, MeetingRecording
from thongsuot.conferences.states import WORKFLOW
from thongsuot.core.audit import audit_record

PP_REC = "/usr/bin/janus-pp-rec"
# videoroom-<room>-user-<participant>-<timestamp>-<audio|video|data>-<mindex>.mjr
_NAME = re.compile(r"^videoroom-(?P<room>\d+)-user-(?P<user>\d+)-(?P<stamp>\d+)-(?P<media>audio|video)-\d+\.mjr$")
_OUTPUT = {"audio": (".opus", "audio/ogg"), "video": (".webm", "video/webm")}


def _media_error(exc) -> ValidationError:
    return ValidationError({"__all__": [_("The media server is not available: %(e)s") % {"e": exc}]})


@transaction.atomic
def recording_set(*, actor, meeting, record: bool) -> Meeting:
    """Start (record=True) or stop recording the live meeting; stopping queues the conversion."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    WORKFLOW.require(actor, meeting, "moderate")
    if meeting.recording == record:
        return meeting
    server = janus.server_named(meeting.janus_server)
    Path(janus.recordings_folder(server)).mkdir(parents=True, exist_ok=True)
    try:
        janus.room_record(server, room=meeting.janus_room, secret=meeting.room_secret, record=record)
    except janus.JanusError as exc:
        raise _media_error(exc) from exc
    meeting.recording = record
    meeting.save(update_fields=["recording", "updated_at"])
    audit_record(
        actor=actor,
        action=MeetingAudit.RECORD_START if record else MeetingAudit.RECORD_STOP,
        obj=meeting,
        organisation_id=meeting.organisation_id,
    )
    if not record:
        convert_later(meeting)
    return meeting


def convert_later(meeting) -> None:
    meeting_id = meeting.pk
    transaction.on_commit(lambda: recordings_convert_job.enqueue(meeting_id=meeting_id))


def _convert(source: Path, media: str, folder: Path) -> Path | None:
    suffix = _OUTPUT[media][0]
    target = folder / (source.stem + suffix)
    result = subprocess.run(  # noqa: S603 (a fixed binary, our own file names)
        [PP_REC, str(source), str(target)], capture_output=True, timeout=600, check=False
    )
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        return None  # nothing was recorded in that file (no packets): nothing to keep
    return target


def recordings_convert(*, meeting_id: int) -> int:
    """Convert the meeting's finished .mjr files into recordings (idempotent: a converted file is removed);
    returns how many recordings were kept."""
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.recording or not meeting.janus_server:
        return 0  # still recording: its files are still being written
    folder = Path(janus.recordings_folder(janus.server_named(meeting.janus_server)))
    sources = sorted(folder.glob(f"videoroom-{meeting.janus_room}-user-*.mjr")) if folder.is_dir() else []
    stays = {p.janus_id: p.endpoint for p in meeting.participations.select_related("endpoint")}
    kept = 0
    with tempfile.TemporaryDirectory() as work:
        for source in sources:
            match = _NAME.match(source.name)
            if match is None:
                continue
            media = match["media"]
            converted = _convert(source, media, Path(work))
            if converted is not None:
                endpoint = stays.get(int(match["user"]))
                with transaction.atomic():
                    recording = MeetingRecording(
                        meeting=meeting,
                        endpoint=endpoint,
                        media=media,
                        original_name=converted.name,
                        content_type=_OUTPUT[media][1],
                        kind="recording",
                        size=converted.stat().st_size,
                    )
                    with converted.open("rb") as handle:
                        recording.file.save(converted.name, File(handle), save=False)
                    recording.save()
                    audit_record(
                        actor="system",
                        action=MeetingAudit.RECORDING_SAVED,
                        obj=meeting,
                        organisation_id=meeting.organisation_id,
                        after={"file": converted.name, "endpoint": endpoint.code if endpoint else "", "media": media},
                    )
                kept += 1
            source.unlink(missing_ok=True)
    return kept


@task()
def recordings_convert_job(meeting_id: int) -> int:
    """The task worker's job: convert a meeting's finished Janus recordings (see recordings_convert)."""
    return recordings_convert(meeting_id=meeting_id)


def available() -> bool:
    return shutil.which(PP_REC) is not None
