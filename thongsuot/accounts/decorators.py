"""Decorators of the pages: the one place that says a page is for staff."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def staff_required(view):
    """Signed-in staff only: anonymous visitors go to the sign-in page, citizens get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.kind != "staff":
            raise PermissionDenied(_("This page is for staff."))
        return view(request, *args, **kwargs)

    return wrapper
