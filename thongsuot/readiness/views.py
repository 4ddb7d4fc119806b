from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.core.exports import xlsx_response
from thongsuot.directory.models import Organisation
from thongsuot.readiness import selectors


def _filters(request) -> dict:
    division = request.GET.get("type", "")
    status = request.GET.get("status", "")
    return {
        "division_type": division if division in Organisation.DivisionType.values else "",
        "status": status
        if status in (selectors.STATUS_NO_LIST, selectors.STATUS_INCOMPLETE, selectors.STATUS_READY)
        else "",
    }


@login_required
def board(request):
    filters = _filters(request)
    rows = selectors.readiness_board(user=request.user, **filters)
    context = {
        "rows": rows,
        "totals": selectors.readiness_totals(rows),
        "filters": filters,
        "division_types": Organisation.DivisionType.choices,
        "statuses": [
            (selectors.STATUS_NO_LIST, _("No staff list")),
            (selectors.STATUS_INCOMPLETE, _("Incomplete")),
            (selectors.STATUS_READY, _("Ready")),
        ],
    }
    return render(request, "readiness/board.html", context)


@login_required
def board_export(request):
    rows = selectors.readiness_board(user=request.user, **_filters(request))
    labels = {
        selectors.STATUS_NO_LIST: _("No staff list"),
        selectors.STATUS_INCOMPLETE: _("Incomplete"),
        selectors.STATUS_READY: _("Ready"),
    }
    header = [
        _("Identifier"),
        _("Unit"),
        _("Type"),
        _("Accounts configured"),
        _("Activated"),
        _("Signed in"),
        _("Staff list received"),
        _("Missing roles"),
        _("Status"),
    ]
    data = (
        [
            r.organisation.code,
            r.organisation.name,
            r.organisation.get_division_type_display(),
            r.configured,
            r.activated,
            r.signed_in,
            _("Yes") if r.list_received else _("No"),
            ", ".join(r.missing_roles),
            f"{labels[r.status]}: {'; '.join(r.shortfalls)}"
            if r.status == selectors.STATUS_INCOMPLETE
            else labels[r.status],
        ]
        for r in rows
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(filename=f"san-sang-{stamp}.xlsx", sheet=_("Readiness"), header=header, rows=data)
