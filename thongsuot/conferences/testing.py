"""Test helpers: a synthetic publisher that joins a real Janus room and offers audio and video (no media
flows: ICE never completes), enough for Janus to hold its streams, mute them and report its events."""

from thongsuot.conferences import janus

_FINGERPRINT = ":".join(["AB"] * 32)


def _offer() -> str:
    lines = ["v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic: WMS s"]
    for mid, (kind, payload, codec) in enumerate((("audio", 111, "opus/48000/2"), ("video", 96, "VP8/90000"))):
        lines += [
            f"m={kind} 9 UDP/TLS/RTP/SAVPF {payload}",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:tsuf",
            "a=ice-pwd:thongsuotthongsuotthongs",
            "a=ice-options:trickle",
            f"a=fingerprint:sha-256 {_FINGERPRINT}",
            "a=setup:actpass",
            f"a=mid:{mid}",
            "a=sendonly",
            "a=rtcp-mux",
            f"a=rtpmap:{payload} {codec}",
            f"a=ssrc:{1000 + mid} cname:ts",
        ]
    return "\r\n".join(lines) + "\r\n"


def synthetic_publisher(server: dict, *, room: int, token: str, display: str, opaque_id: str = ""):
    """Join `room` with `token` and publish audio (mid 0) and video (mid 1): (session, joined, configured).
    The caller closes the session (the participant then leaves)."""
    session, joined = janus.join(server, room=room, token=token, display=display, opaque_id=opaque_id)
    try:
        janus._check(
            janus._post(
                session.handle_url,
                session._body(
                    janus="message",
                    body={"request": "publish", "audio": True, "video": True},
                    jsep={"type": "offer", "sdp": _offer()},
                ),
            )
        )
        configured = session.next_event()
        if configured.get("error_code"):
            raise janus.JanusError(configured.get("error", "VideoRoom error"), configured["error_code"])
        return session, joined, configured
    except BaseException:
        session.close()
        raise
