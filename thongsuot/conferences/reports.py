"""The attendance report of a meeting as XLSX (core.exports) and PDF (core.reporting)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from thongsuot.conferences import selectors_attendance
from thongsuot.core.exports import xlsx_response
from thongsuot.core.reporting.pdf import pdf_response, table_pdf


def _time(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


def _header() -> list[str]:
    return [
        _("Unit"),
        _("Endpoint"),
        _("Status"),
        _("First joined"),
        _("Last left"),
        _("Minutes present"),
        _("Times joined"),
        _("Marked by hand"),
    ]


def _rows(rows) -> list[list]:
    return [
        [
            row.endpoint.organisation.name,
            row.endpoint.name,
            row.status_label,
            _time(row.first_joined),
            _("still in the room") if row.in_room else _time(row.last_left),
            row.minutes,
            row.joins,
            row.mark.reason if row.mark else "",
        ]
        for row in rows
    ]


def _filename(meeting, ext) -> str:
    return f"diem-danh-hoi-nghi-{meeting.pk}.{ext}"


def attendance_xlsx(meeting):
    rows = selectors_attendance.attendance(meeting=meeting)
    return xlsx_response(filename=_filename(meeting, "xlsx"), sheet=_("Attendance"), header=_header(), rows=_rows(rows))


def attendance_pdf(meeting):
    rows = selectors_attendance.attendance(meeting=meeting)
    counts = selectors_attendance.attendance_counts(rows)
    summary = ", ".join(f"{selectors_attendance.STATUS_LABELS[k]}: {n}" for k, n in counts.items())
    content = table_pdf(
        title=_("Attendance: %(title)s") % {"title": meeting.title},
        lines=[
            _("Meeting time: %(start)s – %(end)s") % {"start": _time(meeting.starts_at), "end": _time(meeting.ends_at)},
            summary,
        ],
        header=_header(),
        rows=_rows(rows),
        widths=(50, 55, 22, 28, 28, 18, 16, 50),
        system=_("Video conferences"),
        digits=0,
    )
    return pdf_response(content, filename=_filename(meeting, "pdf"))
