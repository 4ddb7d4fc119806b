"""Connection quality: Janus' media statistics stored per participant, smoothed before any grade, the
host's live board (htmx polling) and the summary per meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_conferences_attendance import _endpoint, _joined, _post, event_server, offline_meeting  # noqa: F401
from thongsuot.conferences import selectors_quality as quality
from thongsuot.conferences import services
from thongsuot.conferences.models import QualitySample


def test_smoothing_and_grades():
    assert quality.smooth([None, 100, None, 0]) == [None, 100, 100, 70]
    assert quality.grade() is None
    assert quality.grade(quality=90, rtt=299, jitter=29) == "green"
    assert quality.grade(quality=89.9, rtt=100, jitter=5) == "amber"
    assert quality.grade(quality=95, rtt=300, jitter=5) == "amber"
    assert quality.grade(quality=95, rtt=100, jitter=60) == "red"
    assert quality.grade(quality=69, rtt=None, jitter=None) == "red"
    assert quality.grade(rtt=650) == "red"


def _stats(handle, at, *, media="audio", quality_in=100, rtt=40, jitter=3, lost=0, bytes_in=4000, opaque=""):
    event = {
        "type": 32,
        "subtype": 3,
        "timestamp": int(at.timestamp() * 1_000_000),
        "session_id": 11,
        "handle_id": handle,
        "event": {
            "mid": "0" if media == "audio" else "1",
            "media": media,
            "rtt": rtt,
            "lost": lost,
            "lost-by-remote": 1,
            "jitter-local": jitter,
            "jitter-remote": jitter / 2,
            "in-link-quality": quality_in,
            "in-media-link-quality": quality_in,
            "out-link-quality": 0,
            "out-media-link-quality": 0,
            "packets-received": 500,
            "packets-sent": 0,
            "bytes-received-lastsec": bytes_in,
            "bytes-sent-lastsec": 0,
        },
    }
    if opaque:
        event["opaque_id"] = opaque
    return event


@pytest.fixture
def two_in_room(request, ward_admin, other_ward_admin, ben_thanh, sai_gon, client):
    meeting = request.getfixturevalue("offline_meeting")
    now = timezone.now()
    for admin, org, janus_id, handle in ((ward_admin, ben_thanh, 901, 91), (other_ward_admin, sai_gon, 902, 92)):
        token = services.join_token_issue(actor=admin, meeting=meeting, endpoint=_endpoint(org))
        assert (
            _post(
                client, [_joined(meeting, token.token, janus_id, now - timedelta(seconds=50), handle=handle)]
            ).status_code
            == 204
        )
    return meeting


def test_media_statistics_are_stored_per_participant(two_in_room, ben_thanh, client):
    meeting = two_in_room
    at = timezone.now()
    assert _post(client, [_stats(91, at, rtt=55, jitter=8, lost=4, bytes_in=5000)]).status_code == 204
    sample = QualitySample.objects.get()
    assert (sample.endpoint, sample.media, sample.rtt, sample.lost, sample.jitter) == (
        _endpoint(ben_thanh),
        "audio",
        55,
        5,
        8,
    )
    assert (sample.link_quality, sample.kbps_in, sample.kbps_out) == (100, 40, 0)
    assert sample.participation.meeting == meeting
    silent = _stats(91, at)
    silent["event"].update({"packets-received": 0, "packets-sent": 0})
    unknown = _stats(4242, at)  # a handle of no participant we know
    by_opaque = _stats(4243, at, opaque="ts-901")  # the same client's second handle (its subscriptions)
    assert _post(client, [silent, unknown, by_opaque]).status_code == 204
    assert QualitySample.objects.count() == 3
    assert QualitySample.objects.order_by("pk")[1].link_quality is None  # nothing flowed: no false zero
    assert QualitySample.objects.order_by("pk")[2].endpoint == _endpoint(ben_thanh)


def test_one_bad_report_raises_no_alarm_a_lasting_one_does(two_in_room, ben_thanh, sai_gon, client):
    meeting = two_in_room
    start = timezone.now() - timedelta(seconds=45)
    good = [_stats(91, start + timedelta(seconds=5 * i)) for i in range(8)]
    blip = [_stats(92, start + timedelta(seconds=5 * i), quality_in=40 if i == 3 else 100) for i in range(8)]
    assert _post(client, good + blip).status_code == 204
    rows = {r.endpoint.organisation_id: r for r in quality.live_board(meeting=meeting)}
    assert rows[ben_thanh.pk].grade == "green"
    assert rows[sai_gon.pk].grade == "green"  # one report of 40 among 100s: smoothed, never red, good again
    assert "red" not in rows[sai_gon.pk].audio.grades and "amber" in rows[sai_gon.pk].audio.grades
    lasting = [_stats(92, start + timedelta(seconds=40 + i), quality_in=50, rtt=700) for i in range(4)]
    assert _post(client, lasting).status_code == 204
    board = quality.live_board(meeting=meeting)
    assert [(r.endpoint.organisation_id, r.grade) for r in board if r.in_room] == [
        (sai_gon.pk, "red"),
        (ben_thanh.pk, "green"),
    ]
    summary = {r.endpoint.organisation_id: r for r in quality.summary(meeting=meeting)}
    assert summary[ben_thanh.pk].grade == "green" and summary[ben_thanh.pk].share_red == 0
    assert summary[sai_gon.pk].grade == "red" and 0.1 <= summary[sai_gon.pk].share_red < 0.5


def test_old_figures_leave_the_live_board_but_stay_in_the_summary(two_in_room, ben_thanh, client):
    meeting = two_in_room
    old = timezone.now() - timedelta(minutes=5)
    _post(client, [_stats(91, old + timedelta(seconds=i), quality_in=10) for i in range(3)])
    row = next(r for r in quality.live_board(meeting=meeting) if r.endpoint.organisation_id == ben_thanh.pk)
    assert row.in_room and row.grade is None
    assert quality.summary(meeting=meeting)[0].grade == "red"


def test_the_live_board_page_polls_and_only_the_host_sees_it(
    two_in_room, city_leader, ward_admin, ben_thanh, client, login
):
    meeting = two_in_room
    _post(client, [_stats(91, timezone.now() - timedelta(seconds=i)) for i in range(3)])
    host = login(city_leader)
    page = host.get(f"/hoi-nghi/{meeting.pk}/chat-luong/")
    text = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 5s"' in text and "bg-green" in text
    partial = host.get(f"/hoi-nghi/{meeting.pk}/chat-luong/", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and ben_thanh.name in partial.content.decode()
    api = host.get(f"/api/v1/conferences/meetings/{meeting.pk}/quality").json()
    live = {r["endpoint_id"]: r for r in api["live"]}
    assert live[_endpoint(ben_thanh).pk]["grade"] == "green"
    assert live[_endpoint(ben_thanh).pk]["streams"]["audio"]["samples"] == 3
    guest = login(ward_admin)
    assert guest.get(f"/hoi-nghi/{meeting.pk}/chat-luong/").status_code == 403
    assert guest.get(f"/api/v1/conferences/meetings/{meeting.pk}/quality").status_code == 403


def test_the_report_across_meetings_names_the_endpoints_with_poor_links(
    two_in_room, city_clerk, ward_admin, ben_thanh, sai_gon, client, login
):
    import io

    from openpyxl import load_workbook

    start = timezone.now() - timedelta(seconds=40)
    good = [_stats(91, start + timedelta(seconds=i)) for i in range(10)]
    poor = [_stats(92, start + timedelta(seconds=i), quality_in=30, rtt=900) for i in range(10)]
    assert _post(client, good + poor).status_code == 204
    rows = quality.across_meetings(since=timezone.now() - timedelta(days=1), until=timezone.now() + timedelta(days=1))
    assert [(r.endpoint.organisation_id, r.meetings, r.poor_meetings) for r in rows] == [
        (sai_gon.pk, 1, 1),
        (ben_thanh.pk, 1, 0),
    ]
    assert rows[0].share_poor("audio") > 0.5 and rows[1].share_poor("audio") == 0
    assert (
        quality.across_meetings(since=timezone.now() + timedelta(days=1), until=timezone.now() + timedelta(days=2))
        == []
    )
    organiser = login(city_clerk)
    page = organiser.get("/hoi-nghi/chat-luong/")
    assert page.status_code == 200 and page.content.decode().index(sai_gon.name) < page.content.decode().index(
        ben_thanh.name
    )
    sheet = load_workbook(io.BytesIO(organiser.get("/hoi-nghi/chat-luong/?format=xlsx").content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [sai_gon.name, ben_thanh.name]
    assert "/hoi-nghi/chat-luong/" in login(city_clerk).get("/hoi-nghi/").content.decode()
    assert login(ward_admin).get("/hoi-nghi/chat-luong/").status_code == 403
    assert "/hoi-nghi/chat-luong/" not in login(ward_admin).get("/hoi-nghi/").content.decode()
