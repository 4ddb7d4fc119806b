from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from thongsuot.conferences import janus_config


class Command(BaseCommand):
    help = "Write Janus' configuration for the first configured media server (default: .run/janus/)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / ".run" / "janus"))
        parser.add_argument("--server", default="", help="The configured server's name (default: the first).")

    def handle(self, *args, folder, server, **options):
        chosen = next((s for s in settings.JANUS_SERVERS if s["name"] == server), None) if server else None
        chosen = dict(chosen or settings.JANUS_SERVERS[0])
        # Janus POSTs its events (joins, leaves, media statistics) to the platform's own API.
        chosen.setdefault("events_url", f"{settings.SITE_URL}/api/v1/conferences/janus/events")
        for path in janus_config.write(chosen, Path(folder)):
            self.stdout.write(str(path))
