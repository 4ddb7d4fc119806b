"""The roll-call page of a meeting (with the host's marks) and its report as XLSX and PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thongsuot.accounts.decorators import staff_required
from thongsuot.conferences import reports, selectors_attendance, services_attendance
from thongsuot.conferences.forms import AttendanceMarkForm
from thongsuot.conferences.states import WORKFLOW
from thongsuot.conferences.views import _meeting
from thongsuot.core.forms import apply_errors


def _visible(request, pk):
    meeting = _meeting(request, pk)
    if not selectors_attendance.can_view_attendance(request.user, meeting):
        raise PermissionDenied(_("Only the meeting's host sees its attendance."))
    return meeting


@staff_required
def attendance(request, pk):
    meeting = _visible(request, pk)
    may_mark = "mark" in WORKFLOW.available_actions(request.user, meeting)
    form = AttendanceMarkForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied(_("Your role does not allow this action."))
        if form.is_valid():
            try:
                services_attendance.attendance_mark(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The mark is recorded."))
                return redirect("conferences:attendance", meeting.pk)
    rows = selectors_attendance.attendance(meeting=meeting)
    return render(
        request,
        "conferences/attendance.html",
        {
            "meeting": meeting,
            "rows": rows,
            "counts": selectors_attendance.attendance_counts(rows),
            "labels": selectors_attendance.STATUS_LABELS,
            "form": form if may_mark else None,
        },
    )


@staff_required
def attendance_export(request, pk, fmt):
    meeting = _visible(request, pk)
    if fmt == "xlsx":
        return reports.attendance_xlsx(meeting)
    if fmt == "pdf":
        return reports.attendance_pdf(meeting)
    raise Http404
