from django.core.management.base import BaseCommand

from thongsuot.feedback.tasks import reports_mark_overdue


class Command(BaseCommand):
    help = "Flag 1022 reports past their due date and remind their units (safe to run repeatedly)."

    def handle(self, *args, **options):
        count = reports_mark_overdue.call()
        self.stdout.write(f"{count} report(s) flagged overdue")
