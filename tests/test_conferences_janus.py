"""The Janus adapter against a REAL Janus: room lifecycle, secrets, tokens that open one room only."""

import pytest

from thongsuot.conferences import janus as adapter

pytestmark = pytest.mark.janus


def test_room_lifecycle_create_allow_join_list_kick_destroy(janus):
    adapter.room_create(janus, room=4242001, secret="room-secret-A", description="Giao ban tuần")
    assert adapter.room_exists(janus, room=4242001)
    assert adapter.room_allow(janus, room=4242001, secret="room-secret-A", tokens=["tok-A"]) == ["tok-A"]
    session, joined = adapter.join(janus, room=4242001, token="tok-A", display="Phường Bến Thành", opaque_id="ep-1")
    try:
        assert joined["videoroom"] == "joined"
        people = adapter.participants(janus, room=4242001)
        assert [(p["id"], p["display"]) for p in people] == [(joined["id"], "Phường Bến Thành")]
        with pytest.raises(adapter.JanusError) as wrong:
            adapter.kick(janus, room=4242001, secret="not-the-secret", participant=joined["id"])
        assert wrong.value.code == 433
        adapter.kick(janus, room=4242001, secret="room-secret-A", participant=joined["id"])
        assert adapter.participants(janus, room=4242001) == []
    finally:
        session.close()
    with pytest.raises(adapter.JanusError):
        adapter.room_destroy(janus, room=4242001, secret="not-the-secret")
    adapter.room_destroy(janus, room=4242001, secret="room-secret-A")
    assert not adapter.room_exists(janus, room=4242001)
    adapter.room_destroy(janus, room=4242001, secret="room-secret-A")  # already gone: harmless


def test_a_token_for_one_room_does_not_open_another_and_none_opens_nothing(janus):
    adapter.room_create(janus, room=4242002, secret="s-A", description="A")
    adapter.room_create(janus, room=4242003, secret="s-B", description="B")
    try:
        adapter.room_allow(janus, room=4242002, secret="s-A", tokens=["only-for-A"])
        for room, token in ((4242003, "only-for-A"), (4242002, ""), (4242002, "guessed")):
            with pytest.raises(adapter.JanusError) as refused:
                adapter.join(janus, room=room, token=token, display="x")
            assert refused.value.code == 433
        adapter.room_allow(janus, room=4242002, secret="s-A", tokens=["only-for-A"], action="remove")
        with pytest.raises(adapter.JanusError):
            adapter.join(janus, room=4242002, token="only-for-A", display="x")  # withdrawn
    finally:
        adapter.room_destroy(janus, room=4242002, secret="s-A")
        adapter.room_destroy(janus, room=4242003, secret="s-B")


def test_janus_refuses_requests_without_the_platforms_secrets(janus):
    with pytest.raises(adapter.JanusError) as no_api_secret:
        adapter.open_session(dict(janus, api_secret="janusrocks"))
    assert no_api_secret.value.code == 403
    with pytest.raises(adapter.JanusError) as no_room_key:
        adapter.room_create(dict(janus, room_key="wrong"), room=4242004, secret="s", description="x")
    assert no_room_key.value.code in (429, 433)
    assert not adapter.room_exists(janus, room=4242004)


def test_an_unreachable_server_is_reported_as_unavailable(janus):
    gone = dict(janus, url="http://127.0.0.1:9/janus")
    assert not adapter.available(gone)
    with pytest.raises(adapter.JanusUnavailable):
        adapter.room_exists(gone, room=1)


def test_the_generated_configuration_never_keeps_the_shipped_secrets(tmp_path, settings):
    from thongsuot.conferences import janus_config

    server = settings.JANUS_SERVERS[0]
    text = "".join(janus_config.files(server, folder=tmp_path).values())
    assert "janusoverlord" not in text and "adminpwd" not in text
    assert f'admin_secret = "{server["admin_secret"]}"' in text
    assert f'admin_key = "{server["room_key"]}"' in text
    assert 'ip = "127.0.0.1"' in text
    assert "token_auth = true" in text


def test_a_browser_token_opens_janus_api_only_while_the_platform_keeps_it(janus):
    browser = dict(janus, api_secret="")  # a browser knows no secret, only the token the platform issued
    with pytest.raises(adapter.JanusError) as refused:
        adapter.open_session(dict(browser, api_secret="tok-browser"))
    assert refused.value.code == 403
    adapter.token_add(janus, token="tok-browser")
    reply = adapter._post(janus["url"], {"janus": "create", "transaction": "t", "token": "tok-browser"})
    assert reply["janus"] == "success"
    adapter.token_remove(janus, token="tok-browser")
    adapter.token_remove(janus, token="tok-browser")  # already gone: harmless
    reply = adapter._post(janus["url"], {"janus": "create", "transaction": "t", "token": "tok-browser"})
    assert reply["janus"] == "error" and reply["error"]["code"] == 403


def test_janus_config_command_points_the_event_handler_at_the_platform(tmp_path, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://thongsuot.example.vn"
    call_command("janus_config", folder=str(tmp_path))
    handler = (tmp_path / "janus.eventhandler.sampleevh.jcfg").read_text()
    server = settings.JANUS_SERVERS[0]
    assert 'backend = "https://thongsuot.example.vn/api/v1/conferences/janus/events"' in handler
    assert f'backend_user = "{server["name"]}"' in handler and f'backend_pwd = "{server["events_secret"]}"' in handler
    assert "enabled = true" in handler and "broadcast = true" in (tmp_path / "janus.jcfg").read_text()
