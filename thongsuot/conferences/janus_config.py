"""Janus' configuration as the project generates it (`manage.py janus_config`): the HTTP API and the
Admin API on loopback, the platform's secrets (never the shipped ones), only the VideoRoom plugin and
the HTTP transport loaded, VideoRoom room creation only with the platform's admin key. Browsers use the
API with a stored token the platform adds (Admin API add_token) for one operator's join, never the secret."""

from pathlib import Path
from urllib.parse import urlsplit

LIB = Path("/usr/lib/x86_64-linux-gnu/janus")
BINARY = Path("/usr/bin/janus")

_PLUGINS_OFF = (
    "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,"
    "libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,libjanus_videocall.so,"
    "libjanus_voicemail.so"
)
_TRANSPORTS_OFF = "libjanus_websockets.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_rabbitmq.so,libjanus_pfunix.so"
_EVENTS_OFF = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_wsevh.so"


_PROTECTED = '"/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var"'


def _q(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def files(server: dict, *, folder: Path, rtp_ports: str = "20000-40000", stats_period: int = 5) -> dict[str, str]:
    """The configuration files (name → text) for one configured server. With the server's `events_url`,
    Janus' HTTP event handler POSTs its events (joins, leaves, media statistics every `stats_period`
    seconds) there, signed in with HTTP Basic as the server's name and its `events_secret`."""
    events_url = server.get("events_url", "")
    api, admin = urlsplit(server["url"]), urlsplit(server.get("admin_url") or "http://127.0.0.1:7088/admin")
    return {
        "janus.jcfg": f"""general: {{
	configs_folder = {_q(folder)}
	plugins_folder = {_q(LIB / "plugins")}
	transports_folder = {_q(LIB / "transports")}
	events_folder = {_q(LIB / "events")}
	loggers_folder = {_q(LIB / "loggers")}
	log_to_stdout = true
	debug_level = 4
	server_name = {_q(server["name"])}
	session_timeout = 60
	api_secret = {_q(server["api_secret"])}
	admin_secret = {_q(server["admin_secret"])}
	token_auth = true
	protected_folders = [{_PROTECTED}]
}}
media: {{
	rtp_port_range = {_q(rtp_ports)}
}}
nat: {{
	nice_debug = false
}}
plugins: {{
	disable = {_q(_PLUGINS_OFF)}
}}
transports: {{
	disable = {_q(_TRANSPORTS_OFF)}
}}
loggers: {{
	disable = "libjanus_jsonlog.so"
}}
events: {{
	broadcast = {"true" if events_url else "false"}
	combine_media_stats = false
	stats_period = {int(stats_period)}
	disable = {_q(_EVENTS_OFF if events_url else _EVENTS_OFF + ",libjanus_sampleevh.so")}
}}
""",
        "janus.transport.http.jcfg": f"""general: {{
	json = "compact"
	base_path = {_q(api.path or "/janus")}
	http = true
	port = {api.port or 8088}
	ip = {_q(api.hostname or "127.0.0.1")}
	https = false
}}
admin: {{
	admin_base_path = {_q(admin.path or "/admin")}
	admin_http = true
	admin_port = {admin.port or 7088}
	admin_ip = {_q(admin.hostname or "127.0.0.1")}
	admin_https = false
}}
cors: {{
}}
""",
        "janus.plugin.videoroom.jcfg": f"""general: {{
	admin_key = {_q(server["room_key"])}
	lock_rtp_forward = true
}}
""",
        "janus.eventhandler.sampleevh.jcfg": f"""general: {{
	enabled = {"true" if events_url else "false"}
	events = "sessions,handles,plugins,webrtc,media"
	grouping = true
	json = "compact"
	backend = {_q(events_url or "http://127.0.0.1:9/unused")}
	backend_user = {_q(server["name"])}
	backend_pwd = {_q(server.get("events_secret", ""))}
	max_retransmissions = 6
	retransmissions_backoff = 500
}}
""",
    }


def write(server: dict, folder: Path, **kwargs) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files(server, folder=folder.resolve(), **kwargs).items():
        path = folder / name
        path.write_text(text)
        path.chmod(0o600)  # it holds the secrets
        written.append(path)
    return written
