"""Meetings: scheduling with invitations (all, by kind, by group, one by one), notifications with an .ics
file, changes and cancellations, who sees what through pages and API, and rooms on the real Janus."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thongsuot.conferences import janus as adapter
from thongsuot.conferences import services
from thongsuot.conferences.models import Endpoint, EndpointGroup, Meeting
from thongsuot.core.models import AuditEntry
from thongsuot.core.notifications.models import Notification


@pytest.fixture
def endpoints(db):
    services.endpoints_sync()


def _when(hours=24, length=2):
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return start, start + timedelta(hours=length)


def _schedule(actor, chair, invite, **kwargs):
    start, end = _when()
    values = {"title": "Giao ban trực tuyến tháng 12", "starts_at": start, "ends_at": end, "agenda": "1. Báo cáo"}
    values.update(kwargs)
    return services.meeting_schedule(actor=actor, chair=chair, invite=invite, **values)


def _endpoint(org):
    return Endpoint.objects.get(organisation=org)


def test_invitations_by_group_kind_and_one_by_one(endpoints, city_clerk, city_leader, ben_thanh, sai_gon):
    wards = EndpointGroup.objects.get(code="tat-ca-phuong")
    by_group = _schedule(city_clerk, city_leader, {"groups": [wards.pk]})
    assert by_group.endpoints.count() == wards.endpoints.count()
    start, end = _when(hours=48)  # another day: one server carries 200 endpoints at once by default
    by_kind = _schedule(city_clerk, city_leader, {"kinds": ["commune"]}, starts_at=start, ends_at=end)
    assert by_kind.endpoints.count() == 168
    start, end = _when(hours=72)
    everyone = _schedule(city_clerk, city_leader, {"everyone": True}, starts_at=start, ends_at=end)
    assert everyone.endpoints.count() == Endpoint.objects.count()
    two = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk, _endpoint(sai_gon).pk]})
    assert set(two.endpoints.all()) == {_endpoint(ben_thanh), _endpoint(sai_gon)}
    assert two.status == "scheduled" and two.janus_server == "janus-1" and two.janus_room
    assert AuditEntry.objects.filter(action="conferences.meeting.schedule", object_id=str(two.pk)).exists()


def test_bad_input_names_the_field_and_writes_nothing(endpoints, city_clerk, city_leader, ben_thanh, citizen):
    invite = {"endpoints": [_endpoint(ben_thanh).pk]}
    start, end = _when()
    cases = [
        ({"title": "  "}, "title"),
        ({"starts_at": timezone.now() - timedelta(days=1)}, "starts_at"),
        ({"starts_at": end, "ends_at": start}, "ends_at"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as bad:
            _schedule(city_clerk, city_leader, invite, **kwargs)
        assert field in bad.value.message_dict
    with pytest.raises(ValidationError) as nobody:
        _schedule(city_clerk, city_leader, {})
    assert "endpoints" in nobody.value.message_dict
    with pytest.raises(ValidationError) as not_staff:
        _schedule(city_clerk, citizen, invite)
    assert "chair" in not_staff.value.message_dict
    assert Meeting.objects.count() == 0


def test_a_ward_may_only_invite_its_own_endpoints(endpoints, ward_admin, ben_thanh, sai_gon):
    with pytest.raises(ValidationError) as other:
        _schedule(ward_admin, ward_admin, {"endpoints": [_endpoint(sai_gon).pk]})
    assert "endpoints" in other.value.message_dict
    own = _schedule(ward_admin, ward_admin, {"everyone": True})
    assert list(own.endpoints.all()) == [_endpoint(ben_thanh)]


def test_a_specialist_may_not_schedule(endpoints, ward_operator, ben_thanh):
    with pytest.raises(PermissionDenied):
        _schedule(ward_operator, ward_operator, {"endpoints": [_endpoint(ben_thanh).pk]})


def test_invitation_change_and_cancellation_reach_everyone_with_an_ics_file(
    endpoints,
    city_clerk,
    city_leader,
    ward_admin,
    other_ward_admin,
    ben_thanh,
    sai_gon,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk]})
    invited = {m.to[0]: m for m in mail.outbox}
    assert set(invited) >= {"quantri@benthanh.test", "lanhdao@thanhpho.test"}
    assert "quantri@saigon.test" not in invited
    message = invited["quantri@benthanh.test"]
    assert "Giao ban trực tuyến tháng 12" in message.subject
    (name, ics, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "METHOD:REQUEST" in ics and f"UID:meeting-{meeting.pk}@" in ics and "SEQUENCE:0" in ics
    assert Notification.objects.filter(recipient=ward_admin, event="conferences.invited").exists()

    mail.outbox.clear()
    later = meeting.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=city_clerk,
            meeting=meeting,
            fields={"starts_at": later, "ends_at": later + timedelta(hours=1)},
            invite={"endpoints": [_endpoint(sai_gon).pk]},
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "SEQUENCE:1" in by_address["quantri@saigon.test"].attachments[0][1]  # newly invited: the change
    assert "conferences.changed" in set(
        Notification.objects.filter(recipient=other_ward_admin).values_list("event", flat=True)
    )
    dropped = by_address["quantri@benthanh.test"]  # no longer invited: a cancellation for them
    assert "METHOD:REQUEST" in dropped.attachments[0][1] or "Cancelled" in dropped.subject or "Hủy" in dropped.subject
    assert Notification.objects.filter(recipient=ward_admin, event="conferences.cancelled").exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=city_clerk, meeting=meeting, reason="Lãnh đạo bận đột xuất")
    cancelled = {m.to[0]: m for m in mail.outbox}
    assert "METHOD:CANCEL" in cancelled["quantri@saigon.test"].attachments[0][1]
    assert "STATUS:CANCELLED" in cancelled["quantri@saigon.test"].attachments[0][1]
    with pytest.raises(ValidationError):  # a cancelled meeting is final (409 through the API)
        services.meeting_cancel(actor=city_clerk, meeting=meeting, reason="again")


def test_who_sees_a_meeting_through_pages_and_api(
    endpoints, city_clerk, city_leader, ward_admin, ward_operator, other_ward_admin, ben_thanh, login
):
    meeting = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk]})
    client = login(ward_operator)  # staff of the invited unit
    assert client.get(f"/hoi-nghi/{meeting.pk}/").status_code == 200
    assert [m["id"] for m in client.get("/api/v1/conferences/meetings").json()] == [meeting.pk]
    assert client.get(f"/api/v1/conferences/endpoints/{_endpoint(ben_thanh).pk}/calendar").json()[0]["id"] == meeting.pk
    assert client.get(f"/hoi-nghi/diem-cau/{_endpoint(ben_thanh).pk}/").content.decode().count(meeting.title) == 1
    assert client.get(f"/api/v1/conferences/meetings/{meeting.pk}").json()["allowed_actions"] == []
    assert (
        client.post(
            f"/api/v1/conferences/meetings/{meeting.pk}/cancel", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    client = login(other_ward_admin)  # a unit not invited
    assert client.get(f"/hoi-nghi/{meeting.pk}/").status_code == 404
    assert client.get(f"/api/v1/conferences/meetings/{meeting.pk}").status_code == 404
    assert client.get("/api/v1/conferences/meetings").json() == []
    assert meeting.title not in client.get("/hoi-nghi/").content.decode()
    client = login(city_clerk)
    assert set(client.get(f"/api/v1/conferences/meetings/{meeting.pk}").json()["allowed_actions"]) == {
        "update",
        "attach",
        "start",
        "cancel",
    }


def test_scheduling_through_the_page_and_the_api(endpoints, city_clerk, city_leader, ben_thanh, sai_gon, login):
    client = login(city_clerk)
    start, end = _when()
    response = client.post(
        "/hoi-nghi/moi/",
        {
            "title": "Hội nghị triển khai chuyển đổi số",
            "chair": city_leader.pk,
            "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
            "agenda": "Khai mạc",
            "endpoints": [_endpoint(ben_thanh).pk],
        },
    )
    meeting = Meeting.objects.get(title="Hội nghị triển khai chuyển đổi số")
    assert response.status_code == 302 and list(meeting.endpoints.all()) == [_endpoint(ben_thanh)]
    bad = client.post(
        "/hoi-nghi/moi/",
        {
            "title": "X",
            "chair": city_leader.pk,
            "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(end).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert bad.status_code == 200 and "Mời ít nhất một điểm cầu" in bad.content.decode()
    api = client.post(
        "/api/v1/conferences/meetings",
        {
            "title": "API",
            "chair_id": city_leader.pk,
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "invite": {"endpoints": [_endpoint(sai_gon).pk]},
        },
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["endpoint_ids"] == [_endpoint(sai_gon).pk]
    wrong = client.post(
        "/api/v1/conferences/meetings",
        {
            "title": "API",
            "chair_id": city_leader.pk,
            "starts_at": end.isoformat(),
            "ends_at": start.isoformat(),
            "invite": {"everyone": True},
        },
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "ends_at" in wrong.json()["errors"]


def test_the_meetings_pages_say_when_the_media_server_is_unavailable(endpoints, city_clerk, login, settings):
    settings.JANUS_SERVERS = [dict(settings.JANUS_SERVERS[0], url="http://127.0.0.1:9/janus")]
    page = login(city_clerk).get("/hoi-nghi/").content.decode()
    assert "Máy chủ truyền thông không sẵn sàng" in page


def test_a_meeting_is_placed_on_a_server_with_room_for_it(endpoints, city_clerk, city_leader, settings):
    one = dict(settings.JANUS_SERVERS[0])
    settings.JANUS_SERVERS = [dict(one, name="a", capacity=170), dict(one, name="b", capacity=170)]
    first = _schedule(city_clerk, city_leader, {"kinds": ["commune"]})  # 168
    second = _schedule(city_clerk, city_leader, {"kinds": ["commune"]})  # same time: the other server
    assert {first.janus_server, second.janus_server} == {"a", "b"}
    with pytest.raises(ValidationError) as full:
        _schedule(city_clerk, city_leader, {"kinds": ["commune"]})
    assert "endpoints" in full.value.message_dict
    later = _schedule(
        city_clerk,
        city_leader,
        {"kinds": ["commune"]},
        starts_at=first.ends_at + timedelta(hours=1),
        ends_at=first.ends_at + timedelta(hours=2),
    )
    assert later.janus_server in {"a", "b"}


@pytest.mark.janus
def test_open_join_with_a_platform_token_and_end_on_the_real_janus(
    janus, endpoints, city_clerk, city_leader, ward_admin, ward_operator, other_ward_admin, ben_thanh, sai_gon, login
):
    services.endpoint_update(actor=ward_admin, endpoint=_endpoint(ben_thanh), fields={}, operators=[ward_operator])
    meeting = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk]})
    other = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk, _endpoint(sai_gon).pk]})
    assert meeting.janus_server == "janus-test"
    client = login(ward_operator)
    url = f"/api/v1/conferences/meetings/{meeting.pk}/endpoints/{_endpoint(ben_thanh).pk}/token"
    assert client.post(url).status_code == 400  # not live yet
    assert login(city_clerk).post(f"/api/v1/conferences/meetings/{meeting.pk}/start").json()["status"] == "live"
    services.meeting_start(actor=city_clerk, meeting=other)
    assert adapter.room_exists(janus, room=meeting.janus_room)

    client = login(ward_operator)
    issued = client.post(url)
    assert issued.status_code == 201
    token = issued.json()["token"]
    session, joined = adapter.join(janus, room=meeting.janus_room, token=token, display="Bến Thành")
    session.close()
    assert joined["videoroom"] == "joined"
    with pytest.raises(adapter.JanusError):  # the token of one meeting does not open another's room
        adapter.join(janus, room=other.janus_room, token=token, display="Bến Thành")

    foreign = f"/api/v1/conferences/meetings/{other.pk}/endpoints/{_endpoint(sai_gon).pk}/token"
    assert client.post(foreign).status_code == 403  # not this operator's endpoint
    assert login(other_ward_admin).post(url).status_code == 404  # cannot even see the meeting
    assert login(other_ward_admin).post(foreign).status_code == 201  # their own endpoint, invited

    assert login(city_clerk).post(f"/api/v1/conferences/meetings/{meeting.pk}/end").json()["status"] == "ended"
    assert not adapter.room_exists(janus, room=meeting.janus_room)
    assert login(city_clerk).post(f"/api/v1/conferences/meetings/{meeting.pk}/end").status_code == 409
    actions = list(
        AuditEntry.objects.filter(object_id=str(meeting.pk), action__startswith="conferences.meeting")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["conferences.meeting." + a for a in ("schedule", "start", "join_token", "end")]
    services.meeting_end(actor=city_clerk, meeting=other)


def test_opening_a_meeting_without_its_media_server_fails_clearly_and_changes_nothing(
    endpoints, city_clerk, city_leader, ben_thanh, settings
):
    settings.JANUS_SERVERS = [dict(settings.JANUS_SERVERS[0], url="http://127.0.0.1:9/janus")]
    meeting = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk]})
    with pytest.raises(ValidationError) as down:
        services.meeting_start(actor=city_clerk, meeting=meeting)
    assert "media server" in str(down.value) or "truyền thông" in str(down.value)
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


@pytest.mark.janus
def test_an_expired_join_token_is_withdrawn_from_the_room_by_the_sweep(
    janus, endpoints, city_clerk, city_leader, ward_admin, ben_thanh
):
    from thongsuot.conferences.models import JoinToken
    from thongsuot.core import sweeps

    assert "conferences.join_tokens" in {s.name for s in sweeps.registered()}
    meeting = _schedule(city_clerk, city_leader, {"endpoints": [_endpoint(ben_thanh).pk]})
    services.meeting_start(actor=city_clerk, meeting=meeting)
    old = services.join_token_issue(
        actor=ward_admin, meeting=meeting, endpoint=_endpoint(ben_thanh), now=timezone.now() - timedelta(hours=1)
    )
    fresh = services.join_token_issue(actor=ward_admin, meeting=meeting, endpoint=_endpoint(ben_thanh))
    assert services.join_tokens_expire() == 1
    assert services.join_tokens_expire() == 0  # idempotent
    assert list(JoinToken.objects.values_list("token", flat=True)) == [fresh.token]
    with pytest.raises(adapter.JanusError) as refused:
        adapter.join(janus, room=meeting.janus_room, token=old.token, display="x")
    assert refused.value.code == 433
    session, _joined = adapter.join(janus, room=meeting.janus_room, token=fresh.token, display="x")
    session.close()
    services.meeting_end(actor=city_clerk, meeting=meeting)
