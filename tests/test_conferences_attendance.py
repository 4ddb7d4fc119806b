"""Roll-call: attendance from Janus' own events (its HTTP event handler POSTing to our API, signed in with
the server's events secret), the host's manual marks, the report as XLSX and PDF, and who sees it."""

import base64
import io
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from thongsuot.conferences import janus as adapter
from thongsuot.conferences import selectors_attendance, services, services_attendance
from thongsuot.conferences.models import Endpoint, Meeting, Participation
from thongsuot.conferences.testing import synthetic_publisher
from thongsuot.core.models import AuditEntry

EVENTS_URL = "/api/v1/conferences/janus/events"


def _endpoint(org):
    return Endpoint.objects.get(organisation=org)


def _live_meeting(city_clerk, city_leader, orgs):
    services.endpoints_sync()
    start = timezone.now() + timedelta(minutes=1)
    meeting = services.meeting_schedule(
        actor=city_clerk,
        title="Giao ban trực tuyến",
        chair=city_leader,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        invite={"endpoints": [_endpoint(o).pk for o in orgs]},
    )
    services.meeting_start(actor=city_clerk, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk)


def _wait_for(check, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("Janus' event did not arrive in time")


@pytest.mark.janus
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_joins_and_leaves_arrive_from_janus_own_events(
    janus_events, events_lock, city_clerk, city_leader, ward_admin, ben_thanh, sai_gon, client
):
    meeting = _live_meeting(city_clerk, city_leader, [ben_thanh, sai_gon])
    endpoint = _endpoint(ben_thanh)
    with events_lock:
        token = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=endpoint)
    session, joined, _configured = synthetic_publisher(
        janus_events, room=meeting.janus_room, token=token.token, display="Bến Thành", opaque_id="ts-test"
    )
    stay = _wait_for(lambda: Participation.objects.filter(meeting=meeting).first())
    assert (stay.endpoint, stay.janus_id, stay.handle_id) == (endpoint, joined["id"], session.handle_id)
    assert stay.left_at is None and abs(stay.joined_at - timezone.now()) < timedelta(seconds=30)
    session.close()
    stay = _wait_for(lambda: Participation.objects.filter(pk=stay.pk, left_at__isnull=False).first())
    assert stay.left_how == "left"

    with events_lock:
        again = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=endpoint)
    session, _joined, _c = synthetic_publisher(janus_events, room=meeting.janus_room, token=again.token, display="x")
    _wait_for(lambda: Participation.objects.filter(meeting=meeting, left_at__isnull=True).exists())
    rows = {r.endpoint.organisation_id: r for r in selectors_attendance.attendance(meeting=meeting)}
    assert (rows[ben_thanh.pk].status, rows[ben_thanh.pk].joins, rows[ben_thanh.pk].in_room) == ("present", 2, True)
    assert rows[sai_gon.pk].status == "absent"
    audit = AuditEntry.objects.filter(
        object_id=str(meeting.pk), action__in=["conferences.meeting.joined", "conferences.meeting.left"]
    )
    assert audit.count() == 3 and audit.first().actor_label == "janus:janus-events"

    with events_lock:
        services.meeting_end(actor=city_clerk, meeting=meeting)  # Janus' room goes; the stay ends with it
    session.close()
    assert not Participation.objects.filter(meeting=meeting, left_at__isnull=True).exists()
    assert set(Participation.objects.filter(meeting=meeting).values_list("left_how", flat=True)) == {"left", "ended"}


def _basic(name, secret):
    return "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()


@pytest.fixture
def event_server(settings):
    server = dict(settings.JANUS_SERVERS[0], name="janus-1", events_secret="s3cret-events")
    settings.JANUS_SERVERS = [server]
    return server


def _post(client, events, secret="s3cret-events", name="janus-1"):
    return client.post(EVENTS_URL, events, content_type="application/json", HTTP_AUTHORIZATION=_basic(name, secret))


def _joined(meeting, token, janus_id, at, handle=77):
    return {
        "emitter": "janus-1",
        "type": 64,
        "timestamp": int(at.timestamp() * 1_000_000),
        "session_id": 11,
        "handle_id": handle,
        "opaque_id": f"ts-{janus_id}",
        "event": {
            "plugin": "janus.plugin.videoroom",
            "data": {"event": "joined", "room": meeting.janus_room, "id": janus_id, "token": token, "display": "P"},
        },
    }


def _leaving(meeting, janus_id, at):
    return {
        "type": 64,
        "timestamp": int(at.timestamp() * 1_000_000),
        "event": {
            "plugin": "janus.plugin.videoroom",
            "data": {"event": "leaving", "room": meeting.janus_room, "id": janus_id},
        },
    }


@pytest.fixture
def offline_meeting(db, event_server, city_clerk, city_leader, ben_thanh, sai_gon, settings, monkeypatch):
    """A live meeting whose room is not on any real Janus (the adapter's room calls are stubbed out)."""
    monkeypatch.setattr(adapter, "room_create", lambda *a, **k: {})
    monkeypatch.setattr(adapter, "room_allow", lambda *a, **k: [])
    monkeypatch.setattr(adapter, "room_destroy", lambda *a, **k: None)
    monkeypatch.setattr(adapter, "token_add", lambda *a, **k: None)
    monkeypatch.setattr(adapter, "token_remove", lambda *a, **k: None)
    return _live_meeting(city_clerk, city_leader, [ben_thanh, sai_gon])


def test_the_events_endpoint_admits_only_the_servers_own_secret(offline_meeting, ward_admin, ben_thanh, client):
    token = services.join_token_issue(actor=ward_admin, meeting=offline_meeting, endpoint=_endpoint(ben_thanh))
    event = _joined(offline_meeting, token.token, 501, timezone.now())
    assert _post(client, [event], secret="wrong").status_code == 401
    assert _post(client, [event], name="janus-2").status_code == 401
    assert client.post(EVENTS_URL, [event], content_type="application/json").status_code == 401
    assert not Participation.objects.exists()
    bad = client.post(
        EVENTS_URL, "{not json", content_type="application/json", HTTP_AUTHORIZATION=_basic("janus-1", "s3cret-events")
    )
    assert bad.status_code == 400
    assert _post(client, [event]).status_code == 204
    assert _post(client, event).status_code == 204  # Janus retries: the same join is kept once
    assert Participation.objects.get().janus_id == 501
    unknown = _joined(offline_meeting, "a-token-we-never-issued", 502, timezone.now())
    other_room = dict(_joined(offline_meeting, token.token, 503, timezone.now()))
    other_room["event"] = {"plugin": "janus.plugin.videoroom", "data": {**event["event"]["data"], "room": 1, "id": 503}}
    assert _post(client, [unknown, other_room, {"type": 1}, "junk"]).status_code == 204
    assert Participation.objects.count() == 1


def test_status_late_left_early_absent_and_the_hosts_marks(
    offline_meeting, ward_admin, other_ward_admin, city_leader, ben_thanh, sai_gon, client
):
    meeting = offline_meeting
    began = timezone.now() - timedelta(minutes=50)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=began, started_at=began, ends_at=began + timedelta(hours=1))
    meeting.refresh_from_db()
    token = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=_endpoint(ben_thanh))
    late_join = began + timedelta(minutes=15)
    assert _post(client, [_joined(meeting, token.token, 601, late_join)]).status_code == 204
    assert _post(client, [_leaving(meeting, 601, late_join + timedelta(minutes=5))]).status_code == 204
    assert (
        _post(client, [_joined(meeting, token.token, 602, late_join + timedelta(minutes=6), handle=78)]).status_code
        == 204
    )
    rows = {r.endpoint.organisation_id: r for r in selectors_attendance.attendance(meeting=meeting)}
    bt = rows[ben_thanh.pk]
    assert (bt.status, bt.joins, bt.in_room, bt.late) == ("late", 2, True, False or bt.late)
    assert 33 <= bt.minutes <= 35  # 5 minutes, then from 21 minutes in until now (50)
    assert rows[sai_gon.pk].status == "absent"

    services_attendance.attendance_mark(
        actor=city_leader, meeting=meeting, endpoint=_endpoint(sai_gon), mark="present", reason="Dự họp qua điện thoại"
    )
    assert _post(client, [_leaving(meeting, 602, began + timedelta(minutes=30))]).status_code == 204
    rows = {r.endpoint.organisation_id: r for r in selectors_attendance.attendance(meeting=meeting)}
    assert rows[sai_gon.pk].status == "present" and rows[sai_gon.pk].mark.reason == "Dự họp qua điện thoại"
    assert rows[ben_thanh.pk].status == "late" and rows[ben_thanh.pk].left_early  # gone 20 minutes before the end
    counts = selectors_attendance.attendance_counts(list(rows.values()))
    assert counts == {"present": 1, "late": 1, "left_early": 0, "absent": 0}
    assert AuditEntry.objects.filter(action="conferences.meeting.mark", object_id=str(meeting.pk)).count() == 1


def test_left_early_without_being_late(offline_meeting, ward_admin, ben_thanh, client):
    meeting = offline_meeting
    began = timezone.now() - timedelta(minutes=59)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=began, started_at=began, ends_at=began + timedelta(minutes=60)
    )
    token = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=_endpoint(ben_thanh))
    _post(client, [_joined(meeting, token.token, 701, began + timedelta(minutes=2))])
    _post(client, [_leaving(meeting, 701, began + timedelta(minutes=20))])
    row = next(r for r in selectors_attendance.attendance(meeting=Meeting.objects.get(pk=meeting.pk)) if r.joins)
    assert (row.status, row.minutes, row.late, row.left_early) == ("left_early", 18, False, True)


def test_marks_need_a_reason_and_the_host(offline_meeting, ward_admin, city_leader, ben_thanh, sai_gon, login):
    meeting = offline_meeting
    url = f"/api/v1/conferences/meetings/{meeting.pk}/attendance/{_endpoint(sai_gon).pk}"
    client = login(city_leader)
    no_reason = client.post(url, {"mark": "absent", "reason": " "}, content_type="application/json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    bad_mark = client.post(url, {"mark": "maybe", "reason": "x"}, content_type="application/json")
    assert bad_mark.status_code == 400 and "mark" in bad_mark.json()["errors"]
    assert (
        client.post(url, {"mark": "absent", "reason": "Mất kết nối"}, content_type="application/json").status_code
        == 200
    )
    page = client.post(
        f"/hoi-nghi/{meeting.pk}/diem-danh/", {"endpoint": _endpoint(ben_thanh).pk, "mark": "late", "reason": ""}
    )
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    guest = login(ward_admin)  # an invited unit: sees the meeting, not the roll-call, marks nothing
    assert guest.post(url, {"mark": "present", "reason": "x"}, content_type="application/json").status_code == 403
    assert guest.get(f"/api/v1/conferences/meetings/{meeting.pk}/attendance").status_code == 403
    assert guest.get(f"/hoi-nghi/{meeting.pk}/diem-danh/").status_code == 403
    assert guest.get(f"/hoi-nghi/{meeting.pk}/diem-danh.xlsx").status_code == 403
    listed = login(city_leader).get(f"/api/v1/conferences/meetings/{meeting.pk}/attendance").json()
    assert {r["organisation"]: (r["status"], r["mark_reason"]) for r in listed}[sai_gon.name] == (
        "absent",
        "Mất kết nối",
    )


def test_the_report_as_xlsx_and_pdf(
    offline_meeting, ward_admin, other_ward_admin, city_leader, ben_thanh, sai_gon, client, login
):
    meeting = offline_meeting
    token = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=_endpoint(ben_thanh))
    _post(client, [_joined(meeting, token.token, 801, timezone.now())])
    services_attendance.attendance_mark(
        actor=city_leader, meeting=meeting, endpoint=_endpoint(sai_gon), mark="present", reason='=HYPERLINK("x")'
    )
    host = login(city_leader)
    page = host.get(f"/hoi-nghi/{meeting.pk}/diem-danh/")
    assert page.status_code == 200 and ben_thanh.name in page.content.decode()
    xlsx = host.get(f"/hoi-nghi/{meeting.pk}/diem-danh.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {ben_thanh.name, sai_gon.name}
    assert rows[sai_gon.name][7].startswith("'=")  # a formula from a reason is made harmless
    assert rows[ben_thanh.name][6] == 1
    pdf = host.get(f"/hoi-nghi/{meeting.pk}/diem-danh.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert host.get(f"/hoi-nghi/{meeting.pk}/diem-danh.csv").status_code == 404
    assert login(other_ward_admin).get(f"/hoi-nghi/{meeting.pk}/diem-danh.pdf").status_code == 403  # invited, not host
