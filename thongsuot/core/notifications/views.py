"""The user's notifications (the bell's page), marking them read, and the developers' outbox."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from thongsuot.core.notifications import outbox, selectors, services


@login_required
def notification_list(request):
    notifications = selectors.notifications_of(user=request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    unread = selectors.unread_count(user=request.user)
    return render(request, "core/notifications.html", {"page": page, "unread": unread, "only_unread": only_unread})


@require_POST
@login_required
def notification_read(request, pk: int):
    """Mark one read; with open=1, go on to what it is about."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    link = notification.link
    if request.POST.get("open") and link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:list")


@require_POST
@login_required
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def developer_outbox(request):
    """What development sent by e-mail and SMS (files under .run/): for developers, only with DEBUG on and
    only for platform administrators."""
    if not settings.DEBUG:
        raise Http404
    user = request.user
    if not (user.is_superuser or (hasattr(user, "has_role") and user.has_role("platform_admin"))):
        raise PermissionDenied
    return render(request, "core/developer_outbox.html", {"mails": outbox.mails(), "texts": outbox.texts()})
