"""Generate realistic demo reports for the 1022 feedback system in bulk (see thongsuot.demo.feedback)."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from thongsuot.demo.feedback import CODE_PREFIX, EVENTS_DEFAULT_LIMIT, delete_demo_reports, generate_reports


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)")


class Command(BaseCommand):
    help = (
        f"Insert demo feedback reports (codes {CODE_PREFIX}-YYMM-NNNNNN) spread over the 168 units, "
        "e.g. --count 160000 --start 2025-07-01 --end 2026-07-01."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many reports")
        parser.add_argument("--start", type=_date, required=True, help="First day (YYYY-MM-DD, included)")
        parser.add_argument("--end", type=_date, required=True, help="Last day (YYYY-MM-DD, excluded)")
        parser.add_argument("--seed", type=int, default=1022, help="Random seed (same seed, same data)")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk insert")
        parser.add_argument(
            "--no-events",
            action="store_true",
            help=f"Skip the timelines (default: written for up to {EVENTS_DEFAULT_LIMIT:,} reports)",
        )
        parser.add_argument("--events", action="store_true", help="Write the timelines even for large counts")
        parser.add_argument("--replace", action="store_true", help="Delete previously generated reports first")
        parser.add_argument("--allow-production", action="store_true", help="Run even with THONGSUOT_ENV=production")

    def handle(self, *args, count, start, end, seed, batch_size, no_events, events, replace, **options):
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError("generate_feedback writes demo data: refused in production (--allow-production)")
        if count < 1 or batch_size < 1:
            raise CommandError("--count and --batch-size must be positive")
        if end <= start:
            raise CommandError("--end must be after --start")
        began = time.perf_counter()
        if replace:
            deleted = delete_demo_reports()
            self.stdout.write(f"Deleted {deleted:,} generated report(s) in {time.perf_counter() - began:.1f} s")
        with_events = False if no_events else (True if events else None)

        def progress(done, total):
            elapsed = time.perf_counter() - began
            rate = done / elapsed if elapsed else 0
            self.stdout.write(f"  {done:>9,} / {total:,}  ({elapsed:6.1f} s, {rate:,.0f} reports/s)")

        created = generate_reports(
            count=count,
            start=start,
            end=end,
            seed=seed,
            batch_size=batch_size,
            progress=progress,
            with_events=with_events,
        )
        total = time.perf_counter() - began
        self.stdout.write(self.style.SUCCESS(f"Generated {created:,} report(s) in {total:.1f} s"))
