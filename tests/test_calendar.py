import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from thongsuot.core import calendar
from thongsuot.core.models import CalendarDay

pytestmark = pytest.mark.django_db
D = dt.date


def test_weekends_and_tet_2026_are_not_working_days():
    assert calendar.is_working_day(D(2026, 2, 13))  # Friday before Tết
    assert not calendar.is_working_day(D(2026, 2, 14))  # Saturday
    for day in range(16, 21):  # Tết Bính Ngọ: 29 Tết to mùng 4, 16–20/02/2026
        assert not calendar.is_working_day(D(2026, 2, day)), day
    assert calendar.holiday_name(D(2026, 2, 17))


def test_add_working_days_across_tet_2026():
    # One working day after Friday 13/02/2026 skips the weekend and the whole Tết break.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert calendar.add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)


def test_national_day_2_september():
    assert not calendar.is_working_day(D(2025, 9, 2))
    assert not calendar.is_working_day(D(2025, 9, 1))  # the extra day granted for 2025
    assert calendar.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_zero_days_moves_to_next_working_day_and_negative_is_refused():
    assert calendar.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)
    with pytest.raises(ValueError, match="negative"):  # refused at once, not after a ten-year search
        calendar.add_working_days(D(2026, 2, 14), -1)


def test_administrator_exceptions_override_the_national_calendar():
    saturday = D(2026, 3, 7)
    assert not calendar.is_working_day(saturday)
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, reason="Làm bù")
    assert calendar.is_working_day(saturday)
    CalendarDay.objects.create(date=D(2026, 3, 9), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ thêm")
    assert calendar.add_working_days(D(2026, 3, 6), 2) == D(2026, 3, 10)


def test_working_days_between_matches_add_working_days():
    start = D(2026, 2, 10)
    end = calendar.add_working_days(start, 7)
    assert calendar.working_days_between(start, end) == 7


def test_add_working_hours_skips_lunch_nights_and_holidays():
    tz = timezone.get_default_timezone()
    start = dt.datetime(2026, 2, 13, 16, 0, tzinfo=tz)  # Friday 16:00, Tết follows
    due = calendar.add_working_hours(start, 2)
    assert due == dt.datetime(2026, 2, 23, 8, 30, tzinfo=tz)
    morning = dt.datetime(2026, 3, 3, 11, 0, tzinfo=tz)
    assert calendar.add_working_hours(morning, 1) == dt.datetime(2026, 3, 3, 13, 30, tzinfo=tz)


def test_exceptions_are_read_once_and_again_when_an_administrator_changes_a_day(django_assert_num_queries):
    friday = D(2026, 3, 13)
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)
    with django_assert_num_queries(0):  # the exceptions come from this process's copy
        assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)
        assert calendar.working_days_between(friday, D(2026, 3, 20)) == 5
    day_off = CalendarDay.objects.create(date=D(2026, 3, 16), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 17)
    day_off.kind = CalendarDay.Kind.WORKING
    day_off.save()
    CalendarDay.objects.create(date=D(2026, 3, 14), kind=CalendarDay.Kind.WORKING, reason="Làm bù thứ Bảy")
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 14)
    CalendarDay.objects.filter(date=D(2026, 3, 14)).get().delete()
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)


def test_the_copy_of_the_exceptions_expires():
    import time
    from unittest import mock

    friday = D(2026, 3, 13)
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)
    # Added by another process (no signal here): seen once the copy expires, after 60 s.
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 3, 16), kind=CalendarDay.Kind.DAY_OFF, reason="x")])
    assert calendar.add_working_days(friday, 1) == D(2026, 3, 16)
    with mock.patch("thongsuot.core.local_cache.time.monotonic", return_value=time.monotonic() + 61):
        assert calendar.add_working_days(friday, 1) == D(2026, 3, 17)


def test_a_moment_counts_from_the_citys_date_whatever_zone_is_active():
    # Thursday 12/02/2026, 18:00 UTC is already Friday 13/02, 01:00 in Ho Chi Minh City: the next working day
    # is after the weekend and Tết (Monday 23/02), not Friday 13/02 as from the date in UTC
    moment = dt.datetime(2026, 2, 12, 18, 0, tzinfo=dt.UTC)
    with timezone.override("UTC"):
        assert calendar.add_working_days(moment, 1) == D(2026, 2, 23)
    assert calendar.add_working_days(D(2026, 2, 12), 1) == D(2026, 2, 13)


# Rules pinned so that a changed comparison or a skipped day cannot pass unnoticed ---------------------


def test_add_working_hours_over_several_days_counts_every_working_day():
    tz = timezone.get_default_timezone()
    monday = dt.datetime(2026, 3, 2, 7, 30, tzinfo=tz)  # Monday 02/03/2026, no holiday that week
    # 8 office hours a day: 24 hours end on Wednesday at 17:00, 25 on Thursday at 08:30.
    assert calendar.add_working_hours(monday, 8) == dt.datetime(2026, 3, 2, 17, 0, tzinfo=tz)
    assert calendar.add_working_hours(monday, 24) == dt.datetime(2026, 3, 4, 17, 0, tzinfo=tz)
    assert calendar.add_working_hours(monday, 25) == dt.datetime(2026, 3, 5, 8, 30, tzinfo=tz)
    # Forty hours: the whole week, Friday at 17:00; one more is Monday morning.
    assert calendar.add_working_hours(monday, 40) == dt.datetime(2026, 3, 6, 17, 0, tzinfo=tz)
    assert calendar.add_working_hours(monday, 41) == dt.datetime(2026, 3, 9, 8, 30, tzinfo=tz)


def test_add_working_hours_reads_a_moment_given_in_another_time_zone_in_the_citys_time():
    tz = timezone.get_default_timezone()
    # 01:00 UTC is 08:00 in the city; 04:00 UTC on a Friday is 11:00 there.
    assert calendar.add_working_hours(dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC), 1) == dt.datetime(
        2026, 3, 3, 9, 0, tzinfo=tz
    )
    assert calendar.add_working_hours(dt.datetime(2026, 3, 6, 4, 0, tzinfo=dt.UTC), 1) == dt.datetime(
        2026, 3, 6, 13, 30, tzinfo=tz
    )
    # 18:00 UTC on Sunday 01/03 is already Monday 01:00 in the city: counting starts Monday 07:30.
    assert calendar.add_working_hours(dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC), 2) == dt.datetime(
        2026, 3, 2, 9, 30, tzinfo=tz
    )


def test_add_working_hours_with_zero_hours_and_negative_hours():
    tz = timezone.get_default_timezone()
    start = dt.datetime(2026, 3, 3, 9, 15, tzinfo=tz)
    assert calendar.add_working_hours(start, 0) == start
    with pytest.raises(ValueError):
        calendar.add_working_hours(start, -0.5)


def test_working_days_between_is_zero_when_the_end_is_not_after_the_start():
    day = D(2026, 3, 3)
    assert calendar.working_days_between(day, day) == 0
    assert calendar.working_days_between(day, D(2026, 3, 2)) == 0
    assert calendar.working_days_between(day, D(2025, 3, 3)) == 0
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert calendar.working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1  # Friday → Monday


def test_zero_days_respects_the_administrators_exceptions():
    day_off = D(2026, 3, 10)  # a Tuesday made a day off
    CalendarDay.objects.create(date=day_off, kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ thêm")
    assert calendar.add_working_days(day_off, 0) == D(2026, 3, 11)
    saturday = D(2026, 3, 14)  # a Saturday made a working day
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, reason="Làm bù")
    assert calendar.add_working_days(saturday, 0) == saturday
    assert calendar.add_working_days(D(2026, 3, 13), 1) == saturday
    assert calendar.working_days_between(D(2026, 3, 9), D(2026, 3, 16)) == 5  # 10/03 off, 14/03 on


def test_a_datetime_start_counts_from_its_date():
    tz = timezone.get_default_timezone()
    assert calendar.add_working_days(dt.datetime(2026, 3, 6, 23, 0, tzinfo=tz), 1) == D(2026, 3, 9)
    # 20:00 UTC on Thursday 05/03 is already Friday in the city: one working day later is Monday.
    assert calendar.add_working_days(dt.datetime(2026, 3, 5, 20, 0, tzinfo=dt.UTC), 1) == D(2026, 3, 9)
    assert calendar.add_working_days(dt.datetime(2026, 3, 5, 20, 0), 1) == D(2026, 3, 6)  # naive: its own date


def test_the_ten_year_limit_is_exact():
    """A deadline that lands exactly on the last day of the ten-year span is found; one more day is refused."""
    limit = 3660
    start = D(2030, 1, 2)
    while not (
        calendar.is_working_day(start + dt.timedelta(days=limit))
        and calendar.is_working_day(start + dt.timedelta(days=limit + 1))
    ):
        start += dt.timedelta(days=1)
    within = calendar.working_days_between(start, start + dt.timedelta(days=limit))
    assert calendar.add_working_days(start, within) == start + dt.timedelta(days=limit)
    with pytest.raises(ValueError):
        calendar.add_working_days(start, within + 1)


def test_a_long_run_of_days_off_is_skipped_by_days_and_by_hours():
    """Exceptions beyond the first look-ahead are read too (a hundred days off in a row)."""
    start = D(2027, 3, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=start + dt.timedelta(days=i), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ dài")
        for i in range(1, 101)
    )
    calendar._all_exceptions.clear()
    calendar._working_days_after.clear()
    first = calendar.add_working_days(start, 1)
    assert first > start + dt.timedelta(days=100) and calendar.is_working_day(first)
    assert calendar.working_days_between(start, first) == 1
    tz = timezone.get_default_timezone()
    due = calendar.add_working_hours(dt.datetime(2027, 3, 1, 16, 0, tzinfo=tz), 2)
    assert due == dt.datetime.combine(first, dt.time(8, 30), tzinfo=tz)


def test_holiday_names_in_vietnamese_and_in_english_with_the_citys_date_order():
    tet = D(2026, 2, 17)
    with translation.override("vi"):
        vietnamese = calendar.holiday_name(tet)
    with translation.override("en-us"):
        english = calendar.holiday_name(tet)
    assert vietnamese == calendar.holiday_name(tet, "vi") and "Tết" in vietnamese
    assert english == calendar.holiday_name(tet, "en") and "Lunar New Year" in english
    assert calendar.holiday_name(D(2026, 3, 3), "vi") is None and calendar.holiday_name(D(2026, 3, 3), "en") is None
    assert calendar.holiday_name(tet, "zh-hans") == english  # any other language reads the English names
    # the package writes "(observed, substituted from 08/22/2026)" the US way; the city reads dd/mm/yyyy
    dated = [name for name in calendar._holiday_names(2026, "en").values() if re.search(r"\d{2}/\d{2}/\d{4}", name)]
    assert dated and all(re.search(r"\b(0[1-9]|[12]\d|3[01])/(0[1-9]|1[0-2])/\d{4}\b", name) for name in dated)


def test_zero_hours_at_the_end_of_an_office_period_is_the_next_period():
    tz = timezone.get_default_timezone()
    assert calendar.add_working_hours(dt.datetime(2026, 3, 3, 11, 30, tzinfo=tz), 0) == dt.datetime(
        2026, 3, 3, 13, 0, tzinfo=tz
    )
    friday_evening = dt.datetime(2026, 3, 6, 17, 0, tzinfo=tz)
    assert calendar.add_working_hours(friday_evening, 0) == dt.datetime(2026, 3, 9, 7, 30, tzinfo=tz)


def test_hours_counted_from_a_day_the_administrators_changed():
    tz = timezone.get_default_timezone()
    saturday = D(2026, 3, 14)  # a compensatory working Saturday
    CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.WORKING, reason="Làm bù")
    assert calendar.add_working_hours(dt.datetime(2026, 3, 14, 9, 0, tzinfo=tz), 1) == dt.datetime(
        2026, 3, 14, 10, 0, tzinfo=tz
    )
    tuesday = D(2026, 3, 10)  # a Tuesday made a day off
    CalendarDay.objects.create(date=tuesday, kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ thêm")
    assert calendar.add_working_hours(dt.datetime(2026, 3, 10, 9, 0, tzinfo=tz), 1) == dt.datetime(
        2026, 3, 11, 8, 30, tzinfo=tz
    )


def test_an_office_day_is_eight_hours():
    assert calendar.office_hours_per_day() == 8.0


def test_working_hours_between_counts_office_hours_only():
    tz = timezone.get_default_timezone()
    monday = dt.datetime(2026, 3, 2, 7, 30, tzinfo=tz)
    assert calendar.working_hours_between(monday, monday) == 0.0
    assert calendar.working_hours_between(monday, monday - dt.timedelta(hours=1)) == 0.0
    assert calendar.working_hours_between(monday, dt.datetime(2026, 3, 2, 9, 0, tzinfo=tz)) == 1.5
    assert calendar.working_hours_between(monday, dt.datetime(2026, 3, 2, 14, 0, tzinfo=tz)) == 5.0  # lunch left out
    assert calendar.working_hours_between(monday, dt.datetime(2026, 3, 9, 7, 30, tzinfo=tz)) == 40.0  # a week
    friday = dt.datetime(2026, 3, 6, 16, 0, tzinfo=tz)
    assert calendar.working_hours_between(friday, dt.datetime(2026, 3, 9, 8, 30, tzinfo=tz)) == 2.0  # weekend out
    # the inverse of add_working_hours, from a moment given in another zone or none
    for hours in (0.5, 3, 8, 13.25, 41):
        due = calendar.add_working_hours(dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC), hours)
        assert calendar.working_hours_between(dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC), due) == hours
    naive = dt.datetime(2026, 3, 2, 7, 30)
    assert calendar.working_hours_between(naive, dt.datetime(2026, 3, 2, 8, 30)) == 1.0


def test_working_hours_between_has_the_ten_year_limit():
    tz = timezone.get_default_timezone()
    start = dt.datetime(2030, 1, 2, 8, 0, tzinfo=tz)
    calendar.working_hours_between(start, start + dt.timedelta(days=3660))  # exactly ten years: counted
    with pytest.raises(ValueError):
        calendar.working_hours_between(start, start + dt.timedelta(days=3661))


def test_add_working_hours_reaches_the_last_day_of_the_ten_year_span_and_no_further():
    tz = timezone.get_default_timezone()
    start = dt.datetime(2030, 1, 2, 8, 0, tzinfo=tz)
    while not calendar.is_working_day((start + dt.timedelta(days=3660)).date()):
        start += dt.timedelta(days=1)
    end = start + dt.timedelta(days=3660, hours=1)  # 09:00 on the span's last day, a working day
    hours = calendar.working_hours_between(start, end)
    assert calendar.add_working_hours(start, hours) == end
    with pytest.raises(ValueError):
        calendar.add_working_hours(start, hours + 9)  # past the span's last office hour
