from django.core.management.base import BaseCommand

from thongsuot.directory.services import directory_load


class Command(BaseCommand):
    help = "Load or refresh the directory: the city, its 168 units, departments and Party bodies (idempotent)."

    def handle(self, *args, **options):
        report = directory_load()
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, retired {len(report.retired)}"
        )
