"""Gapless number series (thongsuot.core.numbering): in order, per period, no gap after a rollback, and on
PostgreSQL no duplicate and no gap among 50 concurrent callers."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from thongsuot.core import services
from thongsuot.core.models import AuditEntry, NumberCounter, Term
from thongsuot.core.numbering import current_number, day_period, next_number, term_period, year_period

UBND = "000.00.00.H29"


def _take(**keys) -> int:
    with transaction.atomic():
        return next_number(**keys)


def test_numbers_follow_one_another_per_series_scope_and_period(db):
    keys = {"series": "outgoing:QĐ", "scope": UBND, "period": "2026"}
    assert [_take(**keys) for _ in range(3)] == [1, 2, 3]
    assert _take(**{**keys, "series": "outgoing:CV"}) == 1  # another series
    assert _take(**{**keys, "scope": "001.00.00.H29"}) == 1  # another agency
    assert _take(**{**keys, "period": "2027"}) == 1  # a new year starts from 01
    assert _take(**keys) == 4
    assert current_number(**keys) == 4 and NumberCounter.objects.count() == 4


def test_a_rolled_back_record_gives_its_number_back(db):
    keys = {"series": "incoming", "scope": UBND, "period": "2026"}
    assert _take(**keys) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(**keys) == 2
        raise RuntimeError("the record failed")
    assert _take(**keys) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_number_is_only_taken_inside_the_records_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        next_number(series="incoming", scope=UBND, period="2026")


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"series": "", "scope": UBND, "period": "2026"}, "series"),
        ({"series": "x", "scope": " ", "period": "2026"}, "scope"),
        ({"series": "x", "scope": UBND, "period": "9" * 61}, "period"),
    ],
)
def test_bad_keys_are_refused_naming_the_field(db, keys, field):
    with pytest.raises(ValidationError) as error, transaction.atomic():
        next_number(**keys)
    assert field in error.value.message_dict
    assert not NumberCounter.objects.exists()


def test_keys_as_long_as_their_columns_are_accepted_and_an_unused_series_stands_at_zero(db):
    longest = {name: "9" * NumberCounter._meta.get_field(name).max_length for name in ("series", "scope", "period")}
    assert current_number(**longest) == 0  # nothing given yet: a register shows 0, not 1
    assert _take(**longest) == 1 and current_number(**longest) == 1


def test_the_unique_constraint_is_the_backstop(db):
    NumberCounter.objects.create(series="s", scope="u", period="2026", value=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        NumberCounter.objects.create(series="s", scope="u", period="2026", value=1)


def test_year_and_day_periods_are_the_citys():
    late_night_utc = datetime(2025, 12, 31, 18, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 on 1 January in the city
    assert year_period(late_night_utc) == "2026"
    assert day_period(late_night_utc) == "2026-01-01"
    assert year_period(date(2025, 12, 31)) == "2025" and day_period(date(2025, 7, 1)) == "2025-07-01"


def test_a_party_bodys_documents_number_per_term_and_congress(centre_admin):
    body = "TU"
    services.term_save(
        actor=centre_admin, body=body, key="2020-2025", starts=date(2020, 10, 16), ends=date(2025, 10, 15)
    )
    services.term_save(actor=centre_admin, body=body, key="2025-2030", starts=date(2025, 10, 16))
    services.term_save(
        actor=centre_admin,
        body=body,
        key="I",
        kind=Term.Kind.CONGRESS,
        starts=date(2025, 10, 13),
        ends=date(2025, 10, 15),
    )
    assert term_period(body=body, on=date(2025, 10, 15)) == "term:2020-2025"  # the closing day of the congress
    assert term_period(body=body, on=date(2025, 10, 16)) == "term:2025-2030"  # the day after
    assert term_period(body=body, on=date(2029, 1, 1)) == "term:2025-2030"  # the current term has no end yet
    assert term_period(body=body, on=date(2025, 10, 14), kind=Term.Kind.CONGRESS) == "congress:I"
    with pytest.raises(ValidationError) as error:
        term_period(body=body, on=date(2019, 1, 1))
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        term_period(body="DU-other", on=date(2026, 1, 1))
    assert error.value.message_dict["date"] == ["Không có nhiệm kỳ nào của DU-other bao gồm ngày 01/01/2026."]
    # Numbers restart with the term, not with the year
    old = term_period(body=body, on=date(2025, 3, 1))
    new = term_period(body=body, on=date(2026, 3, 1))
    assert [_take(series="NQ", scope=body, period=old) for _ in range(2)] == [1, 2]
    assert _take(series="NQ", scope=body, period=new) == 1
    assert _take(series="NQ", scope=body, period=term_period(body=body, on=date(2027, 1, 5))) == 2
    assert AuditEntry.objects.filter(action="core.term.create").count() == 3


def test_terms_do_not_overlap_and_only_administrators_declare_them(centre_admin, ward_admin):
    term = services.term_save(
        actor=centre_admin, body="TU", key="2020-2025", starts=date(2020, 10, 16), ends=date(2025, 10, 15)
    )
    with pytest.raises(ValidationError) as error:
        services.term_save(actor=centre_admin, body="TU", key="2025-2030", starts=date(2025, 10, 15))
    assert "starts" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.term_save(actor=centre_admin, body="TU", key="x", starts=date(2031, 1, 2), ends=date(2031, 1, 1))
    assert "ends" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.term_save(actor=ward_admin, body="TU", key="2025-2030", starts=date(2025, 10, 16))
    assert Term.objects.count() == 1
    services.term_save(
        actor=centre_admin, term=term, body="TU", key="2020-2025", starts=date(2020, 10, 16), ends=date(2025, 10, 14)
    )
    entry = AuditEntry.objects.get(action="core.term.update")
    assert (entry.before["ends"], entry.after["ends"]) == ("2025-10-15", "2025-10-14")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_50_concurrent_callers_get_every_number_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    keys = {"series": "outgoing:QĐ", "scope": UBND, "period": "2026"}
    count = 50
    barrier = threading.Barrier(count)
    numbers, errors = [], []

    def work(index):
        try:
            barrier.wait(30)
            with transaction.atomic():  # each thread: its own connection and transaction
                number = next_number(**keys)
                if index % 10 == 0:  # every tenth caller's record fails: its number is given back
                    raise _Failed
                numbers.append(number)
        except _Failed:
            pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(numbers) == 45
    assert sorted(numbers) == list(range(1, 46))  # no duplicate, no gap
    assert current_number(**keys) == 45


class _Failed(Exception):
    pass
