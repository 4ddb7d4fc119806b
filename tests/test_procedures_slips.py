"""The forms of TT 03/2025 as PDFs, read back as text: Mẫu 01 (receipt and appointment, with the QR code of
TT 01/2023 carrying the lookup address), Mẫu 02 (additional documents), Mẫu 03 (refusal); each offered only
once the workflow reached it, to those who may see the dossier."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import make_staff
from tests.test_procedures_dossiers import MONDAY_9, at
from thongsuot.procedures import services, slips, testing


@pytest.fixture
def desk(ben_thanh):
    return make_staff("motcua@benthanh.test", ben_thanh, ["one_stop_officer"], full_name="Lý Một Cửa")


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _intake(desk, **kwargs):
    kwargs.setdefault("received", [0, 1, 2])
    return services.dossier_intake(
        actor=desk, procedure=testing.procedure(testing.BIRTH), applicant=testing.APPLICANT, at=MONDAY_9, **kwargs
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_form_01_receipt_and_appointment(client, login, desk, ben_thanh):
    dossier = _intake(desk)
    login(desk)
    response = client.get(f"/ho-so/{dossier.code}/mau-01.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _flat(_text(response.content))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Nguyễn Văn An" in text and "079200001234" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh" in text
    assert "09 giờ 00 phút, ngày 02/03/2026" in text  # received
    assert "09 giờ 00 phút, ngày 03/03/2026" in text  # appointment: 8 working hours later
    assert ben_thanh.name.upper() in text
    reader = PdfReader(io.BytesIO(response.content))
    assert list(reader.pages[0].images), "the QR code"


def test_the_qr_code_carries_the_lookup_and_the_appointment(desk):
    dossier = _intake(desk)
    text = slips.qr_text(dossier, lookup_url="https://thongsuot.test/tra-cuu-ho-so/?code=x", issued_at=MONDAY_9)
    assert text.splitlines()[0] == "https://thongsuot.test/tra-cuu-ho-so/?code=x"
    assert f"Mã hồ sơ: {dossier.code}" in text and "Mã TTHC: 1.001193.000.00.00.H29" in text
    assert "Hẹn trả: 03/03/2026 09:00" in text and "Số định danh: 079200001234" in text


def test_form_02_lists_what_is_missing(client, login, desk):
    dossier = _intake(desk, received=[0], decision="request_additional", missing="Giấy chứng sinh bản chính\nCăn cước")
    login(desk)
    assert client.get(f"/ho-so/{dossier.code}/mau-01.pdf").status_code == 404  # not received yet
    text = _flat(_text(client.get(f"/ho-so/{dossier.code}/mau-02.pdf").content))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "- Giấy chứng sinh bản chính" in text and "- Căn cước" in text
    assert dossier.code in text


def test_form_03_gives_the_reason(client, login, desk, other_ward_admin):
    dossier = _intake(desk, decision="refuse", reason="Yêu cầu không thuộc thẩm quyền của Ủy ban nhân dân phường")
    login(desk)
    text = _flat(_text(client.get(f"/ho-so/{dossier.code}/mau-03.pdf").content))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Yêu cầu không thuộc thẩm quyền của Ủy ban nhân dân phường" in text
    assert client.get(f"/ho-so/{dossier.code}/mau-02.pdf").status_code == 404
    client.logout()
    login(other_ward_admin)
    assert client.get(f"/ho-so/{dossier.code}/mau-03.pdf").status_code == 404  # another unit's dossier


def test_form_06_follows_each_step(client, login, desk, ben_thanh):
    dossier = _intake(desk)
    dossier = services.dossier_forward(actor=desk, dossier=dossier, at=at((2026, 3, 2), 9, 30))
    login(desk)
    text = _flat(_text(client.get(f"/ho-so/{dossier.code}/mau-06.pdf").content))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "1. Tiếp nhận, kiểm tra hồ sơ" in text and "Lý Một Cửa" in text
    assert "Trước hạn" not in text and "Đúng hạn" in text  # done the same day, before its due time
    assert "Đang giải quyết" in text  # the next steps


def test_form_07_the_tracking_log_as_xlsx_and_pdf(client, login, desk, other_ward_admin):
    from openpyxl import load_workbook

    first = _intake(desk)
    refused = _intake(desk, decision="refuse", reason="Sai thẩm quyền")
    login(desk)
    response = client.get("/ho-so/so-theo-doi.xlsx?tu=2026-03-01&den=2026-03-31")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert [row[1] for row in values[1:]] == [first.code, refused.code]
    assert values[1][8] == "09:00 03/03/2026" and values[2][11] == "Từ chối: Sai thẩm quyền"
    text = _flat(_text(client.get("/ho-so/so-theo-doi.pdf?tu=2026-03-01&den=2026-03-31").content))
    assert "SỔ THEO DÕI HỒ SƠ" in text and first.code in text.replace(" ", "")
    assert client.get("/ho-so/so-theo-doi.csv").status_code == 404
    client.logout()
    login(other_ward_admin)  # another unit's log has none of them
    response = client.get("/ho-so/so-theo-doi.xlsx?tu=2026-03-01&den=2026-03-31")
    assert [row for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()][1:] == []
