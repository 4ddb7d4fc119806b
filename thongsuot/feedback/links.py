"""The path of a report's public page (/phan-anh/<code>/), built from the URL pattern once per process
instead of by reverse() for every report: the citizen's form redirects to it after every submission, and
the map of published reports links up to 500. Tests compare it with reverse()."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

_PLACEHOLDER = "PA-0000-000000"  # the shape of a tracking code: nothing in it is quoted


@lru_cache(maxsize=16)
def _around_code(script_prefix: str) -> tuple[str, str]:
    """What comes before and after the code in the public page's path, under this script prefix."""
    before, after = reverse("feedback:follow", args=[_PLACEHOLDER]).split(_PLACEHOLDER)
    return before, after


def follow_path(code: str) -> str:
    """reverse("feedback:follow", args=[code]) for a tracking code."""
    before, after = _around_code(get_script_prefix())
    return f"{before}{code}{after}"


def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _around_code.cache_clear()


setting_changed.connect(_forget, dispatch_uid="feedback_links_forget")
