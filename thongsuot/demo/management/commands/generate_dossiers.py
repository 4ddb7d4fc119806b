"""A small preset of demo dossiers (see thongsuot.demo.procedures): development machines only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from thongsuot.demo.procedures import dossiers_exist, generate_dossiers


class Command(BaseCommand):
    help = "Demo dossiers received over the last working days at three wards, through the services."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60)
        parser.add_argument("--days", type=int, default=20, help="Working days back from today")
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--force", action="store_true", help="Add them even when dossiers exist")

    def handle(self, *args, count, days, seed, force, **options):
        if settings.PRODUCTION:
            raise CommandError("generate_dossiers is for development machines only")
        if dossiers_exist() and not force:
            self.stdout.write("Dossiers exist already: nothing done (--force adds more).")
            return
        made = generate_dossiers(count=count, days=days, seed=seed)
        self.stdout.write(f"{made} demo dossiers.")
