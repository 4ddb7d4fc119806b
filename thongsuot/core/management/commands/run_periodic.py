"""Enqueue the periodic jobs of settings.PERIODIC_TASKS on their schedule; the task workers run them.

    manage.py run_periodic            # loop (what `make run` starts)
    manage.py run_periodic --once     # enqueue every periodic job now and exit (for cron or a systemd timer)

Every periodic job is idempotent, so a second scheduler, or a run missed and caught up, does no harm.
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
        due = {task: 0.0 for task, _ in jobs}
        while True:
            now = time.monotonic()
            for task, every in jobs:
                if once or now >= due[task]:
                    result = task.enqueue()
                    self.stdout.write(f"enqueued {task.module_path} ({result.id})")
                    due[task] = now + every
            if once:
                return
            time.sleep(max(1.0, min(due.values()) - time.monotonic()))
