"""Short-lived per-process copies of small reference data read on every citizen submission.

App servers are stateless: every worker process keeps its own copy, nothing is shared, and a copy is
thrown away after REFERENCE_CACHE_SECONDS (60 s by default). So a change an administrator makes in
the database (a calendar day off, a category switched off, a unit renamed, an Open311 key revoked)
reaches every worker within that time. The process that makes the change drops its copy at once
(the signal handlers next to each cache), and tests start every test with empty copies
(tests/conftest.py). Only data for which being up to REFERENCE_CACHE_SECONDS stale is harmless
belongs here; never anything a citizen or officer writes.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings

_MISSING = object()
_registry: list["LocalCache"] = []


def ttl_seconds() -> float:
    return float(getattr(settings, "REFERENCE_CACHE_SECONDS", 60))


class LocalCache:
    """Values by key, each loaded by `loader(key)` at most once per REFERENCE_CACHE_SECONDS in this
    process. `max_entries` bounds memory: past it the cache starts again empty. With keep_none=False
    a None (nothing found) is not kept: the next call asks again."""

    def __init__(self, loader: Callable[[Hashable], Any], *, max_entries: int = 1024, keep_none: bool = True):
        self._loader = loader
        self._max_entries = max_entries
        self._keep_none = keep_none
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _registry.append(self)

    def get(self, key: Hashable = None) -> Any:
        now = time.monotonic()
        entry = self._values.get(key, _MISSING)
        if entry is not _MISSING and entry[0] > now:
            return entry[1]
        value = self._loader(key) if key is not None else self._loader()
        seconds = ttl_seconds()
        if seconds > 0 and (value is not None or self._keep_none):
            with self._lock:
                if len(self._values) >= self._max_entries:
                    self._values.clear()
                self._values[key] = (now + seconds, value)
        return value

    def clear(self, *_args, **_kwargs) -> None:
        """Drop every value (usable as a signal receiver)."""
        with self._lock:
            self._values.clear()


def local_cache(*, max_entries: int = 1024, keep_none: bool = True) -> Callable[[Callable], LocalCache]:
    """Decorator: the function becomes a LocalCache; call `.get()` (or `.get(key)`) and `.clear()`."""

    def decorate(loader: Callable) -> LocalCache:
        return LocalCache(loader, max_entries=max_entries, keep_none=keep_none)

    return decorate


def clear_all() -> None:
    """Drop every per-process copy (tests call this before each test)."""
    for cache in _registry:
        cache.clear()


def instance_copy(instance):
    """A model instance's own shallow copy, to hand out an instance kept in one of these caches: the caller
    may set its attributes (or cache its relations) without changing the kept one. What copy.copy() gives,
    without its detour through pickling (Model.__reduce__), which costs several times more on every
    citizen submission."""
    clone = object.__new__(type(instance))
    clone.__dict__ = instance.__dict__.copy()
    kept = instance._state
    state = clone._state = object.__new__(type(kept))  # ModelState: copy.copy() would go through pickling too
    state.__dict__ = {**kept.__dict__, "fields_cache": kept.fields_cache.copy()}
    return clone
