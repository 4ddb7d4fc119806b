from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The main menu: the four shared systems and the readiness pages."""
    items = [
        ("documents", _("Official documents"), reverse("system", args=["documents"])),
        ("feedback", _("1022 feedback"), reverse("feedback:staff_home")),
        ("procedures", _("Administrative procedures"), reverse("system", args=["procedures"])),
        ("conferences", _("Video conferences"), reverse("conferences:home")),
        ("readiness", _("Readiness"), reverse("readiness:board")),
    ]
    path = request.path
    prefixes = {
        "feedback": ("/xu-ly-phan-anh/", "/phan-anh/"),
        "readiness": ("/san-sang/",),
        "conferences": ("/hoi-nghi/",),
    }
    active = next(
        (key for key, _label, url in items if path.startswith(prefixes.get(key, (url,)))),
        "",
    )
    return {"nav_items": items, "nav_active": active}
