from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from thongsuot.accounts import access
from thongsuot.core import selectors

SYSTEMS = {"documents", "feedback", "procedures", "conferences"}


@login_required
def home(request):
    return render(request, "core/home.html")


@login_required
def system(request, name: str):
    """Landing page of a shared system that is not built yet: says so plainly."""
    if name not in SYSTEMS:
        raise Http404
    return render(request, "core/system_pending.html", {"system": name})


@login_required
def audit_log(request):
    if not access.has_city_wide_change(request.user):
        raise PermissionDenied
    g = request.GET
    entries = selectors.audit_search(
        q=g.get("q", "").strip(),
        action=g.get("action", "").strip(),
        actor=g.get("actor", "").strip(),
        date_from=parse_date(g.get("from", "") or "") if g.get("from") else None,
        date_to=parse_date(g.get("to", "") or "") if g.get("to") else None,
    ).select_related(None)
    page = Paginator(entries, 50).get_page(g.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "query": g})


def health(request):
    """Liveness and database check for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
