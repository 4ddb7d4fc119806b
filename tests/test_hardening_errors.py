"""Server errors found from outside, each now a clear 4xx or the right result; a result is public only
once published."""

import pytest
from django.urls import reverse

from tests.conftest import make_staff
from thongsuot.core.models import CalendarDay
from thongsuot.feedback import services
from thongsuot.feedback.testing import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["start_date=9999-12-31", "end_date=0001-01-01", "start_date=0001-01-01T00:00:00Z"])
def test_open311_dates_out_of_range_are_400(client, query):
    response = client.get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    assert response.json()[0]["description"].split(":")[0] in ("start_date", "end_date")


def test_audit_log_with_an_impossible_date_is_400_naming_it(login, centre_admin):
    client = login(centre_admin)
    response = client.get("/nhat-ky/?from=2026-99-99")
    assert response.status_code == 400 and "“from”" in response.content.decode()
    assert client.get("/nhat-ky/?from=2026-01-01&to=2026-12-31").status_code == 200


def test_calendar_remove_with_a_bad_id_is_404_and_removes_nothing(login, centre_admin):
    client = login(centre_admin)
    day = CalendarDay.objects.create(date="2030-05-05", kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
    for value in ("abc", "1e5", "99999999999999999999999"):
        assert client.post("/lich-lam-viec/", {"remove": value}).status_code == 404
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_public_form_429_says_when_to_retry(client, settings):
    from tests.test_feedback_views import _form

    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 1
    assert client.post(reverse("feedback:new"), _form()).status_code == 302
    response = client.post(reverse("feedback:new"), _form())
    assert response.status_code == 429 and response["Retry-After"] == "3600"


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


def test_a_result_is_public_only_once_published(client, centre_admin, dispatcher, handler, ben_thanh):
    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý")
    services.report_resolve(actor=handler, report=report, resolution="Kết quả nội bộ chưa duyệt XYZ.")
    follow = reverse("feedback:follow", args=[report.code])
    lookup = client.get(reverse("feedback:lookup"), {"code": report.code}, follow=True)
    for page in (client.get(follow), lookup, client.get(follow, {"k": report.citizen_key})):
        assert page.status_code == 200 and "XYZ" not in page.content.decode()
    services.report_publish(actor=dispatcher, report=report)
    assert "XYZ" in client.get(follow).content.decode()
