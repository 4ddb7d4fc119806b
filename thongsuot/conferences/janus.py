"""The adapter to Janus' HTTP API (VideoRoom plugin): sessions, rooms, tokens, participants.

Every request carries the server's API secret; room requests carry the VideoRoom admin key (so nobody
else may create rooms) and the room's own secret (edit, destroy, allowed, kick, moderate). Joining a room
needs a token the platform added to the room's `allowed` list: a token for one room opens no other.
"""

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

PLUGIN = "janus.plugin.videoroom"


class JanusError(Exception):
    """Janus refused a request or could not be reached."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class JanusUnavailable(JanusError):
    pass


def servers() -> list[dict]:
    return list(settings.JANUS_SERVERS)


def server_named(name: str) -> dict:
    for server in servers():
        if server["name"] == name:
            return server
    raise JanusUnavailable(f"No Janus server named {name!r} is configured")


def _tid() -> str:
    return secrets.token_hex(6)


def _post(url: str, body: dict, timeout: float = 5) -> dict:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise JanusUnavailable(f"Janus at {url} is not reachable: {exc}") from exc


def _get(url: str, timeout: float = 35) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise JanusUnavailable(f"Janus at {url} is not reachable: {exc}") from exc


def _check(reply: dict) -> dict:
    if reply.get("janus") == "error":
        error = reply.get("error", {})
        raise JanusError(error.get("reason", "Janus error"), error.get("code"))
    return reply


@dataclass
class Session:
    """One Janus session with the VideoRoom plugin attached (a handle)."""

    server: dict
    session_id: int
    handle_id: int

    @property
    def handle_url(self) -> str:
        return f"{self.server['url']}/{self.session_id}/{self.handle_id}"

    def _body(self, **fields) -> dict:
        return {"transaction": _tid(), "apisecret": self.server["api_secret"], **fields}

    def request(self, body: dict) -> dict:
        """A synchronous VideoRoom request (create, destroy, exists, allowed, listparticipants, kick,
        moderate): the plugin's answer, or JanusError with Janus' own code."""
        reply = _check(_post(self.handle_url, self._body(janus="message", body=body)))
        data = reply.get("plugindata", {}).get("data", {})
        if data.get("error_code"):
            raise JanusError(data.get("error", "VideoRoom error"), data["error_code"])
        return data

    def send_async(self, body: dict) -> None:
        """An asynchronous request (join): its answer comes as an event (next_event)."""
        _check(_post(self.handle_url, self._body(janus="message", body=body)))

    def next_event(self, timeout: float = 10) -> dict:
        """The next plugin event of this handle (Janus' long poll)."""
        url = f"{self.server['url']}/{self.session_id}?maxev=1&apisecret={self.server['api_secret']}"
        for _attempt in range(max(1, int(timeout // 5))):
            reply = _get(url + "&rid=" + _tid(), timeout=timeout + 5)
            if reply.get("janus") == "event" and reply.get("sender") == self.handle_id:
                return reply.get("plugindata", {}).get("data", {})
        raise JanusError("No event from Janus in time")

    def close(self) -> None:
        try:
            _post(f"{self.server['url']}/{self.session_id}", self._body(janus="destroy"))
        except JanusError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_session(server: dict, *, opaque_id: str = "") -> Session:
    reply = _check(_post(server["url"], {"janus": "create", "transaction": _tid(), "apisecret": server["api_secret"]}))
    session_id = reply["data"]["id"]
    attach = {"janus": "attach", "plugin": PLUGIN, "transaction": _tid(), "apisecret": server["api_secret"]}
    if opaque_id:
        attach["opaque_id"] = opaque_id
    reply = _check(_post(f"{server['url']}/{session_id}", attach))
    return Session(server, session_id, reply["data"]["id"])


def info(server: dict) -> dict:
    """Janus' /info: the server is up (raises JanusUnavailable otherwise)."""
    return _check(_get(f"{server['url']}/info", timeout=3))


def available(server: dict | None = None) -> bool:
    try:
        info(server or servers()[0])
        return True
    except (JanusError, IndexError):
        return False


# Rooms -------------------------------------------------------------------------------------------


PUBLISHERS = 6  # who may publish at once in one room: the chair and a few speakers


def room_create(server: dict, *, room: int, secret: str, description: str, publishers: int = PUBLISHERS) -> dict:
    """A private room that only holders of an allowed token may join (the chair and a few speakers
    publish video; the others receive)."""
    with open_session(server) as session:
        return session.request(
            {
                "request": "create",
                "admin_key": server["room_key"],
                "room": room,
                "permanent": False,
                "description": description[:100],
                "secret": secret,
                "is_private": True,
                "allowed": [],
                "publishers": publishers,
                "audiolevel_event": True,
                "notify_joining": True,
                "rec_dir": recordings_folder(server),
            }
        )


def room_destroy(server: dict, *, room: int, secret: str) -> None:
    with open_session(server) as session:
        try:
            session.request({"request": "destroy", "room": room, "secret": secret, "permanent": False})
        except JanusError as exc:
            if exc.code != 426:  # 426: no such room (already gone)
                raise


def room_exists(server: dict, *, room: int) -> bool:
    with open_session(server) as session:
        return bool(session.request({"request": "exists", "room": room}).get("exists"))


def room_allow(server: dict, *, room: int, secret: str, tokens: list[str], action: str = "add") -> list[str]:
    """Add (or "remove") tokens to the room's allowed list; returns the list Janus now holds."""
    with open_session(server) as session:
        data = session.request(
            {"request": "allowed", "room": room, "secret": secret, "action": action, "allowed": tokens}
        )
        return data.get("allowed", [])


def participants(server: dict, *, room: int) -> list[dict]:
    with open_session(server) as session:
        return session.request({"request": "listparticipants", "room": room}).get("participants", [])


def kick(server: dict, *, room: int, secret: str, participant: int) -> None:
    with open_session(server) as session:
        session.request({"request": "kick", "room": room, "secret": secret, "id": participant})


def moderate(server: dict, *, room: int, secret: str, participant: int, mid: str, mute: bool) -> None:
    """Mute (or unmute) one of a publisher's streams (`mid`) for everyone."""
    with open_session(server) as session:
        session.request(
            {"request": "moderate", "room": room, "secret": secret, "id": participant, "mid": mid, "mute": mute}
        )


def join(server: dict, *, room: int, token: str, display: str, opaque_id: str = "") -> tuple[Session, dict]:
    """Join `room` as a (not yet publishing) participant with `token`; JanusError if Janus refuses.
    The caller closes the returned session (it leaves the room)."""
    session = open_session(server, opaque_id=opaque_id)
    try:
        session.send_async({"request": "join", "ptype": "publisher", "room": room, "token": token, "display": display})
        data = session.next_event()
        if data.get("error_code"):
            raise JanusError(data.get("error", "VideoRoom error"), data["error_code"])
        return session, data
    except BaseException:
        session.close()
        raise


def publisher_streams(server: dict, *, session_id: int, handle_id: int) -> list[dict]:
    """The streams (type, mid) a participant publishes, from Janus' Admin API (handle_info): what the
    chair's mute and floor act on. [] when the handle publishes nothing or is gone."""
    if not server.get("admin_url"):
        raise JanusUnavailable("No Admin API configured for this Janus server")
    body = {"janus": "handle_info", "transaction": _tid(), "admin_secret": server["admin_secret"]}
    reply = _post(f"{server['admin_url']}/{session_id}/{handle_id}", body)
    if reply.get("janus") == "error":
        if reply.get("error", {}).get("code") in (458, 459):  # no such session / handle
            return []
        _check(reply)
    plugin = reply.get("info", {}).get("plugin_specific", {})
    return [s for s in plugin.get("streams", []) if s.get("mid") is not None]


def _admin(server: dict, body: dict) -> dict:
    if not server.get("admin_url"):
        raise JanusUnavailable("No Admin API configured for this Janus server")
    return _post(server["admin_url"], {"transaction": _tid(), "admin_secret": server["admin_secret"], **body})


def token_add(server: dict, *, token: str) -> None:
    """Let a browser holding `token` use Janus' API (the VideoRoom plugin only) without the API secret:
    the same token the platform put on one room's allowed list."""
    _check(_admin(server, {"janus": "add_token", "token": token, "plugins": [PLUGIN]}))


def token_remove(server: dict, *, token: str) -> None:
    reply = _admin(server, {"janus": "remove_token", "token": token})
    if reply.get("janus") == "error" and reply.get("error", {}).get("code") != 490:  # 490: no such token
        _check(reply)


def browser_url(server: dict) -> str:
    """The HTTP API's address as browsers reach it (`public_url`, else the platform's own `url`)."""
    return server.get("public_url") or server["url"]


def recordings_folder(server: dict) -> str:
    """Where this server's Janus writes its recordings (.mjr): the server's `rec_dir`, by default
    .run/recordings/<name>/ (Janus and the task worker share the machine, or this folder)."""
    from pathlib import Path

    return str(server.get("rec_dir") or Path(settings.BASE_DIR) / ".run" / "recordings" / server["name"])


def room_record(server: dict, *, room: int, secret: str, record: bool) -> None:
    """Start (or stop) recording every publisher's feeds in the room (VideoRoom enable_recording)."""
    with open_session(server) as session:
        session.request({"request": "enable_recording", "room": room, "secret": secret, "record": record})
