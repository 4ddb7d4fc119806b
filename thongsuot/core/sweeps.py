"""The registry of periodic sweeps and watched queues, which `manage.py run_periodic` runs.

Each system declares its own, in a `sweeps.py` module of its app (imported by `registered()` for every
installed app) or from its AppConfig.ready:

    from thongsuot.core import sweeps

    sweeps.register(
        name="documents.overdue",
        task=tasks.documents_mark_overdue,            # a django_tasks task: the workers run it
        minutes=lambda: settings.DOCUMENTS_SWEEP_MINUTES,
        kinds=(sweeps.OVERDUE,),
    )
    sweeps.register_queue(name="documents.incoming", waiting=selectors.incoming_waiting, task=tasks.incoming_take)

A sweep must be idempotent (a second scheduler, or a run missed and caught up, does no harm): flag what
is overdue once, remind once per due date, close once. `run_periodic` enqueues each sweep every `minutes`
and, every second, the task of each watched queue while `waiting()` says work waits and no job of its
own is queued or running.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

OVERDUE = "overdue"
DUE_SOON = "due_soon"
AUTO_CLOSE = "auto_close"
HOUSEKEEPING = "housekeeping"


@dataclass(frozen=True)
class Sweep:
    name: str
    task: object  # a django_tasks Task (has .enqueue() and .module_path)
    minutes: Callable[[], int]
    kinds: tuple[str, ...] = field(default=())

    @property
    def seconds(self) -> int:
        minutes = self.minutes()
        if not isinstance(minutes, int) or minutes < 1:
            raise ValueError(f"sweep {self.name}: minutes must be a whole number of at least 1, not {minutes!r}")
        return minutes * 60


@dataclass(frozen=True)
class Queue:
    name: str
    waiting: Callable[[], bool]
    task: object


_sweeps: dict[str, Sweep] = {}
_queues: dict[str, Queue] = {}


def register(*, name: str, task, minutes: int | Callable[[], int], kinds: tuple[str, ...] = ()) -> Sweep:
    """Declare a sweep. `minutes` may be a function (read when the scheduler starts, so settings apply).
    Registering the same name again replaces it (a module imported twice registers once)."""
    if not name or not hasattr(task, "enqueue"):
        raise ValueError("a sweep needs a name and a task (a django_tasks task)")
    sweep = Sweep(name=name, task=task, minutes=minutes if callable(minutes) else (lambda: minutes), kinds=kinds)
    _sweeps[name] = sweep
    return sweep


def register_queue(*, name: str, waiting: Callable[[], bool], task) -> Queue:
    """Declare a queue the scheduler watches every second (a job that takes the work it holds)."""
    if not name or not hasattr(task, "enqueue"):
        raise ValueError("a watched queue needs a name and a task (a django_tasks task)")
    queue = Queue(name=name, waiting=waiting, task=task)
    _queues[name] = queue
    return queue


def unregister(name: str) -> None:
    _sweeps.pop(name, None)
    _queues.pop(name, None)


def _discover() -> None:
    autodiscover_modules("sweeps")


def registered() -> list[Sweep]:
    """Every sweep of every installed app, by name."""
    _discover()
    return [_sweeps[name] for name in sorted(_sweeps)]


def watched_queues() -> list[Queue]:
    _discover()
    return [_queues[name] for name in sorted(_queues)]


def check_no_settings_lists(app_configs=None, **kwargs):
    """System check: the settings' lists that named feedback's jobs (PERIODIC_TASKS, WATCHED_QUEUES) are
    replaced by this registry; a job still listed there would silently never run."""
    from django.conf import settings
    from django.core.checks import Error

    return [
        Error(
            f"settings.{name} is no longer read: register the job in thongsuot.core.sweeps instead.",
            hint="sweeps.register(name=..., task=..., minutes=...) in your app's sweeps.py",
            id="thongsuot.core.E001",
        )
        for name in ("PERIODIC_TASKS", "WATCHED_QUEUES")
        if hasattr(settings, name)
    ]
