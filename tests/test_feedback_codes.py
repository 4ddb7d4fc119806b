"""Tracking codes under concurrent submissions (PostgreSQL): unique, numbered in order, and no submission
waits for another one's transaction to end."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from thongsuot.feedback.services.intake import next_code

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def far_month():
    """A month of its own (its sequence is created here, and dropped afterwards)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    when = timezone.now() + timedelta(days=3650)
    yield when
    name = f"feedback_code_pa_{timezone.localtime(when):%y%m}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SEQUENCE IF EXISTS {connection.ops.quote_name(name)}")


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def test_the_first_codes_of_a_month_taken_at_once_are_unique_and_in_order(far_month):
    def work(_index):
        codes = []
        for _ in range(10):
            with transaction.atomic():
                codes.append(next_code(far_month))
        return codes

    codes = [code for batch in _in_threads(4, work) for code in batch]
    assert len(set(codes)) == 40
    assert sorted(int(code[-6:]) for code in codes) == list(range(1, 41))


def test_a_submission_does_not_wait_for_another_to_commit(far_month):
    with transaction.atomic():
        next_code(far_month)  # the month's sequence exists from here on
    numbered, release = threading.Event(), threading.Event()

    def work(index):
        with transaction.atomic():
            if index == 0:
                code = next_code(far_month)
                numbered.set()
                return code, release.wait(10)  # still open while the other one numbers
            assert numbered.wait(10)
            code = next_code(far_month)  # would wait here for the first to commit with a locked counter row
            release.set()
            return code, True

    results = _in_threads(2, work)
    assert all(in_time for _code, in_time in results), "the second submission waited for the first"
    assert len({code for code, _in_time in results}) == 2
