"""The forms of Thông tư 03/2025/TT-VPCP (Phụ lục I) generated from a dossier's data, as PDFs (fpdf2 with
the DejaVu fonts of core.reporting.pdf: every Vietnamese glyph):

- Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with the QR code of TT 01/2023/TT-VPCP (top left: the
  dossier code, the procedure's code, the applicant's ID, the title, the issuing system, the time issued,
  the appointment; and the public lookup address);
- Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ;
- Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ;
- Mẫu 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (a late dossier);
- Mẫu 06 Phiếu kiểm soát quá trình giải quyết hồ sơ (once received).
Mẫu 07, the tracking log, is a table of many dossiers: tracking.py.

The forms are legal documents in Vietnamese whatever the interface's language."""

import qrcode
from django.utils import timezone
from fpdf import FPDF

from thongsuot.core.calendar import city_time
from thongsuot.core.reporting.pdf import font_dir
from thongsuot.procedures.models import Dossier

SYSTEM_NAME = "Hệ thống thông tin giải quyết TTHC Thông Suốt"
TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def _when(moment) -> str:
    return (
        f"{city_time(moment):%H} giờ {city_time(moment):%M} phút, ngày {city_time(moment):%d/%m/%Y}" if moment else ""
    )


def qr_text(dossier: Dossier, *, lookup_url: str, issued_at) -> str:
    """What the receipt's QR code carries (TT 01/2023/TT-VPCP), one item a line."""
    lines = [
        lookup_url,
        f"Mã hồ sơ: {dossier.code}",
        f"Mã TTHC: {dossier.procedure.code}",
        f"Số định danh: {dossier.applicant_id_number}",
        f"Tiêu đề: {TITLES['01'].capitalize()}",
        f"Hệ thống: {SYSTEM_NAME}",
        f"Thời điểm cấp: {city_time(issued_at):%d/%m/%Y %H:%M}",
    ]
    if dossier.due_at:
        lines.append(f"Hẹn trả: {city_time(dossier.due_at):%d/%m/%Y %H:%M}")
    return "\n".join(lines)


class _Form(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
        self.set_creator(SYSTEM_NAME)
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def text_line(self, text: str, *, bold: bool = False, size: float = 11, align: str = "L", height: float = 6):
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _header(pdf: _Form, dossier: Dossier, number: str, *, qr: str = "") -> None:
    """The agency and the national motto side by side, the form's number and title."""
    top = pdf.get_y()
    if qr:
        image = qrcode.make(qr, border=1).get_image()
        pdf.image(image, x=pdf.l_margin, y=top, w=28, h=28)
        pdf.set_xy(pdf.l_margin + 30, top)
    left = pdf.get_x()
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(70, 5, "ỦY BAN NHÂN DÂN\n" + dossier.receiving_unit.name.upper(), align="C")
    pdf.set_font("DejaVu", "B", 9)
    pdf.set_x(left)
    pdf.multi_cell(70, 5, "BỘ PHẬN MỘT CỬA", align="C")
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    pdf.set_x(110)
    pdf.multi_cell(90, 5, "Độc lập - Tự do - Hạnh phúc", align="C")
    pdf.set_x(110)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(90, 5, f"Mẫu số {number} - Thông tư 03/2025/TT-VPCP", align="C")
    pdf.set_y(max(pdf.get_y(), top + (30 if qr else 0)) + 4)
    pdf.text_line(TITLES[number], bold=True, size=13, align="C", height=7)
    pdf.text_line(f"Mã hồ sơ: {dossier.code}", align="C")
    pdf.ln(2)


def _applicant(pdf: _Form, dossier: Dossier, opening: str) -> None:
    pdf.text_line(f"{opening} {dossier.receiving_unit.name}")
    pdf.text_line(f"Tiếp nhận hồ sơ của: {dossier.applicant_name}")
    pdf.text_line(f"Số định danh cá nhân: {dossier.applicant_id_number}")
    pdf.text_line(f"Địa chỉ: {dossier.applicant_address or '—'}")
    contact = dossier.applicant_phone + (f"; thư điện tử: {dossier.applicant_email}" if dossier.applicant_email else "")
    pdf.text_line(f"Số điện thoại: {contact}")
    pdf.text_line(f"Nội dung yêu cầu giải quyết: {dossier.procedure.name} (mã {dossier.procedure.code})")


def _signature(pdf: _Form, *, left: str, right: str) -> None:
    pdf.ln(6)
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(85, 5, left, align="C")
    pdf.set_xy(110, top)
    pdf.multi_cell(90, 5, right, align="C")
    pdf.set_font("DejaVu", "", 9)
    pdf.set_xy(110, pdf.get_y())
    pdf.multi_cell(90, 5, "(Ký và ghi rõ họ tên)", align="C")


def _documents(pdf: _Form, dossier: Dossier, *, received_only: bool) -> None:
    documents = [d for d in dossier.documents.all() if d.received or not received_only]
    pdf.set_font("DejaVu", "", 9.5)
    with pdf.table(col_widths=(10, 120, 30, 20), line_height=5) as table:
        heading = table.row()
        for title in ("TT", "Tên giấy tờ", "Bản chính / bản sao", "Số lượng"):
            heading.cell(title)
        for number, document in enumerate(documents, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(document.name)
            row.cell("Bản chính" if document.original else "Bản sao")
            row.cell(str(document.count))


def receipt_pdf(dossier: Dossier, *, lookup_url: str) -> bytes:
    """Mẫu 01: the receipt and appointment, with the QR code of the lookup."""
    issued = timezone.now()
    pdf = _Form()
    pdf.set_title(f"{TITLES['01']} {dossier.code}")
    _header(pdf, dossier, "01", qr=qr_text(dossier, lookup_url=lookup_url, issued_at=issued))
    _applicant(pdf, dossier, "Bộ phận Một cửa:")
    pdf.text_line("Thành phần hồ sơ đã nhận:", bold=True)
    _documents(pdf, dossier, received_only=True)
    pdf.ln(2)
    procedure = dossier.procedure
    pdf.text_line(f"Thời hạn giải quyết theo quy định: {procedure.time_amount:g} {procedure.get_time_unit_display()}")
    pdf.text_line(f"Thời gian nhận hồ sơ: {_when(dossier.received_at)}")
    pdf.text_line(f"Thời gian trả kết quả giải quyết hồ sơ: {_when(dossier.due_at)}", bold=True)
    pdf.text_line(f"Đơn vị giải quyết: {dossier.deciding_unit.name}")
    pdf.text_line(f"Lệ phí: {dossier.fee:,} đồng".replace(",", ".") if dossier.fee else "Lệ phí: không thu")
    pdf.text_line(
        "Nơi trả kết quả: Bộ phận Một cửa "
        f"{dossier.receiving_unit.name}{' hoặc trực tuyến' if dossier.channel == 'online' else ''}"
    )
    pdf.text_line(f"Tra cứu tình trạng hồ sơ: {lookup_url} (mã hồ sơ và 4 số cuối điện thoại)")
    pdf.text_line(f"Vào sổ theo dõi hồ sơ, số: {dossier.number}")
    _signature(pdf, left="NGƯỜI NỘP HỒ SƠ", right="NGƯỜI TIẾP NHẬN HỒ SƠ")
    return bytes(pdf.output())


def additional_request_pdf(dossier: Dossier) -> bytes:
    """Mẫu 02: what is missing or must be completed, and why."""
    pdf = _Form()
    pdf.set_title(f"{TITLES['02']} {dossier.code}")
    _header(pdf, dossier, "02")
    _applicant(pdf, dossier, "Bộ phận Một cửa:")
    moment = dossier.paused_at or timezone.now()
    pdf.text_line(f"Ngày yêu cầu: {_when(moment)}")
    pdf.text_line(
        "Sau khi xem xét, hồ sơ chưa đầy đủ, chưa hợp lệ. Đề nghị bổ sung, hoàn thiện các nội dung sau:", bold=True
    )
    for line in (dossier.missing or "").splitlines():
        if line.strip():
            pdf.text_line(f"- {line.strip()}")
    pdf.text_line(
        "Thời gian chờ bổ sung không tính vào thời hạn giải quyết. Khi bổ sung, xin nộp tại Bộ phận Một cửa "
        f"{dossier.receiving_unit.name} hoặc trực tuyến, ghi rõ mã hồ sơ {dossier.code}."
    )
    pdf.text_line("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, xin liên hệ Bộ phận Một cửa để được hướng dẫn.")
    _signature(pdf, left="NGƯỜI NỘP HỒ SƠ", right="NGƯỜI HƯỚNG DẪN")
    return bytes(pdf.output())


def refusal_pdf(dossier: Dossier) -> bytes:
    """Mẫu 03: the refusal and its reasons."""
    pdf = _Form()
    pdf.set_title(f"{TITLES['03']} {dossier.code}")
    _header(pdf, dossier, "03")
    _applicant(pdf, dossier, "Bộ phận Một cửa:")
    pdf.text_line(f"Ngày từ chối: {_when(dossier.closed_at or timezone.now())}")
    pdf.text_line("Hồ sơ không đủ điều kiện tiếp nhận, giải quyết vì lý do sau:", bold=True)
    pdf.text_line(dossier.refusal_reason or "—")
    pdf.text_line("Xin thông báo để ông/bà được biết và thực hiện.")
    _signature(pdf, left="NGƯỜI NỘP HỒ SƠ", right="NGƯỜI TIẾP NHẬN HỒ SƠ")
    return bytes(pdf.output())


def apology_pdf(dossier: Dossier) -> bytes:
    """Mẫu 04: the apology for a late dossier, the reason for the delay and the new date."""
    pdf = _Form()
    pdf.set_title(f"{TITLES['04']} {dossier.code}")
    _header(pdf, dossier, "04")
    pdf.text_line(f"Kính gửi: Ông/Bà {dossier.applicant_name}")
    pdf.text_line(f"Địa chỉ: {dossier.applicant_address or '—'}; số điện thoại: {dossier.applicant_phone}")
    pdf.text_line(
        f"Ngày {city_time(dossier.received_at):%d/%m/%Y}, Bộ phận Một cửa {dossier.receiving_unit.name} "
        f"tiếp nhận hồ sơ mã số {dossier.code} về {dossier.procedure.name}, "
        f"hẹn trả kết quả lúc {_when(dossier.original_due_at)}."
    )
    pdf.text_line("Tuy nhiên, đến nay hồ sơ chưa giải quyết xong, lý do:", bold=True)
    pdf.text_line(dossier.apology_reason or "—")
    pdf.text_line(
        f"{dossier.deciding_unit.name} xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết; "
        "thời gian trả kết quả mới:"
    )
    pdf.text_line(_when(dossier.due_at), bold=True)
    pdf.text_line("Rất mong nhận được sự thông cảm của Ông/Bà.")
    pdf.text_line(f"Ngày gửi: {_when(dossier.apologised_at or timezone.now())}")
    _signature(pdf, left="", right="ĐẠI DIỆN CƠ QUAN GIẢI QUYẾT HỒ SƠ")
    return bytes(pdf.output())


def _outcome(done, due) -> str:
    if done is None:
        return "Đang giải quyết"
    if done < due and city_time(done).date() < city_time(due).date():
        return "Trước hạn"
    return "Đúng hạn" if done <= due else "Quá hạn"


def control_slip_pdf(dossier: Dossier) -> bytes:
    """Mẫu 06: the process-control slip — each step's body, its due time, when it was handed on and by whom,
    and whether it was early, on time or late."""
    pdf = _Form()
    pdf.set_title(f"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ {dossier.code}")
    _header(pdf, dossier, "06")
    pdf.text_line(f"Kèm theo hồ sơ của: {dossier.applicant_name}")
    pdf.text_line(f"Thủ tục: {dossier.procedure.name}")
    pdf.text_line(f"Ngày, giờ hẹn trả kết quả: {_when(dossier.due_at)}")
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=(45, 35, 30, 30, 30, 20), line_height=5) as table:
        heading = table.row()
        for title in ("Bước, cơ quan", "Người thực hiện", "Hạn", "Hoàn thành", "Kết quả", "Ghi chú"):
            heading.cell(title)
        for step in dossier.steps.select_related("completed_by").all():
            unit = dossier.deciding_unit if step.role not in ("one_stop_officer", "") else dossier.receiving_unit
            row = table.row()
            row.cell(f"{step.index + 1}. {step.name} ({unit.name})")
            row.cell(step.completed_by.full_name if step.completed_by else "")
            row.cell(f"{city_time(step.due_at):%H:%M %d/%m/%Y}")
            row.cell(f"{city_time(step.completed_at):%H:%M %d/%m/%Y}" if step.completed_at else "")
            row.cell(_outcome(step.completed_at, step.due_at))
            row.cell("")
    return bytes(pdf.output())


def fee_receipt_pdf(dossier: Dossier) -> bytes:
    """The electronic receipt of the fee (biên lai thu phí, lệ phí điện tử)."""
    pdf = _Form()
    pdf.set_title(f"BIÊN LAI THU PHÍ, LỆ PHÍ {dossier.fee_receipt}")
    pdf.text_line("ỦY BAN NHÂN DÂN " + dossier.receiving_unit.name.upper(), bold=True, size=10)
    pdf.ln(4)
    pdf.text_line("BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)", bold=True, size=13, align="C")
    pdf.text_line(f"Số: {dossier.fee_receipt}", align="C")
    pdf.ln(2)
    pdf.text_line(f"Người nộp: {dossier.applicant_name}; số định danh: {dossier.applicant_id_number}")
    pdf.text_line(f"Hồ sơ: {dossier.code} — {dossier.procedure.name}")
    pdf.text_line(f"Số tiền: {dossier.fee:,} đồng".replace(",", "."), bold=True)
    channel = "trực tuyến" if dossier.fee_channel == "online" else "tại Bộ phận Một cửa"
    pdf.text_line(
        f"Hình thức nộp: {channel}" + (f" (mã giao dịch {dossier.fee_transaction})" if dossier.fee_transaction else "")
    )
    pdf.text_line(f"Thời điểm nộp: {_when(dossier.fee_paid_at)}")
    return bytes(pdf.output())
