"""The 1022 dispatcher role: every unit's reports within the feedback system, nothing beyond it."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import make_staff
from tests.test_feedback_api import bearer
from tests.test_provisioning import staff_csv
from thongsuot.accounts import access
from thongsuot.accounts.services import provisioning_preview
from thongsuot.feedback import SYSTEM, selectors, services
from thongsuot.feedback.states import Status
from thongsuot.feedback.testing import submit


def test_dispatcher_routes_and_sees_every_units_reports(dispatcher, ben_thanh, sai_gon):
    first = submit()
    second = submit(contact_phone="0912000002", client_ip="198.51.100.2")
    assert set(selectors.dispatch_queue(user=dispatcher)) == {first, second}
    first = services.report_assign(actor=dispatcher, report=first, organisation=ben_thanh)
    services.report_assign(actor=dispatcher, report=second, organisation=sai_gon)
    assert {r.code for r in selectors.report_list(user=dispatcher)} == {first.code, second.code}
    assert first.status == Status.ASSIGNED and first.forwarded_at is not None


def test_dispatcher_reaches_no_other_system(dispatcher, ben_thanh):
    assert access.has_city_wide_change(dispatcher, system=SYSTEM)
    assert not access.has_city_wide_change(dispatcher)
    assert not access.can_view_organisation(dispatcher, ben_thanh.pk)
    data = staff_csv(f"Nguyễn Văn A,a@benthanh.test,,Văn thư,clerk,{ben_thanh.code}").encode()
    with pytest.raises(PermissionDenied):
        provisioning_preview(uploader=dispatcher, data=data, filename="l.csv")
    with pytest.raises(PermissionDenied):
        services.category_save(actor=dispatcher, code="x", name="X", responsible="commune", handling_days=3)


def test_dispatcher_pages_and_api(client, login, dispatcher, ward_admin):
    report = submit()
    page = login(dispatcher).get("/xu-ly-phan-anh/dieu-phoi/")
    assert page.status_code == 200 and report.code in page.content.decode()
    assert client.get("/xu-ly-phan-anh/tiep-nhan/").status_code == 200
    assert "Phường Bến Thành" not in client.get("/san-sang/").content.decode()  # the board: own unit only
    assert client.get("/nhat-ky/").status_code in (302, 403)
    listed = client.get("/api/v1/feedback/reports", **bearer(dispatcher)).json()
    assert report.code in {r["code"] for r in listed["results"]}
    assert client.get("/api/v1/feedback/reports", **bearer(ward_admin)).json()["count"] == 0


def test_a_handler_is_not_a_dispatcher(ben_thanh):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    report = submit()
    assert list(selectors.dispatch_queue(user=handler)) == []
    with pytest.raises(PermissionDenied):
        services.report_assign(actor=handler, report=report, organisation=ben_thanh)


def test_only_the_centre_grants_the_dispatcher_role(ward_admin, centre_admin, ben_thanh):
    data = staff_csv(f"Lê Điều Phối,dp@benthanh.test,,Chuyên viên,Điều phối 1022,{ben_thanh.code}").encode()
    _, plan = provisioning_preview(uploader=ward_admin, data=data, filename="l.csv")
    assert plan.summary["error"] == 1 and "mọi đơn vị" in " ".join(plan.rows[0].errors)
    _, plan = provisioning_preview(uploader=centre_admin, data=data, filename="l.csv")
    assert plan.summary["create"] == 1 and plan.rows[0].roles == ["feedback_dispatcher"]
