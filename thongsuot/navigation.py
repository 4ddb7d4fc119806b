"""The menus of every page: what each visitor may open, decided in one place.

Each entry names its page and the check that page's view makes (the same functions: `access`, the
services' `require_*`), so a menu never offers a page that answers 403. The project-level module (like
urls.py and api.py) may know every system; `core` stays free of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts import access
from thongsuot.accounts.services import _require_provisioner
from thongsuot.conferences.selectors import may_schedule as may_schedule_meetings
from thongsuot.feedback import SYSTEM as FEEDBACK
from thongsuot.feedback.services.categories import require_category_admin
from thongsuot.procedures.selectors import may_receive as may_receive_dossiers


def _passes(check: Callable, user) -> bool:
    try:
        check(user)
    except PermissionDenied:
        return False
    return True


def anyone(user) -> bool:
    return True


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def staff(user) -> bool:
    """The 1022 staff pages' `staff_required`."""
    return signed_in(user) and user.kind == "staff"


def feedback_dispatcher(user) -> bool:
    """The dispatch queue's check."""
    return staff(user) and access.has_city_wide_view(user, system=FEEDBACK)


def feedback_operator(user) -> bool:
    """Hotline entry's check."""
    return staff(user) and access.has_city_wide_change(user, system=FEEDBACK)


def category_admin(user) -> bool:
    return staff(user) and _passes(require_category_admin, user)


def provisioner(user) -> bool:
    return signed_in(user) and _passes(_require_provisioner, user)


def conference_organiser(user) -> bool:
    return staff(user) and may_schedule_meetings(user)


def dossier_desk(user) -> bool:
    """The dossier intake form's check: a one-stop desk officer of a unit."""
    return staff(user) and may_receive_dossiers(user)


def platform_admin(user) -> bool:
    """The audit log's and the working-day calendar's check."""
    return access.has_city_wide_change(user)


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str
    allowed: Callable = anyone
    args: tuple = ()
    prefixes: tuple[str, ...] = ()  # paths under which this entry is the current one
    children: tuple["Entry", ...] = field(default_factory=tuple)

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


STAFF_MENU: tuple[Entry, ...] = (
    Entry("home", _("My work"), "home", signed_in),
    Entry(
        "feedback",
        _("1022 feedback"),
        "feedback:staff_home",
        staff,
        prefixes=("/xu-ly-phan-anh/",),
        children=(
            Entry("feedback-reports", _("Reports"), "feedback:staff_home", staff),
            Entry("feedback-queue", _("Dispatch queue"), "feedback:queue", feedback_dispatcher),
            Entry("feedback-hotline", _("Hotline entry"), "feedback:hotline", feedback_operator),
            Entry("feedback-escalations", _("Overdue and escalations"), "feedback:escalations", staff),
            Entry("feedback-stats", _("Statistics"), "feedback:stats", staff),
            Entry("feedback-categories", _("Categories"), "feedback:categories", category_admin),
            Entry("feedback-public", _("Published reports"), "feedback:public_list"),
            Entry("feedback-ranking", _("Ranking of the units"), "feedback:ranking"),
        ),
    ),
    Entry(
        "conferences",
        _("Video conferences"),
        "conferences:home",
        staff,
        prefixes=("/hoi-nghi/",),
        children=(
            Entry("conferences-meetings", _("Meetings"), "conferences:home", staff),
            Entry("conferences-new", _("Schedule a meeting"), "conferences:new", conference_organiser),
            Entry("conferences-endpoints", _("Endpoints"), "conferences:endpoints", staff),
        ),
    ),
    Entry("documents", _("Official documents"), "documents:home", staff, prefixes=("/van-ban/",)),
    Entry(
        "procedures",
        _("Administrative procedures"),
        "procedures:catalogue",
        signed_in,
        prefixes=("/thu-tuc/", "/ho-so/"),
        children=(
            Entry("procedures-catalogue", _("Catalogue of procedures"), "procedures:catalogue", signed_in),
            Entry("procedures-import", _("Import the catalogue (XLSX)"), "procedures:import_upload", platform_admin),
            Entry("procedures-dossiers", _("Dossiers"), "procedures:queue", staff),
            Entry("procedures-intake", _("Receive a dossier at the desk"), "procedures:intake", dossier_desk),
        ),
    ),
    Entry("readiness", _("Readiness"), "readiness:board", staff, prefixes=("/san-sang/",)),
    Entry(
        "admin",
        _("Administration"),
        "accounts:api_tokens",
        signed_in,
        prefixes=("/accounts/provisioning/", "/accounts/tokens/", "/accounts/2fa/", "/nhat-ky/", "/lich-lam-viec/"),
        children=(
            Entry(
                "provisioning", _("Configure accounts from a staff list"), "accounts:provisioning_upload", provisioner
            ),
            Entry("audit", _("Audit log"), "audit_log", platform_admin),
            Entry("calendar", _("Working-day calendar"), "working_calendar", platform_admin),
            Entry("tokens", _("Personal API tokens"), "accounts:api_tokens", signed_in),
            Entry("otp", _("Two-factor authentication"), "accounts:otp_setup", signed_in),
        ),
    ),
)

PUBLIC_MENU: tuple[Entry, ...] = (
    Entry("new", _("Send a report to 1022"), "feedback:new", prefixes=("/phan-anh/gui/",)),
    Entry("public", _("Published reports"), "feedback:public_list", prefixes=("/phan-anh/",)),
    Entry("ranking", _("Ranking of the units"), "feedback:ranking", prefixes=("/phan-anh/xep-hang/",)),
    Entry("procedures", _("Administrative procedures"), "procedures:catalogue", prefixes=("/thu-tuc/",)),
    Entry("dossier-lookup", _("Look up a dossier"), "procedures:lookup", prefixes=("/tra-cuu-ho-so/",)),
    Entry("my-dossiers", _("My dossiers"), "procedures:mine", signed_in, prefixes=("/ho-so/",)),
)


@dataclass
class Item:
    key: str
    label: str
    url: str
    active: bool = False
    children: list["Item"] = field(default_factory=list)


def _items(entries, user, path: str) -> list[Item]:
    items = []
    for entry in entries:
        if not entry.allowed(user):
            continue
        children = _items(entry.children, user, path)
        if entry.children and not children:
            continue
        url = entry.url
        active = any(path.startswith(p) for p in entry.prefixes) if entry.prefixes else path == url
        if children:
            active = active or any(c.active for c in children)
        items.append(Item(entry.key, str(entry.label), url, active, children))
    # the longest matching prefix wins (the ranking is under the published reports' path)
    current = [i for i in items if i.active]
    if len(current) > 1:
        keep = max(
            current, key=lambda i: max((len(p) for e in entries if e.key == i.key for p in e.prefixes), default=0)
        )
        for i in current:
            i.active = i is keep
    return items


def menu_for(user, path: str = "") -> list[Item]:
    """The main menu `user` sees: the staff menu when signed in as staff, the public one otherwise."""
    return _items(STAFF_MENU if staff(user) else PUBLIC_MENU, user, path)


def menu_links(user) -> list[str]:
    """Every page the menus offer `user` (the tests open each one)."""
    links = []
    for item in menu_for(user):
        for node in [item, *item.children]:
            if node.url not in links:
                links.append(node.url)
    return links


def menus(request):
    """Context processor: the menu of the page."""
    user = getattr(request, "user", None)
    return {"menu": menu_for(user, request.path)}
