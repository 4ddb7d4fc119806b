"""The escalation list: overdue reports by unit, reports falling due, routing delays; scoped by unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_staff
from tests.test_feedback_api import bearer
from thongsuot.core.calendar import add_working_days
from thongsuot.feedback import escalations, services
from thongsuot.feedback.models import Report
from thongsuot.feedback.testing import SAI_GON_POINT, submit


@pytest.fixture
def two_wards(centre_admin, ben_thanh, sai_gon):
    """Bến Thành: one overdue, one due tomorrow; Sài Gòn: two overdue; one report still unrouted."""
    today = timezone.localdate()
    made = {}
    for name, org, due, overdue, phone in [
        ("bt_late", ben_thanh, today - timedelta(days=3), True, "0911000001"),
        ("bt_soon", ben_thanh, add_working_days(today, 1), False, "0911000002"),
        ("sg_late1", sai_gon, today - timedelta(days=5), True, "0911000003"),
        ("sg_late2", sai_gon, today - timedelta(days=1), True, "0911000004"),
    ]:
        report = services.report_assign(
            actor=centre_admin,
            report=submit(contact_phone=phone, client_ip=f"198.51.100.{phone[-1]}"),
            organisation=org,
        )
        Report.objects.filter(pk=report.pk).update(due_date=due, overdue=overdue)
        made[name] = report
    waiting = submit(contact_phone="0911000009", client_ip="198.51.100.99", latitude=SAI_GON_POINT[0])
    Report.objects.filter(pk=waiting.pk).update(received_at=timezone.now() - timedelta(minutes=12))
    made["waiting"] = waiting
    return made


def test_the_city_sees_every_unit_worst_first(two_wards, city_leader, settings):
    settings.FEEDBACK_REMIND_DAYS_BEFORE = 1
    rows = escalations.escalation_by_unit(user=city_leader)
    assert [(r.organisation, r.overdue, r.due_soon) for r in rows] == [
        ("Phường Sài Gòn", 2, 0),
        ("Phường Bến Thành", 1, 1),
    ]
    assert rows[0].oldest_due == timezone.localdate() - timedelta(days=5)
    assert [r.code for r in escalations.waiting_for_routing(user=city_leader)] == [two_wards["waiting"].code]
    assert escalations.overdue_reports(user=city_leader).count() == 3


def test_a_ward_sees_only_its_own(two_wards, ben_thanh):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    rows = escalations.escalation_by_unit(user=handler)
    assert [r.organisation for r in rows] == ["Phường Bến Thành"]
    assert [r.code for r in escalations.overdue_reports(user=handler)] == [two_wards["bt_late"].code]
    assert list(escalations.waiting_for_routing(user=handler)) == []


def test_page_and_api(two_wards, client, login, city_leader, ben_thanh):
    page = login(city_leader).get("/xu-ly-phan-anh/qua-han/")
    assert page.status_code == 200
    body = page.content.decode()
    assert two_wards["sg_late1"].code in body and two_wards["waiting"].code in body
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    data = client.get("/api/v1/feedback/escalations", **bearer(handler)).json()
    assert [u["organisation"] for u in data["units"]] == ["Phường Bến Thành"]
    assert [r["code"] for r in data["overdue"]] == [two_wards["bt_late"].code]
    assert two_wards["sg_late1"].code not in str(data)


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/xu-ly-phan-anh/qua-han/").status_code == 302
    assert client.get("/api/v1/feedback/escalations").status_code == 401


def test_report_page_shows_the_routing_delay(client, login, centre_admin, ben_thanh):
    report = submit()
    Report.objects.filter(pk=report.pk).update(received_at=timezone.now() - timedelta(minutes=12))
    services.report_assign(actor=centre_admin, report=Report.objects.get(pk=report.pk), organisation=ben_thanh)
    body = login(centre_admin).get(f"/xu-ly-phan-anh/{report.code}/").content.decode()
    assert "(sau 12 phút, <strong>chậm hơn mục tiêu 5 phút</strong>)" in body
    quick = services.report_assign(
        actor=centre_admin, report=submit(contact_phone="0912000003"), organisation=ben_thanh
    )
    body = client.get(f"/xu-ly-phan-anh/{quick.code}/").content.decode()
    assert "(sau 0 phút)" in body and "chậm hơn mục tiêu" not in body


def test_a_unit_on_the_escalation_list_links_to_its_reports(two_wards, client, login, city_leader, sai_gon):
    page = login(city_leader).get("/xu-ly-phan-anh/qua-han/").content.decode()
    assert f"/xu-ly-phan-anh/?organisation={sai_gon.pk}" in page
    listed = client.get("/xu-ly-phan-anh/", {"organisation": sai_gon.pk}).content.decode()
    assert two_wards["sg_late1"].code in listed and two_wards["bt_late"].code not in listed
