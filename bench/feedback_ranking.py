"""Benchmark: the ranking of the 168 commune-level units (thongsuot.feedback.stats.unit_ranking) on PostgreSQL.

    python bench/feedback_ranking.py                       # 160,000 reports in one year, then ~1,000,000 in five
    python bench/feedback_ranking.py --year-count 20000 --total 100000 --runs 5     # quick
    python bench/feedback_ranking.py --help

It drops and creates the database of --pg-url (its name must contain "bench"), migrates, loads the directory
and generates reports with the demo generator (thongsuot.demo.feedback.generate_reports):

  phase 1: --year-count reports received in --year (default 160,000 in 2025);
  phase 2: the reports of the four years before it are added, --total in all (default ~1,000,000 in 5 years).

After each phase it runs VACUUM ANALYZE (as autovacuum would after a bulk load) and times, warm (one
unmeasured call first), the median of --runs calls of:

  ranking month   unit_ranking() for one month (--month, default September of --year)
  ranking year    unit_ranking() for the whole year
  baseline        SELECT count(*) of the reports received in the same period: the same-run yardstick;
                  "÷ baseline" expresses the ranking as a multiple of it, which travels between machines.

Targets (from the issue): 300 ms for a month and 1 s for a year. Results: a Markdown table on stdout and in
bench/results/feedback_ranking.md; the query plans of the year ranking in feedback_ranking_explain.txt.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/thongsuot_bench_ranking"
TARGETS_MS = {"month": 300, "year": 1000}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_RANKING_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--year", type=int, default=2025, help="the year of phase 1 (default 2025)")
    parser.add_argument("--month", type=int, default=9, help="the month timed (default 9)")
    parser.add_argument("--year-count", type=int, default=160_000, help="reports in the year (default 160,000)")
    parser.add_argument("--total", type=int, default=1_000_000, help="reports in five years (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed calls per figure; the median is reported")
    parser.add_argument("--skip-five-years", action="store_true", help="stop after phase 1")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a benchmark database name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="thongsuot.settings",
        THONGSUOT_ENV="development",
        AXES_ENABLED="0",
        DEBUG="0",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def median_ms(call, runs: int) -> float:
    call()  # warm: plans, caches, the pages of the table
    times = []
    for _i in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(phase: str, reports: int, periods: dict, runs: int) -> list[dict]:
    from django.db import connection

    from thongsuot.feedback import stats

    rows = []
    for kind, (start, end) in periods.items():
        start_at, end_at = stats.bounds(start, end)

        def baseline(start_at=start_at, end_at=end_at):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM feedback_report WHERE received_at >= %s AND received_at < %s",
                    [start_at, end_at],
                )
                return cursor.fetchone()[0]

        ranking = stats.unit_ranking(start=start, end=end)
        assert len(ranking) == 168, len(ranking)
        received = sum(r.received for r in ranking)
        rank_ms = median_ms(lambda start=start, end=end: stats.unit_ranking(start=start, end=end), runs)
        base_ms = median_ms(baseline, runs)
        rows.append(
            {
                "phase": phase,
                "reports": reports,
                "period": kind,
                "from": start,
                "to": end,
                "in_period": baseline(),
                "units_received": received,
                "ranked": sum(1 for r in ranking if r.rank),
                "ranking_ms": rank_ms,
                "baseline_ms": base_ms,
                "ratio": rank_ms / base_ms if base_ms else float("nan"),
                "target_ms": TARGETS_MS[kind],
            }
        )
        print(
            f"  {phase} {kind}: ranking {rank_ms:.1f} ms, count(*) {base_ms:.1f} ms "
            f"({rows[-1]['in_period']:,} reports in the period)",
            flush=True,
        )
    return rows


def explain(periods: dict, out: Path, title: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query the year ranking sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thongsuot.feedback import stats

    start, end = periods["year"]
    with CaptureQueriesContext(connection) as captured:
        stats.unit_ranking(start=start, end=end)
    with out.open("a", encoding="utf-8") as fh, connection.cursor() as cursor:
        fh.write(f"\n## {title}: {len(captured.captured_queries)} queries\n")
        for query in captured.captured_queries:
            sql = query["sql"]
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            fh.write(f"\n-- {query['time']} s\n{sql}\n")
            fh.write("\n".join(row[0] for row in cursor.fetchall()) + "\n")


def generate(count: int, start: date, end: date, as_of: datetime, seed: int) -> float:
    from django.db import connection

    from thongsuot.demo.feedback import generate_reports

    started = time.perf_counter()
    last = [0.0]

    def progress(done, total):
        if time.perf_counter() - last[0] > 15 or done == total:
            last[0] = time.perf_counter()
            print(f"    {done:,}/{total:,} ({time.perf_counter() - started:.0f} s)", flush=True)

    generate_reports(count=count, start=start, end=end, seed=seed, progress=progress, with_events=False, as_of=as_of)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feedback_report")
        cursor.execute("VACUUM ANALYZE feedback_reportevent")
    return time.perf_counter() - started


def table(rows: list[dict], meta: dict) -> str:
    lines = [
        "# Ranking of the 168 units: `unit_ranking()` on PostgreSQL",
        "",
        f"{meta['when']} · {meta['machine']} · PostgreSQL {meta['server']} · median of {meta['runs']} warm calls",
        "",
        "| Data | Period | Reports in period | Ranking (ms) | Baseline count(*) (ms) | ÷ baseline | Target | Met |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        period = f"{r['period']} {r['from']:%d/%m/%Y}–{r['to']:%d/%m/%Y}"
        lines.append(
            f"| {r['reports']:,} reports ({r['phase']}) | {period} | {r['in_period']:,} | {r['ranking_ms']:.1f} "
            f"| {r['baseline_ms']:.1f} | {r['ratio']:.1f}× | {r['target_ms']} ms "
            f"| {'yes' if r['ranking_ms'] <= r['target_ms'] else '**no**'} |"
        )
    lines += ["", *[f"- {note}" for note in meta["notes"]], ""]
    return "\n".join(lines)


def main():
    args = parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    recreate_database(args.pg_url)
    setup_django(args.pg_url)
    from zoneinfo import ZoneInfo

    from django.core.management import call_command
    from django.db import connection

    from thongsuot.directory.services import directory_load
    from thongsuot.feedback import stats

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    explain_path = RESULTS_DIR / "feedback_ranking_explain.txt"
    explain_path.write_text("# Query plans of unit_ranking() for the year\n", encoding="utf-8")
    notes = []
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        directory_load()
        print(f"migrated and loaded the directory in {time.perf_counter() - started:.0f} s", flush=True)
        year = args.year
        as_of = datetime(year + 1, 1, 1, tzinfo=zone)
        month = stats.month_period(year, args.month)
        periods = {"month": (month.start, month.end), "year": (date(year, 1, 1), date(year, 12, 31))}

        print(f"phase 1: {args.year_count:,} reports in {year}", flush=True)
        seconds = generate(args.year_count, date(year, 1, 1), date(year + 1, 1, 1), as_of, seed=1022)
        notes.append(f"Phase 1: generated {args.year_count:,} reports in {year} in {seconds:.0f} s.")
        rows = measure("1 year", args.year_count, periods, args.runs)
        explain(periods, explain_path, f"{args.year_count:,} reports")

        if not args.skip_five_years and args.total > args.year_count:
            extra = args.total - args.year_count
            print(f"phase 2: {extra:,} more reports in {year - 4}–{year - 1}", flush=True)
            seconds = generate(extra, date(year - 4, 1, 1), date(year, 1, 1), as_of, seed=1023)
            notes.append(f"Phase 2: generated {extra:,} more reports in {year - 4}–{year - 1} in {seconds:.0f} s.")
            rows += measure("5 years", args.total, periods, args.runs)
            explain(periods, explain_path, f"{args.total:,} reports")

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('feedback_report'))")
            size = cursor.fetchone()[0]
        notes += [
            f"Table feedback_report with its indexes: {size}.",
            "Generated without timeline events (with_events=False); VACUUM ANALYZE after each load.",
            "Ranking = every query of unit_ranking(): the 168 units, one grouped aggregate with conditional "
            "counts and percentile_cont (median, 90th percentile), the returns, the labels; and the score in Python.",
        ]
        meta = {
            "when": datetime.now(zone).strftime("%d/%m/%Y %H:%M"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
            "server": server,
            "runs": args.runs,
            "notes": notes,
        }
        markdown = table(rows, meta)
        print()
        print(markdown)
        (RESULTS_DIR / "feedback_ranking.md").write_text(markdown, encoding="utf-8")
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.pg_url)


if __name__ == "__main__":
    main()
