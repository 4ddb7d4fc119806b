from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thongsuot.directory.models import Organisation
from thongsuot.feedback.open311.services import open311_client_create


class Command(BaseCommand):
    help = "Create an Open311 client and print its new api_key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the application's name")
        parser.add_argument("--organisation", default="", help="electronic identifier of the owning organisation")
        parser.add_argument("--email", default="", help="the developer's contact email")

    def handle(self, *args, name, organisation, email, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(code=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with identifier {organisation}")
        try:
            client, raw = open311_client_create(
                actor="manage.py open311_key", name=name, organisation=org, contact_email=email
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stderr.write(f"Open311 client {client.name} (prefix {client.prefix}) created; the key is shown only once:")
        self.stdout.write(raw)
