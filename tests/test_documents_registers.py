"""The registers of NĐ 30/2020 Phụ lục IV (incoming, outgoing, handling-tracking) for a unit and a period,
with the appendix's columns, as XLSX and PDF through the page and the API; secret documents in their own
register and only for the people named on them; never another unit's register."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.test_documents_handling import _direct, arrive, sg_lead, sg_leader  # noqa: F401
from thongsuot.documents import registers, services, text
from thongsuot.documents.numbering import today_in_city

INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


def _as(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def flow(arrive, other_ward_clerk, sg_leader, sg_lead, ward_leader, ward_clerk):  # noqa: F811
    first = arrive(summary="Về việc tổng kết công tác năm 2026", urgency="khan")
    second = arrive(summary="Về việc chuẩn bị Tết Nguyên đán")
    secret = arrive(summary="Về việc bảo vệ bí mật", confidentiality="mat", readers=[ward_leader.pk, ward_clerk.pk])
    for document in (second, first, secret):
        services.document_register(actor=other_ward_clerk, document=document)
    _direct(sg_leader, first, sg_lead, days=5, text="Giao chủ trì tổng hợp")
    services.document_progress(actor=sg_lead, document=first, note="Đã lập dự thảo báo cáo")
    return first, second, secret


def _rows(user, kind, organisation, secret=False):
    today = today_in_city()
    return registers.register_rows(
        user, kind=kind, organisation_id=organisation.pk, date_from=today, date_to=today, secret=secret
    )


def test_the_incoming_outgoing_and_tracking_registers_hold_the_appendix_columns(
    flow,
    other_ward_clerk,
    sg_leader,  # noqa: F811
    sg_lead,  # noqa: F811
    ward_clerk,
    sai_gon,
    ben_thanh,
):
    first, second, secret = flow
    incoming = _rows(other_ward_clerk, "incoming", sai_gon)
    assert [(row[1], row[5]) for row in incoming] == [
        (1, "Công văn: Về việc chuẩn bị Tết Nguyên đán"),
        (2, "Công văn: Về việc tổng kết công tác năm 2026"),
    ]
    assert incoming[1][2] == "Phường Bến Thành" and incoming[1][3] == first.notation
    assert incoming[1][6] == f"{sg_lead.full_name} (chủ trì)" and incoming[1][9] == "Khẩn"
    tracking = _rows(sg_leader, "tracking", sai_gon)
    assert len(tracking) == 1 and tracking[0][0] == 2 and "Đã lập dự thảo báo cáo" in tracking[0][4]
    assert tracking[0][3] == f"{first.instruction.deadline:%d/%m/%Y}"
    outgoing = _rows(ward_clerk, "outgoing", ben_thanh)
    assert [row[0] for row in outgoing] == [first.notation, second.notation]
    assert outgoing[0][3] == "Chủ tịch Hồ Văn Chủ Tịch" and outgoing[0][4] == "Phường Sài Gòn" and outgoing[0][6] == 1
    # Secret documents: their own register, for the people named only.
    assert [row[1] for row in _rows(other_ward_clerk, "incoming", sai_gon, secret=True)] == [1]
    assert _rows(sg_leader, "incoming", sai_gon, secret=True) == []
    assert [row[0] for row in _rows(ward_clerk, "outgoing", ben_thanh, secret=True)] == [secret.notation]
    # Another unit reads none of Sài Gòn's register.
    assert _rows(ward_clerk, "incoming", sai_gon) == []


def test_registers_download_as_xlsx_and_pdf_from_the_page_and_the_api(flow, other_ward_clerk, ward_clerk, sai_gon):
    first, second, _secret = flow
    today = f"{today_in_city():%Y-%m-%d}"
    client = _as(other_ward_clerk)
    query = {"kind": "incoming", "date_from": today, "date_to": today}
    page = client.get("/van-ban/so-van-ban/", query).content.decode()
    assert "Sổ đăng ký văn bản đến" in page and second.summary in page and _secret.summary not in page
    workbook = client.get("/van-ban/so-van-ban/", {**query, "format": "xlsx"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == INCOMING_COLUMNS and [row[1] for row in rows[1:]] == [1, 2]
    pdf = client.get("/van-ban/so-van-ban/", {**query, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    words = text.pdf_text(pdf.content)
    assert "Sổ đăng ký văn bản đến" in words and "Phường Sài Gòn" in words and "Tết Nguyên đán" in words
    api = client.get(f"/api/v1/documents/registers/outgoing?date_from={today}&date_to={today}")
    assert api.status_code == 200 and api.json()["columns"] == OUTGOING_COLUMNS and api.json()["rows"] == []
    bad = client.get(f"/api/v1/documents/registers/incoming?date_from={today}&date_to=2000-01-01")
    assert bad.status_code == 400 and "date_to" in bad.json()["errors"]
    assert client.get(f"/api/v1/documents/registers/nope?date_from={today}&date_to={today}").status_code == 400
    other = _as(ward_clerk)
    url = f"/api/v1/documents/registers/incoming?date_from={today}&date_to={today}&organisation_id={sai_gon.pk}"
    assert other.get(url).status_code == 404
    assert other.get("/van-ban/so-van-ban/", {**query, "organisation": sai_gon.pk}).status_code == 404
    xlsx = other.get(
        url.replace("incoming?", "outgoing?").replace(f"&organisation_id={sai_gon.pk}", "") + "&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == [
        first.notation,
        second.notation,
    ]
    form = client.get("/van-ban/so-van-ban/", {**query, "date_to": "2000-01-01"}).content.decode()
    assert "Ngày kết thúc trước ngày bắt đầu." in form
