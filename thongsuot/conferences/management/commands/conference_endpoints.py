from django.core.management.base import BaseCommand

from thongsuot.conferences.services import endpoints_sync


class Command(BaseCommand):
    help = "Create an endpoint for every unit and department that has none, and the built-in groups (idempotent)."

    def handle(self, *args, **options):
        result = endpoints_sync(actor="system")
        self.stdout.write(f"{result['created']} endpoints created, {result['endpoints']} in all")
