"""Failed public lookups are limited, so that the four phone digits cannot be tried one after another:
at most LOOKUP_FAILURES_PER_CODE wrong tries on one dossier code and LOOKUP_FAILURES_PER_IP from one
connection per hour, counted in Django's cache (per process with the default local-memory cache: with
four workers, four times the limit, still far below the 10,000 possible digits)."""

import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = 3600


def _keys(code: str, ip: str | None) -> list[tuple[str, int]]:
    def key(kind, value):
        return "procedures:lookup:" + hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()

    keys = [(key("code", code.strip().upper()), getattr(settings, "LOOKUP_FAILURES_PER_CODE", 10))]
    if ip:
        keys.append((key("ip", ip), getattr(settings, "LOOKUP_FAILURES_PER_IP", 30)))
    return keys


def blocked(code: str, ip: str | None) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(code, ip))


def failed(code: str, ip: str | None) -> None:
    for key, _limit in _keys(code, ip):
        if cache.add(key, 1, HOUR):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, HOUR)
