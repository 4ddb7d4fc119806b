"""The host's live board of connection quality (htmx polling, no reload) and the summary of a meeting."""

from django.shortcuts import render

from thongsuot.conferences import selectors_quality
from thongsuot.conferences.views import staff_required
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
