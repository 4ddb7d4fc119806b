"""The sweep registry (thongsuot.core.sweeps) and the scheduler that runs it (`manage.py run_periodic`)."""

import pytest
from django.core.management import call_command
from django_tasks import task

from thongsuot.core import sweeps
from thongsuot.core.management.commands import run_periodic

calls = []


@task()
def count_a_call() -> int:
    calls.append("run")
    return len(calls)


@pytest.fixture
def test_sweep():
    calls.clear()
    sweep = sweeps.register(name="tests.every_minute", task=count_a_call, minutes=1, kinds=(sweeps.OVERDUE,))
    yield sweep
    sweeps.unregister("tests.every_minute")
    calls.clear()


def test_each_system_declares_its_sweeps_and_queues(settings):
    settings.FEEDBACK_SWEEP_MINUTES = 7
    by_name = {sweep.name: sweep for sweep in sweeps.registered()}
    feedback = by_name["feedback.deadlines"]
    assert feedback.task.module_path == "thongsuot.feedback.tasks.feedback_sweep"
    assert feedback.seconds == 7 * 60  # read from the settings when the scheduler starts
    assert {sweeps.OVERDUE, sweeps.DUE_SOON, sweeps.AUTO_CLOSE} <= set(feedback.kinds)
    queues = {queue.name: queue for queue in sweeps.watched_queues()}
    assert (
        queues["feedback.submissions"].task.module_path
        == "thongsuot.feedback.services.submissions.submissions_register_job"
    )


def test_a_sweep_needs_a_task_and_a_sensible_period():
    with pytest.raises(ValueError):
        sweeps.register(name="tests.bad", task=lambda: None, minutes=5)
    sweep = sweeps.register(name="tests.zero", task=count_a_call, minutes=0)
    try:
        with pytest.raises(ValueError, match="tests.zero"):
            sweep.seconds  # noqa: B018 - the check is in the property
    finally:
        sweeps.unregister("tests.zero")


def test_run_periodic_once_enqueues_every_registered_sweep(db, test_sweep, capsys):
    call_command("run_periodic", "--once")  # the test profile runs tasks at once
    out = capsys.readouterr().out
    assert "tests.every_minute: tests.test_core_sweeps.count_a_call" in out
    assert "feedback.deadlines: thongsuot.feedback.tasks.feedback_sweep" in out
    assert calls == ["run"]


def test_the_loop_enqueues_each_sweep_on_its_own_period(db, test_sweep, monkeypatch, settings, capsys):
    settings.FEEDBACK_SWEEP_MINUTES = 15
    clock = [1000.0]

    class Stop(Exception):
        pass

    def sleep(seconds):
        clock[0] += seconds
        if clock[0] > 1000 + 30 * 60:  # half an hour of the scheduler's time
            raise Stop

    monkeypatch.setattr(run_periodic.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(run_periodic.time, "sleep", sleep)
    monkeypatch.setattr(run_periodic.Command, "watch", lambda self, watched, running: None)
    command = run_periodic.Command()
    with pytest.raises(Stop):
        command.handle(once=False)
    assert 30 <= len(calls) <= 31  # every minute
    assert 2 <= capsys.readouterr().out.count("enqueued feedback.deadlines") <= 3  # every 15 minutes


def test_a_job_left_in_the_old_settings_lists_is_an_error(settings):
    assert sweeps.check_no_settings_lists() == []
    settings.PERIODIC_TASKS = [("thongsuot.feedback.tasks.feedback_sweep", 15)]
    assert [error.id for error in sweeps.check_no_settings_lists()] == ["thongsuot.core.E001"]
