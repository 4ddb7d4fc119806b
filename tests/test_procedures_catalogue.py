"""The catalogue of administrative procedures: the data file, validation, search, pages, API, XLSX export
and import with its preview (issue 16, item 1)."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from thongsuot.core.models import AuditEntry
from thongsuot.procedures import catalogue, services
from thongsuot.procedures.management.commands.load_procedures import DATA
from thongsuot.procedures.models import CatalogueImport, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    call_command("load_procedures", stdout=io.StringIO())


def _exported(client) -> bytes:
    response = client.get("/thu-tuc/xuat.xlsx")
    assert response.status_code == 200
    return response.content


def _edit(content: bytes, change) -> SimpleUploadedFile:
    workbook = load_workbook(io.BytesIO(content))
    change(workbook.worksheets[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-muc.xlsx", buffer.getvalue())


def _row_of(sheet, code):
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == code)


def test_data_file_has_thirty_real_commune_procedures_and_loads_idempotently():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    records = data["procedures"]
    assert len(records) >= 30
    assert "NOT verified" in data["_comment"]  # the codes we are unsure of are named
    assert {r["level"] for r in records} == {"commune"}
    for raw in records:
        record, errors = catalogue.clean_record(raw)
        assert errors == [], (raw["code"], errors)
    out = io.StringIO()
    call_command("load_procedures", stdout=out)
    assert f"{len(records)} created" in out.getvalue()
    assert AuditEntry.objects.filter(action="procedures.procedure.create").count() == len(records)
    out = io.StringIO()
    call_command("load_procedures", stdout=out)
    assert f"0 created, 0 updated, {len(records)} unchanged" in out.getvalue()
    assert AuditEntry.objects.filter(action="procedures.procedure.update").count() == 0
    birth = Procedure.objects.get(code="1.001193.000.00.00.H29")
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.time_unit == "working_hours" and birth.cutoff_hour.hour == 15
    assert birth.regardless_of_residence and birth.online == "full"
    assert sum(step["share"] for step in birth.steps) == 100


@pytest.mark.parametrize("code", ["1.001193", "1.001193.000.00.00.H29", "2.000908.000.00.00.H01"])
def test_national_code_format_accepted(code):
    raw = json.loads(DATA.read_text(encoding="utf-8"))["procedures"][0] | {"code": code}
    assert catalogue.clean_record(raw)[1] == []


@pytest.mark.parametrize("code", ["", "1001193", "1.00119", "4.001193", "1.001193.000.00.00", "1.001193.000.00.00.HCM"])
def test_bad_codes_refused_naming_the_column(code):
    raw = json.loads(DATA.read_text(encoding="utf-8"))["procedures"][0] | {"code": code}
    record, errors = catalogue.clean_record(raw)
    assert record is None and errors and errors[0].startswith("Mã thủ tục")


def test_bad_steps_documents_and_times_are_named():
    raw = json.loads(DATA.read_text(encoding="utf-8"))["procedures"][0]
    bad = raw | {
        "steps": "Tiếp nhận | UBND cấp xã | Công chức Bộ phận Một cửa | 50\nKý | UBND cấp xã | Lãnh đạo | 20",
        "documents": "Tờ khai | Bản photo | 1 | Bắt buộc",
        "time_amount": "0",
        "time_unit": "tuần",
        "cutoff_hour": "25:00",
        "name": "",
    }
    with translation.override("en"):
        record, errors = catalogue.clean_record(bad)
    assert record is None
    text = " ".join(errors)
    for column in (
        "Quy trình",
        "Thành phần hồ sơ, line 1",
        "Thời hạn giải quyết",
        "Đơn vị thời hạn",
        "Giờ tiếp nhận cuối",
        "Tên thủ tục",
    ):
        assert column in text, column


def test_load_is_all_or_nothing(tmp_path):
    records = json.loads(DATA.read_text(encoding="utf-8"))["procedures"][:3]
    records[2] = records[2] | {"code": "sai"}
    with pytest.raises(ValidationError):
        services.procedures_load(actor="system", records=records)
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dang ky khai sinh", "1.001193.000.00.00.H29"),  # without accents
        ("ĐĂNG KÝ KHAI SINH", "1.001193.000.00.00.H29"),  # upper case
        ("khai sinh luu dong", "1.003583.000.00.00.H29"),
        ("chứng thực di chúc", "2.001019.000.00.00.H29"),
        ("2.000635", "2.000635.000.00.00.H29"),  # by code
    ],
)
def test_search_ignores_accents_and_case(client, loaded, query, expected):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    codes = [p.code for p in response.context["page"]]
    assert expected in codes
    assert all(
        all(word in p.name_folded for word in catalogue.fold(query).split()) or p.code.startswith(query)
        for p in response.context["page"]
    )


def test_search_filters_by_field_and_finds_nothing_for_nonsense(client, loaded):
    response = client.get("/thu-tuc/", {"field": "Chứng thực"})
    assert {p.field for p in response.context["page"]} == {"Chứng thực"}
    response = client.get("/thu-tuc/", {"q": "không có thủ tục này"})
    assert list(response.context["page"]) == []
    assert (
        "Không có thủ tục nào phù hợp" in response.content.decode()
        or "No procedure matches" in response.content.decode()
    )


def test_detail_page_shows_documents_steps_and_cutoff(client, loaded):
    page = client.get("/thu-tuc/1.001193.000.00.00.H29/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
    assert "Giấy chứng sinh" in page and "15:00" in page
    assert "Công chức Bộ phận Một cửa" in page
    assert "50.000 đồng" in client.get("/thu-tuc/2.001035.000.00.00.H29/").content.decode()
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    Procedure.objects.filter(code="1.001193.000.00.00.H29").update(active=False)
    assert client.get("/thu-tuc/1.001193.000.00.00.H29/").status_code == 404


def test_api_lists_and_details_procedures(client, loaded):
    listed = client.get("/api/v1/procedures/catalogue", {"q": "chung thuc hop dong"}).json()
    assert [p["code"] for p in listed][:1] == ["2.001035.000.00.00.H29"]
    detail = client.get("/api/v1/procedures/catalogue/2.001035.000.00.00.H29").json()
    assert detail["fee"] == 50000 and detail["time_unit"] == "working_days"
    assert detail["documents"][0]["name"] == "Dự thảo hợp đồng, giao dịch"
    assert client.get("/api/v1/procedures/catalogue/1.000000").status_code == 404


def test_export_then_import_unchanged(client, login, loaded, centre_admin):
    content = _exported(client)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == [h for h, _ in catalogue.COLUMNS]
    assert sheet.max_row == Procedure.objects.count() + 1
    login(centre_admin)
    response = client.post("/thu-tuc/nhap/", {"file": SimpleUploadedFile("a.xlsx", content)})
    assert response.status_code == 302
    batch = CatalogueImport.objects.get()
    assert batch.summary == {"create": 0, "update": 0, "unchanged": Procedure.objects.count(), "error": 0}
    page = client.get(response["Location"]).content.decode()
    assert 'id="apply"' not in page  # nothing to apply


def test_import_preview_create_update_error_then_atomic_apply(client, login, loaded, centre_admin):
    content = _exported(client)

    def change(sheet):
        _row_of(sheet, "1.000894.000.00.00.H29")[4].value = 2  # kết hôn: 2 working hours instead of 8
        new = list(c.value for c in _row_of(sheet, "1.000656.000.00.00.H29"))
        new[0], new[1] = "1.000419.000.00.00.H29", "Thủ tục đăng ký kết hôn lưu động"
        sheet.append(new)
        broken = list(new)
        broken[0], broken[12] = "1.000593.000.00.00.H29", "Tiếp nhận | UBND cấp xã | Công chức Bộ phận Một cửa | 40"
        sheet.append(broken)

    login(centre_admin)
    response = client.post("/thu-tuc/nhap/", {"file": _edit(content, change)})
    batch = CatalogueImport.objects.get()
    assert batch.summary["create"] == 1 and batch.summary["update"] == 1 and batch.summary["error"] == 1
    rows = {row["code"]: row for row in batch.rows}
    assert rows["1.000894.000.00.00.H29"]["changes"] == ["Thời hạn giải quyết"]
    assert "Quy trình" in rows["1.000593.000.00.00.H29"]["errors"][0]
    preview = client.get(response["Location"]).content.decode()
    assert "Quy trình" in preview and 'name="skip_errors"' in preview
    assert Procedure.objects.get(code="1.000894.000.00.00.H29").time_amount == 8  # nothing changed yet

    # errors present: refused unless the valid rows only are confirmed, and nothing written
    client.post(f"/thu-tuc/nhap/{batch.pk}/ap-dung/")
    assert not Procedure.objects.filter(code="1.000419.000.00.00.H29").exists()
    client.post(f"/thu-tuc/nhap/{batch.pk}/ap-dung/", {"skip_errors": "1"})
    assert Procedure.objects.get(code="1.000894.000.00.00.H29").time_amount == 2
    assert Procedure.objects.get(code="1.000419.000.00.00.H29").name == "Thủ tục đăng ký kết hôn lưu động"
    assert not Procedure.objects.filter(code="1.000593.000.00.00.H29").exists()
    update = AuditEntry.objects.get(action="procedures.procedure.update")
    assert update.before["time_amount"] == "8.0" and update.after["time_amount"] == "2.0"
    assert AuditEntry.objects.filter(action="procedures.import.apply").count() == 1
    with pytest.raises(ValidationError):  # applied once only
        services.catalogue_import_apply(actor=centre_admin, batch=batch, skip_errors=True)


def test_import_rejects_duplicate_codes_and_non_workbooks(client, login, loaded, centre_admin):
    content = _exported(client)

    def duplicate(sheet):
        sheet.append([c.value for c in _row_of(sheet, "1.001193.000.00.00.H29")])

    login(centre_admin)
    client.post("/thu-tuc/nhap/", {"file": _edit(content, duplicate)})
    rows = CatalogueImport.objects.get().rows
    assert any("already on row" in e or "đã có ở dòng" in e for row in rows for e in row["errors"])
    response = client.post("/thu-tuc/nhap/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert response.status_code == 400
    empty = Workbook()
    buffer = io.BytesIO()
    empty.save(buffer)
    response = client.post("/thu-tuc/nhap/", {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())})
    assert response.status_code == 400
    assert CatalogueImport.objects.count() == 1


def test_only_platform_admins_import(client, login, loaded, ward_admin, city_leader, centre_admin):
    content = _exported(client)
    assert client.get("/thu-tuc/nhap/").status_code == 302  # anonymous: to the sign-in page
    for persona in (ward_admin, city_leader):
        login(persona)
        assert client.get("/thu-tuc/nhap/").status_code == 403
        assert client.post("/thu-tuc/nhap/", {"file": SimpleUploadedFile("a.xlsx", content)}).status_code == 403
        assert "/thu-tuc/nhap/" not in client.get("/thu-tuc/").content.decode()
    assert CatalogueImport.objects.count() == 0
    batch = services.catalogue_import_preview(actor=centre_admin, upload=SimpleUploadedFile("a.xlsx", content))
    login(ward_admin)
    assert client.get(f"/thu-tuc/nhap/{batch.pk}/").status_code == 403
    assert client.post(f"/thu-tuc/nhap/{batch.pk}/ap-dung/").status_code == 403
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_export_cells_cannot_run_formulas(client, loaded):
    Procedure.objects.filter(code="1.001193.000.00.00.H29").update(result='=HYPERLINK("http://x")')
    sheet = load_workbook(io.BytesIO(_exported(client))).worksheets[0]
    assert _row_of(sheet, "1.001193.000.00.00.H29")[11].value.startswith("'=")
