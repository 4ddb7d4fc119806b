"""The registry of notification events. Each system declares its events in one module (e.g.
thongsuot/feedback/notifications.py) and registers them from its AppConfig.ready():

    REPORT_ASSIGNED = Event("feedback.report_assigned", channels=(EMAIL, IN_APP), load=_report_context)
    register(REPORT_ASSIGNED, ...)

An event's templates live under `<templates>/<part>.txt` (by default `<system>/notifications/<name>/`, from
the code "<system>.<name>"): `subject.txt` and `body.txt` (e-mail), `sms.txt`, `title.txt` (and optionally
`inapp.txt`, a short body) for the list inside the platform. Each is a Django template written in English
with {% trans %}/{% blocktrans %}, rendered in the recipient's language (the Vietnamese is in locale/vi).
"""

from collections.abc import Callable
from dataclasses import dataclass

EMAIL = "email"
SMS = "sms"
IN_APP = "in_app"
CHANNELS = (EMAIL, SMS, IN_APP)


@dataclass(frozen=True)
class Event:
    """One kind of notification.

    - code: "<system>.<name>", stored on the in-platform notifications.
    - channels: the channels it uses; a recipient gets a channel only when they have its address (an
      e-mail, a phone number, an account for the list inside the platform).
    - load: turns the JSON context given to notify() into the templates' context, in the worker (e.g.
      {"report_id": 7} → {"report": <Report>, "url": …}); returns None when there is nothing to say any
      more (the object is gone). A "link" in the result (a path or a URL) is the in-platform link.
    - templates: the folder of the templates, when not the default.
    - attach: files for the e-mail, from the loaded context: [(filename, content, mimetype)] (an
      invitation's .ics file).
    """

    code: str
    channels: tuple[str, ...] = (EMAIL, SMS, IN_APP)
    load: Callable[[dict], dict | None] | None = None
    templates: str = ""
    attach: Callable[[dict], list[tuple[str, str | bytes, str]]] | None = None

    def __post_init__(self):
        system, _dot, name = self.code.partition(".")
        if not system or not name:
            raise ValueError(f"An event's code is '<system>.<name>', not {self.code!r}")
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise ValueError(f"Unknown channel(s) {sorted(unknown)} for {self.code}")
        if not self.templates:
            object.__setattr__(self, "templates", f"{system}/notifications/{name}")

    def template(self, part: str) -> str:
        return f"{self.templates}/{part}.txt"


_events: dict[str, Event] = {}


def register(*events: Event) -> None:
    """Declare events (from an AppConfig.ready()); registering the same event again is harmless."""
    for event in events:
        known = _events.get(event.code)
        if known is not None and known != event:
            raise ValueError(f"Two different events are called {event.code}")
        _events[event.code] = event


def get(code: str) -> Event:
    try:
        return _events[code]
    except KeyError:
        raise LookupError(f"No notification event {code!r} is registered") from None


def registered() -> list[Event]:
    return sorted(_events.values(), key=lambda e: e.code)
