"""The one question core asks about a user: may they administer the platform (the working-day calendar's
exceptions, the audit log)? core imports no app of the platform, so it does not answer it itself: the
accounts app, which owns users and roles, registers the answer when it starts (AccountsConfig.ready).
Until one is registered nobody may: core fails closed."""

from collections.abc import Callable

_platform_admin_check: Callable[[object], bool] | None = None


def platform_admin_check_register(check: Callable[[object], bool]) -> None:
    """Register the function saying whether a user administers the platform (accounts does, at start-up)."""
    global _platform_admin_check
    _platform_admin_check = check


def is_platform_admin(user) -> bool:
    return _platform_admin_check is not None and bool(_platform_admin_check(user))
