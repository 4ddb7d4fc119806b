import datetime as dt

import pytest
from django.utils import timezone

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
    with pytest.raises(ValueError):
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
