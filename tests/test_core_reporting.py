"""The shared reporting blocks (thongsuot.core.reporting): periods in the city's time, the trend chart's
coordinates and the table PDF's numbers, rounded as the pages round them."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import translation

from thongsuot.core.reporting import chart, pdf, periods

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_presets_relative_to_today():
    today = date(2026, 1, 15)  # a Thursday
    assert periods.preset_period("last_month", today).start == date(2025, 12, 1)  # the last complete month
    assert periods.preset_period("last_month", today).end == date(2025, 12, 31)
    assert periods.preset_period("this_week", today).start == date(2026, 1, 12)
    assert periods.preset_period("last_week", today).end == date(2026, 1, 11)
    assert periods.preset_period("yesterday", today).start == date(2026, 1, 14)
    assert periods.preset_period("last_quarter", today).start == date(2025, 10, 1)
    assert periods.preset_period("this_quarter", date(2026, 5, 15)).end == date(2026, 6, 30)
    assert periods.preset_period("last_year", today).end == date(2025, 12, 31)
    assert periods.preset_period("every_tuesday", today) is None
    assert all(periods.preset_period(name, today) is not None for name in periods.PRESETS)


def test_today_is_the_citys_whatever_zone_is_active(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 1, 31, 18, 0, tzinfo=ZoneInfo("UTC")))
    with timezone.override(ZoneInfo("UTC")):
        assert periods.city_today() == date(2026, 2, 1)  # 01:00 in the city
        assert periods.preset_period("this_month").start == date(2026, 2, 1)


def test_parse_every_kind_of_period():
    assert (periods.parse_period("2025-09").start, periods.parse_period("2025-09").end) == (
        date(2025, 9, 1),
        date(2025, 9, 30),
    )
    assert periods.parse_period("2025-Q3").end == date(2025, 9, 30)
    assert periods.parse_period("2024").end == date(2024, 12, 31)
    assert periods.parse_period("2025-W01").start == date(2024, 12, 30)  # ISO week 1 starts on a Monday
    assert periods.parse_period("2025-09-02").kind == "day"
    with pytest.raises(ValidationError):
        periods.parse_period("2025-W37", kinds=("month", "quarter", "year"))
    assert periods.parse_period("2025-Q1", kinds=("quarter",)).kind == "quarter"
    for bad in ("2025-13", "2025-02-30", "2025-W60", "1999", "next month"):
        with pytest.raises(ValidationError) as error:
            periods.parse_period(bad)
        assert "period" in error.value.message_dict


def test_bounds_are_the_citys_days_and_limited():
    start, end = periods.bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert start == datetime(2026, 3, 1, tzinfo=HCM) and end == datetime(2026, 4, 1, tzinfo=HCM)
    with pytest.raises(ValidationError) as error:
        periods.custom_period(date(2026, 3, 2), date(2026, 3, 1))
    assert "end" in error.value.message_dict
    with pytest.raises(ValidationError):
        periods.bounds(date(2020, 1, 1), date(2026, 1, 1))


def test_buckets():
    assert periods.bucket_starts(date(2026, 1, 30), date(2026, 3, 2), "month") == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert periods.bucket_starts(date(2026, 1, 14), date(2026, 1, 20), "week") == [date(2026, 1, 12), date(2026, 1, 19)]
    assert periods.auto_bucket(date(2026, 1, 1), date(2026, 1, 31)) == "day"
    assert periods.auto_bucket(date(2026, 1, 1), date(2026, 12, 31)) == "month"
    with pytest.raises(ValidationError):
        periods.bucket_starts(date(2026, 1, 1), date(2026, 1, 2), "hour")


@dataclass
class Point:
    start: date
    received: int
    resolved: int
    late: int = 0


def test_trend_chart_scales_every_series_to_the_plot():
    points = [Point(date(2026, 3, d), r, s, late) for d, r, s, late in ((1, 10, 4, 1), (2, 37, 20, 2), (3, 0, 0, 40))]
    drawn = chart.trend_chart(points, "day", series=("received", "resolved", "late"))
    assert drawn["y_ticks"][-1]["v"] == 40  # the peak of any series, rounded up to a step of 10
    top_dot = drawn["dots"][2]["y"]["late"]
    assert top_dot == drawn["top"]
    assert drawn["dots"][2]["y"]["received"] == drawn["baseline"]
    assert drawn["lines"]["late"].split()[2] == f"{drawn['dots'][2]['x']},{top_dot}"
    assert drawn["received"] == drawn["lines"]["received"]  # each line also under its name
    assert [label["text"] for label in drawn["x_labels"]] == ["01/03", "02/03", "03/03"]
    assert chart.nice_step(37) == 10 and chart.nice_step(3) == 1 and chart.nice_step(900) == 200


@pytest.mark.parametrize("value", [14.75, 14.78, 2.25, 0.05, 99.95, 66.67, 14.7, 0.0])
def test_pdf_numbers_round_as_the_page_does(value):
    """The same digits as `floatformat` (thousands grouping aside)."""
    for language in ("vi", "en"):
        with translation.override(language):
            assert pdf.format_number(value) == floatformat(value, 1)


def test_pdf_number_formats():
    with translation.override("vi"):
        assert pdf.format_number(14.75) == "14,8"  # truncated to 14,7 before
        assert pdf.format_number(14.74, 1) == "14,7"
        assert pdf.format_number(2.345, 2) == "2,35"
        assert pdf.format_number(12) == "12"
        assert pdf.format_number(None) == "—"


def test_table_pdf_writes_rounded_numbers_in_vietnamese_fonts(monkeypatch):
    from fpdf.table import Row

    written = []
    original = Row.cell

    def spy(self, text="", *args, **kwargs):
        written.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(Row, "cell", spy)
    with translation.override("vi"):
        content = pdf.table_pdf(
            title="Thống kê thử",
            lines=["Từ 01/03/2026 đến 31/03/2026"],
            header=["Đơn vị", "Tiếp nhận", "Tỷ lệ đúng hạn (%)"],
            rows=[["Phường Bến Thành", 1200, 14.75], ["Phường Sài Gòn", 3, None]],
            widths=[3, 1, 1],
            system="1022",
        )
    assert content.startswith(b"%PDF") and b"DejaVuSans" in content
    assert written[3:] == ["Phường Bến Thành", "1200", "14,8", "Phường Sài Gòn", "3", "—"]
