"""Mẫu 07 of TT 03/2025, the tracking log (sổ theo dõi hồ sơ): one row per dossier of a unit received in a
period, as XLSX (core.exports, cells made safe) and as PDF (core.reporting.pdf)."""

import datetime

from thongsuot.core.calendar import city_time
from thongsuot.procedures.models import Dossier
from thongsuot.procedures.states import Status

HEADER = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (giờ, ngày)",
    "Hẹn trả kết quả (giờ, ngày)",
    "Chuyển cơ quan giải quyết (giờ, ngày)",
    "Trả kết quả (giờ, ngày)",
    "Ghi chú",
]
WIDTHS = (7, 38, 36, 10, 24, 28, 24, 18, 18, 18, 18, 24)


def _moment(value) -> str:
    return f"{city_time(value):%H:%M %d/%m/%Y}" if value else ""


def _note(dossier: Dossier) -> str:
    if dossier.status == Status.REFUSED:
        return f"Từ chối: {dossier.refusal_reason}"
    if dossier.status == Status.WITHDRAWN:
        return "Rút hồ sơ"
    parts = []
    if dossier.late:
        parts.append("Trễ hạn")
    if dossier.apologised_at:
        parts.append("Đã xin lỗi, hẹn lại")
    if dossier.additional_requests:
        parts.append("Yêu cầu bổ sung")
    return "; ".join(parts)


def rows(dossiers) -> list[list]:
    found = []
    for number, dossier in enumerate(dossiers, start=1):
        forwarded = next((e.at for e in dossier.events.all() if e.action == "forward"), None)
        returned = next((e.at for e in dossier.events.all() if e.action == "return_result"), None)
        found.append(
            [
                str(number),
                dossier.code,
                dossier.procedure.name,
                "1",
                dossier.applicant_name,
                f"{dossier.applicant_address}; {dossier.applicant_phone}".strip("; "),
                dossier.deciding_unit.name,
                _moment(dossier.received_at or dossier.submitted_at),
                _moment(dossier.due_at),
                _moment(forwarded),
                _moment(returned),
                _note(dossier),
            ]
        )
    return found


def period_dossiers(queryset, *, first: datetime.date, last: datetime.date):
    """The dossiers of `queryset` submitted from `first` to `last` (the city's days), oldest first."""
    return (
        queryset.filter(submitted_at__date__gte=first, submitted_at__date__lte=last)
        .select_related("procedure", "deciding_unit")
        .prefetch_related("events")
        .order_by("submitted_at", "pk")
    )
