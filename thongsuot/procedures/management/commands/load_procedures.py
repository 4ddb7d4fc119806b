import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thongsuot.procedures.services import procedures_load

DATA = Path(__file__).resolve().parents[2] / "data" / "procedures.json"


class Command(BaseCommand):
    help = "Load the catalogue of administrative procedures from a JSON file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA))

    def handle(self, *args, file, **options):
        try:
            records = json.loads(Path(file).read_text(encoding="utf-8"))["procedures"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{file}: {exc}")
        try:
            counts = procedures_load(actor="system", records=records)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages))
        self.stdout.write(
            f"Procedures: {counts['create']} created, {counts['update']} updated, {counts['unchanged']} unchanged."
        )
