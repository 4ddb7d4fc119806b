"""Due times of a procedure's dossiers: working days and hours across weekends and Tết, the cut-off hour,
each step's share, and the clock paused while documents are awaited (issue 16, items 1, 3 and 8)."""

import datetime
import decimal
import zoneinfo

import pytest

from thongsuot.core import calendar
from thongsuot.core.models import CalendarDay
from thongsuot.procedures import deadlines
from thongsuot.procedures.models import Procedure

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


def procedure(amount, unit, cutoff=None, steps=None):
    return Procedure(
        code="1.001193",
        name="Thủ tục thử",
        field="Hộ tịch",
        time_amount=decimal.Decimal(amount),
        time_unit=unit,
        cutoff_hour=cutoff,
        result="Kết quả",
        steps=steps or [],
    )


DAYS, HOURS = Procedure.TimeUnit.WORKING_DAYS, Procedure.TimeUnit.WORKING_HOURS
BIRTH_STEPS = [
    {"name": "Tiếp nhận", "body": "commune", "role": "one_stop_officer", "share": 10},
    {"name": "Thẩm định", "body": "commune", "role": "specialist", "share": 50},
    {"name": "Ký duyệt", "body": "commune", "role": "leader", "share": 30},
    {"name": "Trả kết quả", "body": "commune", "role": "one_stop_officer", "share": 10},
]


def test_working_days_skip_the_weekend():
    # Thursday 2026-03-05 10:00 + 3 working days → Tuesday 10:00 (Sat/Sun off)
    assert deadlines.due_at(procedure(3, DAYS), at(2026, 3, 5, 10, 0)) == at(2026, 3, 10, 10, 0)


def test_working_days_skip_tet():
    # Friday 13 Feb 2026 09:00; Tết 16–20 Feb; 24 office hours: 6.5 on Friday, 8 + 8 on 23–24 Feb, 1.5 on the 25th
    assert deadlines.due_at(procedure(3, DAYS), at(2026, 2, 13, 9, 0)) == at(2026, 2, 25, 9, 0)


def test_cutoff_hour_moves_the_start_to_the_next_working_day():
    birth = procedure(8, HOURS, cutoff=datetime.time(15, 0))
    assert deadlines.due_at(birth, at(2026, 3, 3, 14, 0)) == at(2026, 3, 4, 14, 0)  # before 15:00: from now
    assert deadlines.counting_start(birth, at(2026, 3, 3, 15, 0)) == at(2026, 3, 4, 0, 0)
    assert deadlines.due_at(birth, at(2026, 3, 3, 15, 30)) == at(2026, 3, 4, 17, 0)  # after: the whole next day
    assert deadlines.due_at(birth, at(2026, 3, 6, 16, 0)) == at(2026, 3, 9, 17, 0)  # Friday after 15:00 → Monday
    assert deadlines.due_at(birth, at(2026, 3, 7, 9, 0)) == at(2026, 3, 9, 17, 0)  # received on a Saturday
    # without a cut-off hour, a dossier received at 16:00 uses the last office hour of the day
    assert deadlines.due_at(procedure(8, HOURS), at(2026, 3, 3, 16, 0)) == at(2026, 3, 4, 16, 0)


def test_a_day_off_declared_by_an_administrator_counts():
    CalendarDay.objects.create(date=datetime.date(2026, 3, 4), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
    calendar._all_exceptions.clear()
    assert deadlines.due_at(procedure(1, DAYS), at(2026, 3, 3, 9, 0)) == at(2026, 3, 5, 9, 0)


def test_each_step_is_due_at_its_share_of_the_time():
    birth = procedure(8, HOURS, cutoff=datetime.time(15, 0), steps=BIRTH_STEPS)
    due = [step.due_at for step in deadlines.step_due_times(birth, at(2026, 3, 3, 14, 0))]
    assert due == [at(2026, 3, 3, 14, 48), at(2026, 3, 4, 9, 18), at(2026, 3, 4, 13, 12), at(2026, 3, 4, 14, 0)]
    assert due[-1] == deadlines.due_at(birth, at(2026, 3, 3, 14, 0))


def test_the_clock_stops_while_documents_are_awaited():
    assert calendar.working_hours_between(at(2026, 2, 13, 9, 0), at(2026, 2, 23, 9, 0)) == 8.0
    assert calendar.working_hours_between(at(2026, 2, 23, 9, 0), at(2026, 2, 13, 9, 0)) == 0.0
    due = deadlines.due_at(procedure(3, DAYS), at(2026, 2, 13, 9, 0))  # 25 Feb 09:00
    # paused on Monday 23 Feb at 09:00 with 16 office hours left; documents arrive Friday 27 Feb at 07:30
    resumed = deadlines.resumed_due(due, paused_at=at(2026, 2, 23, 9, 0), resumed_at=at(2026, 2, 27, 7, 30))
    assert resumed == at(2026, 3, 2, 17, 0)
    # a pause of no office time (a weekend) changes nothing
    friday_evening, monday_morning = at(2026, 3, 6, 17, 0), at(2026, 3, 9, 7, 30)
    due = deadlines.due_at(procedure(2, DAYS), at(2026, 3, 5, 10, 0))
    assert deadlines.resumed_due(due, paused_at=friday_evening, resumed_at=monday_morning) == due


def test_detail_page_shows_when_a_dossier_received_now_is_due(client):
    from django.core.management import call_command

    call_command("load_procedures", stdout=__import__("io").StringIO())
    response = client.get("/thu-tuc/1.001193.000.00.00.H29/")
    assert response.context["due_at"] > response.context["steps"][0]["due_at"]
    assert 'id="due-now"' in response.content.decode()
