"""PostgreSQL-only SQL in migrations (core.migration_operations) and what the three migrations using it
leave in the database."""

from types import SimpleNamespace

import pytest
from django.db import connection

from thongsuot.core.migration_operations import postgresql_only


def _run(operation, direction: str, vendor: str) -> list[str]:
    executed: list[str] = []
    editor = SimpleNamespace(connection=SimpleNamespace(vendor=vendor), execute=executed.append)
    code = operation.code if direction == "forwards" else operation.reverse_code
    code(None, editor)
    return executed


def test_the_sql_runs_on_postgresql_only_each_way():
    operation = postgresql_only("CREATE X", "DROP X")
    assert _run(operation, "forwards", "postgresql") == ["CREATE X"]
    assert _run(operation, "backwards", "postgresql") == ["DROP X"]
    assert _run(operation, "forwards", "sqlite") == [] and _run(operation, "backwards", "sqlite") == []
    assert operation.reversible


@pytest.mark.postgres_only
def test_on_postgresql_the_migrations_left_their_trigger_function_and_unlogged_table(db):
    if connection.vendor != "postgresql":
        pytest.skip("these objects exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'feedback_submissionmark'")
        assert cursor.fetchone() == ("u",)
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditentry_append_only'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT count(*) FROM pg_proc WHERE proname IN ('feedback_submission_accept', 'feedback_keys_lock')"
        )
        assert cursor.fetchone() == (2,)
