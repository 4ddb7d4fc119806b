"""Enqueue the periodic jobs of settings.PERIODIC_TASKS on their schedule; the task workers run them.

    manage.py run_periodic            # loop (what `make run` starts)
    manage.py run_periodic --once     # enqueue every periodic job now and exit (for cron or a systemd timer)

Every periodic job is idempotent, so a second scheduler, or a run missed and caught up, does no harm.

It also watches the queues of settings.WATCHED_QUEUES every second: while one holds work and no job of its
own is waiting or running, it queues that queue's job (how the citizens' submissions get registered even
when the job their submission queued was lost).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue the periodic background jobs (settings.PERIODIC_TASKS) on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue every periodic job once and exit")

    def handle(self, *args, once=False, **options):
        jobs = [(import_string(path), minutes * 60) for path, minutes in settings.PERIODIC_TASKS]
        watched = [(import_string(check), import_string(path)) for check, path in settings.WATCHED_QUEUES]
        running: dict = {}
        due = {task: 0.0 for task, _ in jobs}
        while True:
            if not once:
                self.watch(watched, running)
            now = time.monotonic()
            for task, every in jobs:
                if once or now >= due[task]:
                    result = task.enqueue()
                    self.stdout.write(f"enqueued {task.module_path} ({result.id})")
                    due[task] = now + every
            if once:
                return
            wait = min(due.values()) - time.monotonic()
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
