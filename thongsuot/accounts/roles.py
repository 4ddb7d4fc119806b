"""The roles of the platform, declared by the apps that use them and collected here, so that accounts
names no system.

An app declares its roles as `roles` on its AppConfig: a tuple of RoleSpec (accounts declares the
platform's common ones, each system its own, e.g. thongsuot/feedback/roles.py). The roles table itself is
seeded by each app's data migration with the same codes and Vietnamese names; codes and names never
change (they are in the data and in the units' staff lists).
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps

# The platform's common roles (declared by AccountsConfig); Role.PLATFORM_ADMIN etc. name the same codes.
PLATFORM_ADMIN = "platform_admin"
UNIT_ADMIN = "unit_admin"
LEADER = "leader"
CLERK = "clerk"
SPECIALIST = "specialist"
ONE_STOP_OFFICER = "one_stop_officer"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str  # the official Vietnamese name, as in the roles table
    aliases: tuple[str, ...] = ()  # other names staff lists use for it, folded (no accents, lower case)
    required_for_unit: bool = False  # every commune-level unit needs one before go-live (the readiness board)
    system_wide: str = ""  # the system whose records of every unit it sees and changes ("": its own unit's)


# The platform's common roles. Platform administrators are city-wide (Role.city_wide in the table).
COMMON = (
    RoleSpec(PLATFORM_ADMIN, "Quản trị nền tảng", aliases=("quan tri he thong", "quan tri nen tang")),
    RoleSpec(UNIT_ADMIN, "Quản trị đơn vị", aliases=("quan tri don vi",), required_for_unit=True),
    RoleSpec(LEADER, "Lãnh đạo", aliases=("lanh dao",), required_for_unit=True),
    RoleSpec(CLERK, "Văn thư", aliases=("van thu",), required_for_unit=True),
    RoleSpec(SPECIALIST, "Chuyên viên", aliases=("chuyen vien",)),
    RoleSpec(ONE_STOP_OFFICER, "Cán bộ một cửa", aliases=("can bo mot cua", "mot cua"), required_for_unit=True),
)


@cache
def declared() -> tuple[RoleSpec, ...]:
    """Every app's roles, in the order of INSTALLED_APPS."""
    return tuple(spec for config in apps.get_app_configs() for spec in getattr(config, "roles", ()))


def required_for_unit() -> tuple[str, ...]:
    """The codes of the roles every commune-level unit needs before go-live."""
    return tuple(spec.code for spec in declared() if spec.required_for_unit)


def system_wide() -> dict[str, frozenset[str]]:
    """system -> the codes of the roles that reach every unit within that system only."""
    found: dict[str, set[str]] = {}
    for spec in declared():
        if spec.system_wide:
            found.setdefault(spec.system_wide, set()).add(spec.code)
    return {system: frozenset(codes) for system, codes in found.items()}


def system_wide_codes() -> frozenset[str]:
    """The codes of every role that reaches every unit of some system (only city-wide staff grant them)."""
    return frozenset(spec.code for spec in declared() if spec.system_wide)


def aliases() -> dict[str, str]:
    """Role names as units write them in staff lists (folded) -> code."""
    return {alias: spec.code for spec in declared() for alias in spec.aliases}
