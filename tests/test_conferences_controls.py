"""The chair's console against a REAL Janus: mute and unmute, mute all, the floor, removal; only the
meeting's chair and its organiser unit may; each act audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thongsuot.conferences import janus as adapter
from thongsuot.conferences import services, services_controls
from thongsuot.conferences.models import Endpoint, Participation
from thongsuot.conferences.testing import synthetic_publisher
from thongsuot.core.models import AuditEntry

pytestmark = pytest.mark.janus


def _endpoint(org):
    return Endpoint.objects.get(organisation=org)


@pytest.fixture
def live(janus, db, city_clerk, city_leader, ward_admin, other_ward_admin, ben_thanh, sai_gon):
    """A live meeting with Bến Thành and Sài Gòn in its room, each publishing audio and video."""
    services.endpoints_sync()
    start = timezone.now() + timedelta(minutes=1)
    meeting = services.meeting_schedule(
        actor=city_clerk,
        title="Giao ban trực tuyến",
        chair=city_leader,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        invite={"endpoints": [_endpoint(ben_thanh).pk, _endpoint(sai_gon).pk]},
    )
    services.meeting_start(actor=city_clerk, meeting=meeting)
    people, sessions = {}, []
    for operator, org in ((ward_admin, ben_thanh), (other_ward_admin, sai_gon)):
        token = services.join_token_issue(actor=operator, meeting=meeting, endpoint=_endpoint(org))
        session, joined, _configured = synthetic_publisher(
            janus, room=meeting.janus_room, token=token.token, display=org.name
        )
        sessions.append(session)
        people[org.pk] = (
            Participation.objects.create(
                meeting=meeting,
                endpoint=_endpoint(org),
                janus_id=joined["id"],
                session_id=session.session_id,
                handle_id=session.handle_id,
                display=org.name,
                joined_at=timezone.now(),
            ),
            session,
        )
    yield meeting, people
    for session in sessions:
        session.close()
    meeting.refresh_from_db()
    if meeting.status == "live":
        services.meeting_end(actor=city_clerk, meeting=meeting)


def _moderations(session, count):
    """The moderation notices Janus sent this participant: {mid: "muted" | "unmuted"}."""
    seen = {}
    for _ in range(count + 10):  # other notices (who joined, who publishes) come in between
        event = session.next_event()
        if "moderation" in event:
            seen[event["mid"]] = event["moderation"]
            if len(seen) == count:
                return seen
    raise AssertionError(f"only {seen} from Janus")


def test_the_chair_mutes_and_unmutes_one_participant_through_the_api(live, city_leader, ben_thanh, login):
    meeting, people = live
    participation, session = people[ben_thanh.pk]
    client = login(city_leader)
    url = f"/api/v1/conferences/meetings/{meeting.pk}/participants/{participation.pk}/mute"
    muted = client.post(url, {"mute": True}, content_type="application/json")
    assert muted.status_code == 200 and muted.json()["muted"] is True
    assert _moderations(session, 1) == {"0": "muted"}  # Janus muted the microphone, not the camera
    unmuted = client.post(url, {"mute": False}, content_type="application/json")
    assert unmuted.json()["muted"] is False
    assert _moderations(session, 1) == {"0": "unmuted"}
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(meeting.pk), action__in=["conferences.meeting.mute", "conferences.meeting.unmute"]
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["conferences.meeting.mute", "conferences.meeting.unmute"]
    listed = client.get(f"/api/v1/conferences/meetings/{meeting.pk}/participants").json()
    assert sorted(p["display"] for p in listed) == ["Phường Bến Thành", "Phường Sài Gòn"]


def test_the_floor_goes_to_one_speaker_at_a_time_and_mute_all_spares_them(live, city_clerk, ben_thanh, sai_gon):
    meeting, people = live
    (bt, bt_session), (sg, sg_session) = people[ben_thanh.pk], people[sai_gon.pk]
    assert services_controls.participants_mute_all(actor=city_clerk, meeting=meeting) == 2
    assert _moderations(bt_session, 1) == {"0": "muted"} and _moderations(sg_session, 1) == {"0": "muted"}
    services_controls.floor_give(actor=city_clerk, meeting=meeting, participation=bt)
    assert _moderations(bt_session, 2) == {"0": "unmuted", "1": "unmuted"}
    services_controls.floor_give(actor=city_clerk, meeting=meeting, participation=sg)
    assert _moderations(bt_session, 2) == {"0": "muted", "1": "muted"}  # the previous speaker
    assert _moderations(sg_session, 2) == {"0": "unmuted", "1": "unmuted"}
    bt.refresh_from_db()
    sg.refresh_from_db()
    assert (bt.has_floor, bt.muted, sg.has_floor, sg.muted) == (False, True, True, False)
    assert services_controls.participants_mute_all(actor=city_clerk, meeting=meeting) == 1  # not the speaker
    services_controls.floor_take(actor=city_clerk, meeting=meeting, participation=sg)
    assert _moderations(sg_session, 2) == {"0": "muted", "1": "muted"}
    with pytest.raises(ValidationError) as no_floor:
        services_controls.floor_take(actor=city_clerk, meeting=meeting, participation=sg)
    assert "participant" in no_floor.value.message_dict


def test_removing_a_participant_kicks_them_and_withdraws_their_token(live, janus, city_leader, ben_thanh, login):
    meeting, people = live
    participation, _session = people[ben_thanh.pk]
    token = meeting.join_tokens.get(endpoint=participation.endpoint).token
    client = login(city_leader)
    removed = client.post(f"/api/v1/conferences/meetings/{meeting.pk}/participants/{participation.pk}/remove")
    assert removed.status_code == 200 and removed.json()["left_at"]
    assert participation.janus_id not in {p["id"] for p in adapter.participants(janus, room=meeting.janus_room)}
    with pytest.raises(adapter.JanusError) as refused:  # the token no longer opens the room
        adapter.join(janus, room=meeting.janus_room, token=token, display="again")
    assert refused.value.code == 433
    participation.refresh_from_db()
    assert participation.left_how == "removed"
    assert AuditEntry.objects.filter(action="conferences.meeting.remove", object_id=str(meeting.pk)).count() == 1
    again = client.post(
        f"/api/v1/conferences/meetings/{meeting.pk}/participants/{participation.pk}/mute",
        {"mute": True},
        content_type="application/json",
    )
    assert again.status_code == 400 and "participant" in again.json()["errors"]  # no longer in the meeting


def test_only_the_chair_and_the_organiser_unit_may_use_the_console(
    live, ward_admin, other_ward_admin, ward_operator, city_leader, ben_thanh, login
):
    meeting, people = live
    participation, session = people[ben_thanh.pk]
    for outsider in (ward_admin, other_ward_admin):  # invited units' administrators: they see, not chair
        with pytest.raises(PermissionDenied):
            services_controls.participant_mute(actor=outsider, meeting=meeting, participation=participation)
        url = f"/api/v1/conferences/meetings/{meeting.pk}/participants/{participation.pk}/remove"
        assert login(outsider).post(url).status_code == 403
        assert login(outsider).post(f"/api/v1/conferences/meetings/{meeting.pk}/mute-all").status_code == 403
    participation.refresh_from_db()
    assert participation.left_at is None and not participation.muted
    assert not AuditEntry.objects.filter(action__startswith="conferences.meeting.m", object_id=str(meeting.pk)).exists()
    # the chair acts; a meeting that has ended has no console any more
    services_controls.participant_mute(actor=city_leader, meeting=meeting, participation=participation)
    services.meeting_end(actor=city_leader, meeting=meeting)
    participation.refresh_from_db()
    assert participation.left_how == "ended" and participation.left_at is not None
    response = login(city_leader).post(f"/api/v1/conferences/meetings/{meeting.pk}/mute-all")
    assert response.status_code == 409


def test_an_unknown_participant_is_not_found(live, city_leader, ben_thanh, login):
    meeting, people = live
    participation, _session = people[ben_thanh.pk]
    client = login(city_leader)
    assert client.post(f"/api/v1/conferences/meetings/{meeting.pk}/participants/999999/floor").status_code == 404
    assert (
        client.post(f"/api/v1/conferences/meetings/{meeting.pk}/participants/{participation.pk}/floor").status_code
        == 200
    )


def test_the_console_page_acts_through_the_services(live, city_leader, ward_admin, ben_thanh, sai_gon, login):
    meeting, people = live
    participation, session = people[ben_thanh.pk]
    host = login(city_leader)
    page = host.get(f"/hoi-nghi/{meeting.pk}/dieu-hanh/")
    text = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 3s"' in text and text.count("data-participant=") == 2
    muted = host.post(f"/hoi-nghi/{meeting.pk}/dieu-hanh/{participation.pk}/mute/", HTTP_HX_REQUEST="true")
    assert muted.status_code == 200 and 'data-action="unmute"' in muted.content.decode()
    assert _moderations(session, 1) == {"0": "muted"}
    everyone = host.post(f"/hoi-nghi/{meeting.pk}/dieu-hanh/mute-all/")
    assert everyone.status_code == 302
    assert host.post(f"/hoi-nghi/{meeting.pk}/dieu-hanh/{participation.pk}/nonsense/").status_code == 404
    guest = login(ward_admin)
    assert guest.get(f"/hoi-nghi/{meeting.pk}/dieu-hanh/").status_code == 403
    assert guest.post(f"/hoi-nghi/{meeting.pk}/dieu-hanh/{participation.pk}/remove/").status_code == 403
    participation.refresh_from_db()
    assert participation.left_at is None


def test_the_join_page_is_for_the_endpoints_operators_and_may_reach_janus(
    live, janus, ward_admin, other_ward_admin, ward_operator, city_leader, ben_thanh, sai_gon, login
):
    meeting, _people = live
    url = f"/hoi-nghi/{meeting.pk}/tham-gia/{_endpoint(ben_thanh).pk}/"
    page = login(ward_admin).get(url)
    assert page.status_code == 200
    origin = janus["url"].rsplit("/janus", 1)[0]
    assert f"connect-src 'self' {origin}" in page["Content-Security-Policy"]
    text = page.content.decode()
    assert f'data-janus-url="{janus["url"]}"' in text and janus["api_secret"] not in text
    assert "vendor/janus-gateway/dist/janus.es.js" in text
    assert login(ward_operator).get(url).status_code == 403  # not named on the endpoint
    assert login(other_ward_admin).get(url).status_code == 403  # another unit's endpoint
    assert login(city_leader).get(f"/hoi-nghi/{meeting.pk}/").content.decode().count("/dieu-hanh/") == 1


def test_who_publishes_the_host_endpoint_and_the_one_with_the_floor(
    live, city_leader, ward_admin, other_ward_admin, ben_thanh, sai_gon, login
):
    from thongsuot.conferences import selectors
    from thongsuot.directory.models import Organisation

    meeting, people = live
    participation, _session = people[ben_thanh.pk]
    url = f"/api/v1/conferences/meetings/{meeting.pk}/endpoints/{_endpoint(ben_thanh).pk}/floor"
    operator = login(ward_admin)
    assert operator.get(url).json() == {"publish": False, "has_floor": False, "in_room": True}
    services_controls.floor_give(actor=city_leader, meeting=meeting, participation=participation)
    assert login(ward_admin).get(url).json() == {"publish": True, "has_floor": True, "in_room": True}
    assert login(other_ward_admin).get(url).status_code == 403  # not their endpoint
    city = Endpoint.objects.get(organisation=Organisation.objects.get(kind="city"))
    meeting.refresh_from_db()
    assert selectors.may_publish(meeting=meeting, endpoint=city)  # where the chair sits
    assert not selectors.may_publish(meeting=meeting, endpoint=_endpoint(sai_gon))
