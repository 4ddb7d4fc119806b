from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from thongsuot.core import audit_display, selectors, services
from thongsuot.core.forms import CalendarDayForm, apply_errors
from thongsuot.core.models import CalendarDay
from thongsuot.core.permissions import is_platform_admin

SYSTEMS = {"documents", "feedback", "procedures", "conferences"}


@login_required
def system(request, name: str):
    """Landing page of a shared system that is not built yet: says so plainly."""
    if name not in SYSTEMS:
        raise Http404
    return render(request, "core/system_pending.html", {"system": name})


@login_required
def audit_log(request):
    if not is_platform_admin(request.user):
        raise PermissionDenied
    g = request.GET
    errors = []
    dates = {name: _date_argument(g, name, errors) for name in ("from", "to")}
    entries = selectors.audit_search(
        q=g.get("q", "").strip(),
        action=g.get("action", "").strip(),
        actor=g.get("actor", "").strip(),
        date_from=dates["from"],
        date_to=dates["to"],
    ).select_related(None)
    for error in errors:
        messages.error(request, error)
    page = Paginator(entries, 50).get_page(g.get("page"))
    rows = [
        {"entry": e, "action": audit_display.action_label(e.action), "changes": audit_display.entry_changes(e)}
        for e in page
    ]
    context = {"page": page, "rows": rows, "query": g}
    return render(request, "core/audit_log.html", context, status=400 if errors else 200)


def _date_argument(params, name: str, errors: list):
    """A yyyy-mm-dd query argument as a date; None if absent; an error naming it if it is no real date
    (2026-99-99 is well formed but no day)."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        errors.append(_("“%(field)s”: enter a real date as yyyy-mm-dd.") % {"field": name})
    return day


def health(request):
    """Liveness and database check for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def working_calendar(request):
    """The year's holidays and the administrators' exceptions; platform administrators add and remove them."""
    if not is_platform_admin(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        remove = request.POST["remove"].strip()
        entry = get_object_or_404(CalendarDay, pk=int(remove) if remove.isdecimal() and len(remove) < 18 else 0)
        services.calendar_day_remove(actor=request.user, entry=entry)
        messages.success(
            request, _("%(date)s follows the national calendar again.") % {"date": f"{entry.date:%d/%m/%Y}"}
        )
        return redirect(f"{request.path}?year={entry.date.year}")
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.calendar_day_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved: %(entry)s.") % {"entry": entry})
            return redirect(f"{request.path}?year={entry.date.year}")
    context = {"year": year, "rows": selectors.calendar_year(year=year), "form": form}
    return render(request, "core/calendar.html", context)


def favicon(request):
    """/favicon.ico, asked for by browsers where a page names no icon: the platform's SVG mark."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)
