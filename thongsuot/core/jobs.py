"""Queueing background jobs (django-tasks) so that they run only once the current transaction commits."""

from functools import partial

from django.db import router, transaction


def on_commit(task, *args, **kwargs) -> None:
    """Queue `task` so that it runs only once the current transaction has committed. With the database
    task backend the job row is written inside that transaction: it commits or rolls back with the
    change, and the worker only ever sees committed rows (no separate INSERT and COMMIT afterwards).
    Other backends (the in-process one of the tests, a message broker) are called after the commit."""
    if _queues_in_transaction(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def _queues_in_transaction(task) -> bool:
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return transaction.get_connection(router.db_for_write(DBTaskResult)).in_atomic_block
