"""Enqueue the sweeps every system registered (thongsuot.core.sweeps) on their schedule; the task workers
run them.

    manage.py run_periodic            # loop (what `make run` starts)
    manage.py run_periodic --once     # enqueue every periodic job now and exit (for cron or a systemd timer)

Every sweep is idempotent, so a second scheduler, or a run missed and caught up, does no harm.

It also watches the registered queues every second: while one holds work and no job of its own is waiting
or running, it queues that queue's job (how the citizens' submissions get registered even when the job
their submission queued was lost).
"""

import time

from django.core.management.base import BaseCommand

from thongsuot.core import sweeps


class Command(BaseCommand):
    help = "Enqueue the registered sweeps (thongsuot.core.sweeps) on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue every periodic job once and exit")

    def handle(self, *args, once=False, **options):
        jobs = [(sweep.name, sweep.task, sweep.seconds) for sweep in sweeps.registered()]
        watched = [(queue.waiting, queue.task) for queue in sweeps.watched_queues()]
        running: dict = {}
        due = {name: 0.0 for name, _task, _every in jobs}
        while True:
            if not once:
                self.watch(watched, running)
            now = time.monotonic()
            for name, task, every in jobs:
                if once or now >= due[name]:
                    result = task.enqueue()
                    self.stdout.write(f"enqueued {name}: {task.module_path} ({result.id})")
                    due[name] = now + every
            if once:
                return
            wait = min(due.values(), default=now + 60) - time.monotonic()
            time.sleep(1.0 if watched else max(1.0, wait))

    def watch(self, watched, running: dict) -> None:
        for check, task in watched:
            previous = running.get(task)
            if previous is not None:
                previous.refresh()
                if not previous.is_finished:
                    continue
            if check():
                running[task] = task.enqueue()
