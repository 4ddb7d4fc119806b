"""Administrators' exceptions to the working-day calendar: validation, audit, access, effect on deadlines."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from thongsuot.core import services
from thongsuot.core.calendar import add_working_days, is_working_day
from thongsuot.core.models import AuditEntry, CalendarDay

SATURDAY = datetime.date(2026, 12, 5)
FRIDAY = datetime.date(2026, 12, 4)
NATIONAL_DAY = datetime.date(2026, 9, 2)


def test_a_compensatory_working_saturday_counts_in_deadlines(centre_admin):
    assert add_working_days(FRIDAY, 1) == datetime.date(2026, 12, 7)
    services.calendar_day_set(actor=centre_admin, day=SATURDAY, kind="working", reason="Làm bù cho ngày 2/1")
    assert is_working_day(SATURDAY)
    assert add_working_days(FRIDAY, 1) == SATURDAY
    entry = AuditEntry.objects.get(action="calendar.day.create")
    assert entry.after == {"date": "2026-12-05", "kind": "working", "reason": "Làm bù cho ngày 2/1"}


def test_an_extra_day_off_then_removed(centre_admin):
    entry = services.calendar_day_set(actor=centre_admin, day=FRIDAY, kind="off", reason="Nghỉ bù")
    assert not is_working_day(FRIDAY)
    services.calendar_day_set(actor=centre_admin, day=FRIDAY, kind="off", reason="Nghỉ bù theo quyết định 12")
    assert AuditEntry.objects.get(action="calendar.day.update").before["reason"] == "Nghỉ bù"
    services.calendar_day_remove(actor=centre_admin, entry=entry)
    assert is_working_day(FRIDAY) and not CalendarDay.objects.exists()
    assert AuditEntry.objects.get(action="calendar.day.delete").before["kind"] == "off"


@pytest.mark.parametrize(
    ("day", "kind", "reason", "field"),
    [
        (FRIDAY, "working", "x", "kind"),  # already a working day
        (SATURDAY, "off", "x", "kind"),  # already a day off
        (NATIONAL_DAY, "off", "x", "kind"),  # a public holiday already
        (FRIDAY, "holiday", "x", "kind"),
        (FRIDAY, "off", "  ", "reason"),
        (datetime.date(1999, 1, 4), "off", "x", "date"),
        ("2026-12-04", "off", "x", "date"),
    ],
)
def test_errors_name_the_field_and_write_nothing(centre_admin, day, kind, reason, field):
    with pytest.raises(ValidationError) as exc:
        services.calendar_day_set(actor=centre_admin, day=day, kind=kind, reason=reason)
    assert field in exc.value.message_dict
    assert not CalendarDay.objects.exists() and not AuditEntry.objects.filter(action__startswith="calendar").exists()


def test_only_platform_administrators(ward_admin, city_leader, dispatcher):
    for actor in (ward_admin, city_leader, dispatcher):
        with pytest.raises(PermissionDenied):
            services.calendar_day_set(actor=actor, day=SATURDAY, kind="working", reason="x")


def test_page(client, login, centre_admin, ward_admin):
    assert login(ward_admin).get("/lich-lam-viec/").status_code == 403
    admin = login(centre_admin)
    page = admin.get("/lich-lam-viec/?year=2026").content.decode()
    assert "02/09/2026" in page and "17/02/2026" in page  # National Day, Tết
    response = admin.post("/lich-lam-viec/", {"day": "05/12/2026", "kind": "working", "reason": "Làm bù"})
    assert response.status_code == 302 and is_working_day(SATURDAY)
    refused = admin.post("/lich-lam-viec/", {"day": "04/12/2026", "kind": "working", "reason": "x"})
    assert refused.status_code == 200 and "đã là ngày làm việc" in refused.content.decode()
    entry = CalendarDay.objects.get()
    assert admin.post("/lich-lam-viec/", {"remove": entry.pk}).status_code == 302
    assert not CalendarDay.objects.exists()


def test_page_names_holidays_in_the_active_language_with_dd_mm_yyyy_dates(client, login, centre_admin):
    admin = login(centre_admin)
    page = admin.get("/lich-lam-viec/?year=2026").content.decode()  # Vietnamese by default
    assert "Tết Dương lịch" in page and "Quốc khánh" in page
    assert "thay cho ngày 22/08/2026" in page
    assert "New Year" not in page and "08/22/2026" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin.get("/lich-lam-viec/?year=2026").content.decode()
    assert "New Year&#x27;s Day" in page and "substituted from 22/08/2026" in page
    assert "08/22/2026" not in page
