"""Register the citizens' submissions waiting in the queue now, in this process (what the task worker does):
after an outage of the workers, or on a machine that runs none.

    manage.py register_submissions
"""

import time

from django.core.management.base import BaseCommand

from thongsuot.feedback import selectors, services


class Command(BaseCommand):
    help = "Register the citizens' submissions waiting for a worker, now (safe to run beside the workers)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        registered = services.submissions_register_pending(limit=10**9)
        seconds = time.perf_counter() - started
        failed = selectors.pending_submissions_failed()
        self.stdout.write(f"{registered} submission(s) registered in {seconds:.1f} s")
        if failed:
            self.stdout.write(
                self.style.WARNING(f"{failed} submission(s) failed too often: see Pending submissions in the admin")
            )
