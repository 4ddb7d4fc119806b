"""Recording: the chair starts and stops Janus' recorder on a real Janus; the task converts what was
recorded with janus-pp-rec (the browser test records real media); only the chair's side may record."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from thongsuot.conferences import services, services_recording
from thongsuot.conferences.models import Endpoint, Meeting, MeetingRecording
from thongsuot.conferences.testing import synthetic_publisher
from thongsuot.core.models import AuditEntry

pytestmark = pytest.mark.janus


@pytest.fixture
def recorded(janus, db, city_clerk, city_leader, ward_admin, ben_thanh):
    services.endpoints_sync()
    endpoint = Endpoint.objects.get(organisation=ben_thanh)
    start = timezone.now() + timedelta(minutes=1)
    meeting = services.meeting_schedule(
        actor=city_clerk,
        title="Giao ban có ghi hình",
        chair=city_leader,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        invite={"endpoints": [endpoint.pk]},
    )
    meeting = services.meeting_start(actor=city_clerk, meeting=meeting)
    token = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=endpoint)
    session, _joined, _configured = synthetic_publisher(janus, room=meeting.janus_room, token=token.token, display="x")
    yield meeting
    session.close()


def test_the_chair_records_and_the_recordings_are_converted(recorded, janus, city_leader, ward_admin, login):
    meeting = recorded
    folder = Path(janus["rec_dir"])
    with pytest.raises(PermissionDenied):
        services_recording.recording_set(actor=ward_admin, meeting=meeting, record=True)
    url = f"/api/v1/conferences/meetings/{meeting.pk}/recording"
    assert login(ward_admin).post(url, {"record": True}, content_type="application/json").status_code == 403
    started = login(city_leader).post(url, {"record": True}, content_type="application/json")
    assert started.status_code == 200 and started.json()["recording"] is True
    assert folder.is_dir() and Meeting.objects.get(pk=meeting.pk).recording
    stopped = login(city_leader).post(url, {"record": False}, content_type="application/json")
    assert stopped.json() == {"recording": False, "recordings": 0}  # a synthetic publisher sends no media
    actions = AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="conferences.meeting.record")
    assert sorted(actions.values_list("action", flat=True)) == [
        "conferences.meeting.record_start",
        "conferences.meeting.record_stop",
    ]


def test_ending_a_meeting_stops_its_recording(recorded, janus, city_clerk, city_leader):
    meeting = services_recording.recording_set(actor=city_leader, meeting=recorded, record=True)
    assert meeting.recording
    services.meeting_end(actor=city_clerk, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert not meeting.recording and meeting.status == "ended"
    assert not MeetingRecording.objects.exists()
    assert services_recording.recordings_convert(meeting_id=meeting.pk) == 0  # idempotent


def test_a_recording_is_downloaded_only_by_those_who_see_the_meeting(
    recorded, ward_admin, other_ward_admin, city_leader, login
):
    from django.core.files.base import ContentFile

    recording = MeetingRecording(
        meeting=recorded, media="audio", original_name="a.opus", content_type="audio/ogg", kind="recording", size=4
    )
    recording.file.save("a.opus", ContentFile(b"OggS"), save=False)
    recording.save()
    url = f"/hoi-nghi/ghi-hinh/{recording.pk}/"
    assert login(ward_admin).get(url).status_code == 200  # the invited unit
    assert login(city_leader).get(url).status_code == 200  # the chair
    assert login(other_ward_admin).get(url).status_code == 404  # a unit not invited
    page = login(ward_admin).get(f"/hoi-nghi/{recorded.pk}/").content.decode()
    assert url in page
