"""Who may download a stored file: each system that keeps attachments registers an owner here.

An owner names its model's rows (`queryset`, a callable so it is evaluated per request) and decides for
each row whether a user may see it (`can_view(user, item)`; the user may be anonymous, for public files).
The one download view (views.download) serves a file only after its owner said yes; no storage URL is
ever handed out, so a private file cannot be reached around the check.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    name: str
    queryset: Callable
    can_view: Callable


_owners: dict[str, Owner] = {}


def register(name: str, *, queryset: Callable, can_view: Callable) -> Owner:
    """Declare the attachments of one system (call it from the app's ready())."""
    owner = Owner(name=name, queryset=queryset, can_view=can_view)
    _owners[name] = owner
    return owner


def get(name: str) -> Owner | None:
    return _owners.get(name)
