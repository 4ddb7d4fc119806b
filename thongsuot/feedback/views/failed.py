"""The platform administrators' list of citizens' submissions that could not be registered: each with its
error, queued again once the cause is fixed (services.submissions_retry)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thongsuot.accounts import access
from thongsuot.feedback import selectors, services
from thongsuot.feedback.models import PendingSubmission
from thongsuot.feedback.views.staff import staff_required


@staff_required
def failed_submissions(request):
    if not access.has_city_wide_change(request.user):
        raise PermissionDenied(_("This list is for the platform administrators."))
    if request.method == "POST":
        codes = [code[:20] for code in request.POST.getlist("code")][:500]
        count = services.submissions_retry(actor=request.user, codes=codes)
        message = ngettext("%(n)d submission was queued again.", "%(n)d submissions were queued again.", count) % {
            "n": count
        }
        messages.success(request, message)
        return redirect("feedback:failed_submissions")
    page = Paginator(selectors.pending_submissions_with_errors(), 50).get_page(request.GET.get("page"))
    context = {"page": page, "max_attempts": PendingSubmission.MAX_ATTEMPTS}
    return render(request, "feedback/staff/failed_submissions.html", context)
