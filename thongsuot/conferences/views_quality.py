"""The host's live board of connection quality (htmx polling, no reload) and the summary of a meeting."""

from django.shortcuts import render

from thongsuot.accounts.decorators import staff_required
from thongsuot.conferences import selectors_quality
from thongsuot.conferences.views_attendance import _visible

POLL_SECONDS = 5


@staff_required
def board(request, pk):
    meeting = _visible(request, pk)
    context = {
        "meeting": meeting,
        "rows": selectors_quality.live_board(meeting=meeting),
        "summary": selectors_quality.summary(meeting=meeting),
        "poll": POLL_SECONDS,
        "limits": selectors_quality.LIMITS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "conferences/_quality_board.html", context)
    return render(request, "conferences/quality.html", context)


def _period(request):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    today = timezone.localdate()
    try:
        since = datetime.strptime(request.GET.get("tu", ""), "%Y-%m-%d").date()
    except ValueError:
        since = today - timedelta(days=90)
    try:
        until = datetime.strptime(request.GET.get("den", ""), "%Y-%m-%d").date()
    except ValueError:
        until = today
    zone = timezone.get_current_timezone()
    return (
        since,
        until,
        datetime.combine(since, time.min, zone),
        datetime.combine(until + timedelta(days=1), time.min, zone),
    )


@staff_required
def report(request):
    """Endpoints with poor sound or picture across the meetings of a period (XLSX with ?format=xlsx)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from thongsuot.conferences import selectors
    from thongsuot.core.exports import xlsx_response

    if not selectors.can_see_quality_report(request.user):
        raise PermissionDenied(_("Your role does not allow this action."))
    since, until, start, end = _period(request)
    rows = selectors_quality.across_meetings(since=start, until=end)
    if request.GET.get("format") == "xlsx":
        header = [
            _("Unit"),
            _("Endpoint"),
            _("Meetings"),
            _("Poor meetings"),
            _("Time sound poor (%)"),
            _("Time picture poor (%)"),
        ]
        data = [
            [
                r.endpoint.organisation.name,
                r.endpoint.name,
                r.meetings,
                r.poor_meetings,
                round(100 * r.share_poor("audio")),
                round(100 * r.share_poor("video")),
            ]
            for r in rows
        ]
        return xlsx_response(
            filename=f"chat-luong-diem-cau-{since}-{until}.xlsx", sheet=_("Quality"), header=header, rows=data
        )
    return render(request, "conferences/quality_report.html", {"rows": rows, "since": since, "until": until})
