"""Per-request facts (client IP) that services need for the audit log.

A context variable, so it is private to the request being served: nothing is shared
between requests or processes.
"""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def set_client_ip(ip: str | None):
    return _client_ip.set(ip)


def reset_client_ip(token) -> None:
    _client_ip.reset(token)


def client_ip() -> str | None:
    return _client_ip.get()
