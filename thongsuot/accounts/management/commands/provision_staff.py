from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from thongsuot.accounts.models import User
from thongsuot.accounts.provisioning import planning
from thongsuot.accounts.provisioning.reading import StaffListError
from thongsuot.accounts.services import provisioning_apply, provisioning_preview


class Command(BaseCommand):
    help = "Preview (and with --apply, apply) a staff list, acting as the given administrator."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="actor", required=True, help="e-mail of the administrator acting")
        parser.add_argument("--apply", action="store_true", help="apply the list after the preview")
        parser.add_argument("--deactivate-missing", action="store_true", help="deactivate staff not on the list")
        parser.add_argument("--skip-errors", action="store_true", help="apply the valid rows even if others fail")

    def handle(self, *args, file, actor, apply, deactivate_missing, skip_errors, **options):
        user = User.objects.filter(email=actor.lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {actor}")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            batch, plan = provisioning_preview(
                uploader=user, data=file.read_bytes(), filename=file.name, deactivate_missing=deactivate_missing
            )
        except (StaffListError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        for row in plan.rows:
            if row.action != planning.UNCHANGED:
                detail = "; ".join(row.errors) or ", ".join(row.changes)
                self.stdout.write(f"{row.line:>6} {row.action:<10} {row.email:<40} {row.organisation_name} {detail}")
        self.stdout.write(f"batch {batch.pk}: {plan.summary}")
        if apply:
            try:
                plan = provisioning_apply(actor=user, batch=batch, skip_errors=skip_errors)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(self.style.SUCCESS(f"applied: {plan.summary}"))
