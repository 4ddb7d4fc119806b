"""The meeting room in a real browser: headless Chromium with a fake camera and microphone joins a real
Janus through the join page (Janus' JS client, the platform's token), shows up in the roll-call from
Janus' own events, receives until the chair gives it the floor, then publishes, is muted by the chair,
gives the floor back and leaves; its media statistics reach the quality table."""

import os
import shutil
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.test_feedback_browser import sign_in
from thongsuot.conferences import services, services_controls, services_recording
from thongsuot.conferences.models import Endpoint, MeetingRecording, Participation, QualitySample

pytestmark = [pytest.mark.browser, pytest.mark.janus, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAKE_MEDIA = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture
def media_browser(live_server):
    """Chromium whose camera and microphone are Chromium's own test pattern and tone (see conftest's
    `browser` for why the database is reached this way while Playwright runs)."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + FAKE_MEDIA
            )
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()


def _wait_for(check, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("not in time")


def test_an_operator_joins_from_the_browser_and_shows_up_in_attendance(
    janus_events,
    events_lock,
    media_browser,
    live_server,
    city_clerk,
    city_leader,
    ward_admin,
    ward_operator,
    other_ward_admin,
    ben_thanh,
):
    services.endpoints_sync()
    endpoint = Endpoint.objects.get(organisation=ben_thanh)
    services.endpoint_update(actor=ward_admin, endpoint=endpoint, fields={}, operators=[ward_operator])
    start = timezone.now() + timedelta(minutes=1)
    meeting = services.meeting_schedule(
        actor=city_clerk,
        title="Giao ban trực tuyến",
        chair=city_leader,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        invite={"endpoints": [endpoint.pk]},
    )
    services.meeting_start(actor=city_clerk, meeting=meeting)

    context = media_browser.new_context(locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    sign_in(page, ward_operator)
    page.goto(f"/hoi-nghi/{meeting.pk}/")
    page.locator(f"a[href='/hoi-nghi/{meeting.pk}/tham-gia/{endpoint.pk}/']").click()
    status = page.locator("[data-role=status]")
    page.locator("[data-role=join]").click()
    expect(status).to_have_attribute("data-state", "joined", timeout=20_000)  # in the room, receiving

    stay = _wait_for(lambda: Participation.objects.filter(meeting=meeting, left_at__isnull=True).first())
    assert stay.endpoint == endpoint and stay.opaque_id == f"ts-{meeting.pk}-{endpoint.pk}"
    assert "Phường Bến Thành" in stay.display

    with events_lock:
        services_controls.floor_give(actor=city_leader, meeting=meeting, participation=stay)
    expect(status).to_have_attribute("data-state", "publishing", timeout=15_000)  # camera and microphone on
    with events_lock:
        services_controls.participant_mute(actor=city_leader, meeting=meeting, participation=stay)
    expect(status).to_have_attribute("data-state", "muted", timeout=10_000)

    samples = _wait_for(lambda: QualitySample.objects.filter(meeting=meeting, link_quality__isnull=False).count() >= 2)
    assert samples

    with events_lock:
        services_controls.participant_mute(actor=city_leader, meeting=meeting, participation=stay, mute=False)
    with events_lock:
        services_recording.recording_set(actor=city_leader, meeting=meeting, record=True)
    time.sleep(3)
    with events_lock:
        services_recording.recording_set(actor=city_leader, meeting=meeting, record=False)  # converted by the task
    recordings = {r.media: r for r in MeetingRecording.objects.filter(meeting=meeting)}
    assert set(recordings) == {"audio", "video"} and all(r.size > 1000 for r in recordings.values())
    assert recordings["video"].endpoint == endpoint and recordings["video"].content_type == "video/webm"
    assert recordings["video"].file.read(4) == b"\x1aE\xdf\xa3"  # a WebM (Matroska) file
    assert recordings["audio"].file.open("rb").read(4) == b"OggS"
    with events_lock:
        services_controls.floor_take(actor=city_leader, meeting=meeting, participation=stay)
    expect(status).to_have_attribute("data-state", "joined", timeout=15_000)  # receiving again

    page.locator("[data-role=leave]").click()
    expect(status).to_have_attribute("data-state", "left", timeout=10_000)
    _wait_for(lambda: Participation.objects.filter(pk=stay.pk, left_at__isnull=False).exists())
    context.close()
    with events_lock:
        services.meeting_end(actor=city_clerk, meeting=meeting)
    time.sleep(1)  # Janus' last events reach the live server
