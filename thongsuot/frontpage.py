"""The front page at /: the platform and its public services for everyone; each staff member's work.

Project-level (like urls.py): it gathers what waits for a user across the systems, each through that
system's selectors.
"""

from django.shortcuts import render

from thongsuot.feedback import waiting as feedback_waiting
from thongsuot.navigation import staff


def front_page(request):
    user = request.user
    if staff(user):
        context = {
            "feedback_work": feedback_waiting.work_waiting(user=user),
            "extensions": feedback_waiting.extensions_waiting(user=user),
        }
        return render(request, "front/work.html", context)
    return render(request, "front/public.html")
