"""Staff lists: bounded reading (size, rows, cells, XLSX unpacked size), a preview that refuses every row
the apply would fail, role names as the pages show them, a title above the header, and pages that offer
only what the user may do."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.test_provisioning import HEADER, staff_csv
from thongsuot.accounts import roles
from thongsuot.accounts.models import Role, User
from thongsuot.accounts.provisioning import planning
from thongsuot.accounts.provisioning.reading import StaffListError, read_staff_list, read_upload
from thongsuot.accounts.services import provisioning_apply, provisioning_preview

pytestmark = pytest.mark.django_db


def _bounded(call):
    """Run `call`, which must raise StaffListError, within a second and a few MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(StaffListError) as caught:
            call()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - started < 1.0
    assert peak < 8 * 1024 * 1024, peak
    return str(caught.value)


def test_a_file_over_the_upload_limit_is_refused_unread(settings):
    big = SimpleUploadedFile("list.csv", b"", content_type="text/csv")
    big.size = 60 * 1024 * 1024  # declared size: read_upload must not read it
    message = _bounded(lambda: read_upload(big))
    assert "20 MB" in message
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    with pytest.raises(StaffListError):
        read_staff_list((HEADER + "\n").encode() + b"x" * 2000, "l.csv")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_xlsx_zip_bomb_is_refused_from_its_directory():
    bomb = _zip({"[Content_Types].xml": b"<x/>", "xl/sharedStrings.xml": b"A" * (200 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "MB" in _bounded(lambda: read_staff_list(bomb, "list.xlsx"))


def test_an_xlsx_with_a_million_rows_stops_at_the_row_limit(monkeypatch):
    from thongsuot.accounts.provisioning import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 50)  # the same path as 50,000, in test time
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(2, 100_000))
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Email'
        '</t></is></c><c r="C1" t="inlineStr"><is><t>Vai trò</t></is></c><c r="D1" t="inlineStr"><is><t>Đơn vị</t></is>'
        f"</c></row>{rows}</sheetData></worksheet>"
    )
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    started = time.perf_counter()
    with pytest.raises(StaffListError, match="50"):
        read_staff_list(_zip(members), "list.xlsx")
    assert time.perf_counter() - started < 1.0


def _sheet_of(rows: int) -> bytes:
    body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x{i}</t></is></c></row>' for i in range(2, rows + 2))
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Email'
        '</t></is></c><c r="C1" t="inlineStr"><is><t>Vai trò</t></is></c><c r="D1" t="inlineStr"><is><t>Đơn vị</t></is>'
        f"</c></row>{body}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    return _zip(members)


def test_far_too_many_rows_are_refused_before_any_row_is_parsed(monkeypatch):
    from thongsuot.accounts.provisioning import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    parsed = []
    real = reading._sheet_rows
    monkeypatch.setattr(reading, "_sheet_rows", lambda *args: parsed.append(1) or real(*args))
    with pytest.raises(StaffListError, match="50"):
        read_staff_list(_sheet_of(101), "list.xlsx")  # 102 row elements: over twice the limit
    assert parsed == []
    assert len(read_staff_list(_sheet_of(50), "list.xlsx")) == 50 and parsed == [1]  # the limit itself is read


def test_rows_over_the_limit_but_under_the_margin_are_refused_while_reading(monkeypatch):
    from thongsuot.accounts.provisioning import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    with pytest.raises(StaffListError, match="50"):
        read_staff_list(_sheet_of(80), "list.xlsx")


def test_an_upload_is_read_in_chunks_up_to_the_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
    undeclared = SimpleUploadedFile("list.csv", b"x" * (3 * 1024 * 1024 + 1), content_type="text/csv")
    undeclared.size = None  # a stream that does not say its size
    assert "3 MB" in _bounded(lambda: read_upload(undeclared))
    exact = SimpleUploadedFile("list.csv", b"x" * (3 * 1024 * 1024), content_type="text/csv")
    assert len(read_upload(exact)) == 3 * 1024 * 1024


def test_a_row_numbered_far_away_costs_nothing(ben_thanh):
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ tên</t></is></c><c r="B1" t="inlineStr"><is><t>Email'
        '</t></is></c><c r="C1" t="inlineStr"><is><t>Vai trò</t></is></c><c r="D1" t="inlineStr"><is><t>Đơn vị</t></is>'
        '</c></row><row r="99999999"><c r="A99999999" t="inlineStr"><is><t>An</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as original:
        members = {name: original.read(name) for name in original.namelist()}
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    started = time.perf_counter()
    assert read_staff_list(_zip(members), "l.xlsx") == [{"line": 99999999, "full_name": "An"}]
    assert time.perf_counter() - started < 1.0


def test_long_cells_and_broken_csv_are_refused_naming_the_row():
    with pytest.raises(StaffListError, match="3"):
        read_staff_list(
            staff_csv("A,a@x.test,,,clerk,Phường Bến Thành", "B" * 5000 + ",b@x.test,,,clerk,x").encode(), "l.csv"
        )
    with pytest.raises(StaffListError):
        read_staff_list((HEADER + '\n"' + "x" * 200_000 + "\n").encode(), "l.csv")


def test_the_preview_refuses_what_the_apply_would_fail(ward_admin, ben_thanh):
    name = "Nguyễn " * 25  # over 150
    long_email = "a" * 160 + "@benthanh.test"  # valid address, longer than a username
    text = staff_csv(
        f"{name},n@benthanh.test,,,clerk,{ben_thanh.code}",
        f"Trần Văn Chức,c@benthanh.test,,{'Phó ' * 40},clerk,{ben_thanh.code}",
        f"Lê Dài,{long_email},,,clerk,{ben_thanh.code}",
        f"Đúng Người,dung@benthanh.test,,,clerk,{ben_thanh.code}",
    )
    batch, plan = provisioning_preview(uploader=ward_admin, data=text.encode(), filename="l.csv")
    assert [row.action for row in plan.rows] == ["error", "error", "error", "create"]
    assert "150" in plan.rows[0].errors[0] and "120" in plan.rows[1].errors[0] and "150" in plan.rows[2].errors[0]
    provisioning_apply(actor=ward_admin, batch=batch, skip_errors=True)  # no 500: the valid row only
    assert User.objects.filter(email="dung@benthanh.test").exists()


def test_every_role_name_the_pages_show_is_accepted(ward_admin, ben_thanh):
    names = dict(Role.objects.values_list("code", "name"))
    assert names["feedback_handler"] == "Cán bộ xử lý 1022"
    rows = [
        f"Người {i},n{i}@benthanh.test,,,{name},{ben_thanh.code}"
        for i, (code, name) in enumerate(names.items())
        if code not in ("platform_admin", *roles.system_wide_codes())
    ]
    _batch, plan = provisioning_preview(uploader=ward_admin, data=staff_csv(*rows).encode(), filename="l.csv")
    assert plan.summary["error"] == 0, [r.errors for r in plan.rows]
    assert planning.role_names()["can bo xu ly 1022"] == "feedback_handler"


def test_a_title_above_the_header_and_spreadsheet_row_numbers(ward_admin, ben_thanh):
    text = (
        "DANH SÁCH CÁN BỘ PHƯỜNG BẾN THÀNH,,,,,\n"
        ",,,,,\n"
        f"{HEADER}\n"
        f"Nguyễn An,an@benthanh.test,,,Văn thư,{ben_thanh.code}\n"
        ",,,,,\n"
        f"Trần Bình,binh@benthanh.test,,,Văn thư,{ben_thanh.code}\n"
    )
    rows = read_staff_list(text.encode("utf-8"), "l.csv")
    assert [row["line"] for row in rows] == [4, 6]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Danh sách cán bộ"])
    sheet.append([])
    sheet.append(HEADER.split(","))
    sheet.append(["Nguyễn An", "an@benthanh.test", "", "", "Văn thư", ben_thanh.code])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [row["line"] for row in read_staff_list(buffer.getvalue(), "l.xlsx")] == [4]
    with pytest.raises(StaffListError, match="10"):
        read_staff_list(("x\n" * 12 + HEADER + "\n").encode(), "l.csv")


def test_another_wards_list_offers_no_apply(client, login, ward_admin, other_ward_admin, ben_thanh):
    text = staff_csv(f"Nguyễn An,an@benthanh.test,,,Văn thư,{ben_thanh.code}")
    batch, plan = provisioning_preview(uploader=other_ward_admin, data=text.encode(), filename="l.csv")
    assert plan.summary["error"] == 1 and not plan.applicable
    page = login(other_ward_admin).get(reverse("accounts:provisioning_preview", args=[batch.pk]))
    assert page.status_code == 200 and 'id="apply"' not in page.content.decode()
    batch, _plan = provisioning_preview(uploader=ward_admin, data=text.encode(), filename="l.csv")
    page = login(ward_admin).get(reverse("accounts:provisioning_preview", args=[batch.pk]))
    assert 'id="apply"' in page.content.decode()


def test_roles_that_cannot_provision_get_no_upload_form(client, login, ward_clerk, dispatcher):
    url = reverse("accounts:provisioning_upload")
    for persona in (ward_clerk, dispatcher):
        response = login(persona).get(url)
        assert response.status_code == 403 and b'type="file"' not in response.content
        upload = SimpleUploadedFile("l.csv", (HEADER + "\n").encode(), content_type="text/csv")
        assert client.post(url, {"file": upload}).status_code == 403


def test_the_upload_page_refuses_a_large_file_in_one_message(client, login, ward_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    upload = SimpleUploadedFile("l.csv", (HEADER + "\n").encode() + b"x" * 5000, content_type="text/csv")
    page = login(ward_admin).post(reverse("accounts:provisioning_upload"), {"file": upload}).content.decode()
    assert page.count("Tệp lớn hơn") == 1
