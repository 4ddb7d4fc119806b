"""Benchmark: configuring 10,000 staff accounts from one staff list, on SQLite and on PostgreSQL.

    python bench/provisioning.py                      # both engines, CSV and XLSX (what `make bench` runs)
    python bench/provisioning.py --engines sqlite --formats csv --rows 2000
    python bench/provisioning.py --profile            # adds a cProfile pass; stats go to bench/results/

The main process creates a fresh database for every run (a temporary SQLite file, or the PostgreSQL
database named in --pg-url, created and dropped here) and starts this same script as a child with
`--engine`, so each run has clean settings and its own ru_maxrss. The child migrates, loads the
directory, creates a platform administrator, generates the staff list (deterministic: same seed, same
bytes on every engine) and measures, through the real services:

  parse      read_staff_list() of the CSV alone: the same-run baseline (best of 7)
  preview    provisioning_preview() on a fresh database (every row a "create")
  apply      provisioning_apply() of that batch: 10,000 accounts, their roles, audit entries and,
             on commit, the activation-email jobs (one per 200 accounts) in django-tasks' database backend
  re-preview / re-apply   the same file again: every row must be "unchanged"

Each (engine, format) is run twice: a timing pass without tracemalloc (its ru_maxrss is the process's
resident high-water mark) and a memory pass under tracemalloc, because tracing slows Python code down
and would distort the times. Results: a Markdown table on stdout and in bench/results/provisioning.md.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/thongsuot_bench"
TARGET_APPLY_SECONDS = 60
TARGET_PEAK_MB = 500
CENTRE_CODE = "000.05.05.H29"  # the Digital Transformation Centre, home of platform administrators

# --- A realistic staff list ------------------------------------------------------------------------------

# Family names with roughly their share in southern Vietnam (percent).
FAMILY_NAMES = {
    "Nguyễn": 31, "Trần": 11, "Lê": 9, "Phạm": 7, "Huỳnh": 5, "Hoàng": 2, "Võ": 4, "Vũ": 2, "Phan": 4,
    "Trương": 2, "Bùi": 2, "Đặng": 2, "Đỗ": 2, "Ngô": 1.5, "Hồ": 1.5, "Dương": 1.5, "Đinh": 1, "Lý": 1,
    "Mai": 1, "Đoàn": 1, "Lâm": 1, "Tô": 0.5, "Châu": 0.5, "Tạ": 0.5, "Lương": 0.5, "La": 0.3, "Quách": 0.3,
}  # fmt: skip
MIDDLE_NAMES = {
    "m": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Hoàng", "Tấn", "Gia", "Trọng", "Ngọc"],
    "f": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Thị Thanh", "Thị Ngọc", "Hoài", "Phương", "Diệu"],
}
GIVEN_NAMES = {
    "m": ["An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang",
          "Khoa", "Kiệt", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quang", "Quân",
          "Sơn", "Tài", "Thắng", "Thành", "Thiện", "Thịnh", "Tín", "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh"],
    "f": ["Anh", "Ánh", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
          "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhi", "Nhung", "Oanh", "Phương",
          "Quyên", "Tâm", "Thảo", "Thư", "Thủy", "Tiên", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến"],
}  # fmt: skip
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
                   "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096",
                   "097", "098"]  # fmt: skip
# How units write roles: codes, Vietnamese names, sometimes two roles in one cell.
ROLE_LABELS = {
    "leader": ["Lãnh đạo", "leader"],
    "unit_admin": ["Quản trị đơn vị", "unit_admin"],
    "clerk": ["Văn thư", "clerk"],
    "one_stop_officer": ["Cán bộ một cửa", "Một cửa", "one_stop_officer"],
    "feedback_handler": ["Xử lý 1022", "Cán bộ 1022", "feedback_handler"],
    "specialist": ["Chuyên viên", "specialist"],
}
# One unit's staff: (role codes, positions to choose from, how many).
UNIT_STAFF = [
    (["leader"], ["Chủ tịch UBND"], 1),
    (["leader"], ["Phó Chủ tịch UBND"], 2),
    (["leader", "specialist"], ["Chánh Văn phòng HĐND và UBND"], 1),
    (["unit_admin", "specialist"], ["Chuyên viên CNTT", "Chuyên viên chuyển đổi số"], 1),
    (["unit_admin"], ["Chuyên viên CNTT"], 1),
    (["clerk"], ["Văn thư", "Văn thư - Lưu trữ"], 2),
    (["one_stop_officer"], ["Công chức Trung tâm Phục vụ hành chính công", "Cán bộ tiếp nhận hồ sơ"], 10),
    (["feedback_handler"], ["Chuyên viên tiếp nhận 1022"], 2),
    (["feedback_handler", "specialist"], ["Chuyên viên Văn phòng HĐND và UBND"], 1),
]
SPECIALIST_POSITIONS = [
    "Chuyên viên Văn phòng HĐND và UBND",
    "Chuyên viên Phòng Kinh tế",
    "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị",
    "Chuyên viên Phòng Văn hóa - Xã hội",
    "Công chức Tư pháp - Hộ tịch",
    "Công chức Địa chính - Xây dựng",
    "Công chức Tài chính - Kế toán",
    "Chuyên viên",
]
HEADER = ["STT", "Họ và tên", "Email", "Số điện thoại", "Chức vụ", "Vai trò", "Đơn vị"]


def _person(rng: random.Random) -> str:
    family = rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]
    sex = rng.choice("mf")
    return f"{family} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"


def _ascii(text: str) -> str:
    from thongsuot.core.text import fold

    return "".join(ch for ch in fold(text) if ch.isalnum())


def _email(full_name: str, unit_name: str, taken: set[str]) -> str:
    """Government style: given name + initials . unit @ domain, numbered when taken ("hungnv2.benthanh@...")."""
    parts = full_name.split()
    local = _ascii(parts[-1]) + "".join(_ascii(p)[:1] for p in parts[:-1])
    unit = _ascii(unit_name.removeprefix("Phường ").removeprefix("Xã ").removeprefix("Đặc khu "))
    for n in range(1, 1000):
        email = f"{local}{n if n > 1 else ''}.{unit}@tphcm.gov.vn"
        if email not in taken:
            taken.add(email)
            return email
    raise RuntimeError("ran out of emails")


def _phone(rng: random.Random, taken: set[str]) -> str:
    """A unique mobile number, written the ways people write them (spaces, dots, +84)."""
    while True:
        digits = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        if digits not in taken:
            taken.add(digits)
            break
    style = rng.random()
    if style < 0.6:
        return digits
    if style < 0.8:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style < 0.9:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return "+84 " + digits[1:]


def staff_rows(units: list, total: int, seed: int) -> list[list[str]]:
    """`total` staff spread as evenly as possible over `units` (Organisation objects), header first."""
    rng = random.Random(seed)
    per_unit = [total // len(units)] * len(units)
    for index in rng.sample(range(len(units)), total % len(units)):
        per_unit[index] += 1
    emails: set[str] = set()
    phones: set[str] = set()
    rows = [HEADER]
    for unit, count in zip(units, per_unit, strict=True):
        plan = [(roles, positions) for roles, positions, n in UNIT_STAFF for _ in range(n)]
        plan = plan[:count] + [(["specialist"], SPECIALIST_POSITIONS)] * max(0, count - len(plan))
        # Units name themselves in the list by name mostly, sometimes by electronic identifier.
        unit_label = unit.code if rng.random() < 0.3 else unit.name
        for roles, positions in plan:
            full_name = _person(rng)
            role_cell = ", ".join(rng.choice(ROLE_LABELS[r]) for r in roles)
            phone = _phone(rng, phones) if rng.random() < 0.97 else ""
            email = _email(full_name, unit.name, emails)
            rows.append([str(len(rows)), full_name, email, phone, rng.choice(positions), role_cell, unit_label])
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    """Excel's "CSV UTF-8": UTF-8 with a byte-order mark, CRLF line ends."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list[str]]) -> bytes:
    """An .xlsx workbook via openpyxl; every cell is text (so phone numbers keep their leading 0)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách cán bộ")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- The child: one engine, one format, one pass -----------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class Phase:
    """Times a block; under --memory also its tracemalloc peak (allocations made inside the block only)."""

    def __init__(self, result: dict, name: str, *, memory: bool, profile_to: Path | None = None):
        self.result, self.name, self.memory, self.profile_to = result, name, memory, profile_to

    def __enter__(self):
        if self.profile_to:
            import cProfile

            self.profiler = cProfile.Profile()
        if self.memory:
            tracemalloc.start()
        if self.profile_to:
            self.profiler.enable()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.started
        if self.profile_to:
            self.profiler.disable()
            _write_profile(self.profiler, self.profile_to)
        entry = {"seconds": round(elapsed, 3), "maxrss_mb": round(_rss_mb(), 1)}
        if self.memory:
            entry["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
        self.result["phases"][self.name] = entry
        return False


def _write_profile(profiler, path: Path) -> None:
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write("=== by cumulative time ===\n")
    stats.sort_stats("cumulative").print_stats(40)
    out.write("\n=== by own time ===\n")
    stats.sort_stats("tottime").print_stats(30)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    profiler.dump_stats(path.with_suffix(".prof"))


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _fresh_admin(pk: int):
    from thongsuot.accounts.models import User

    return User.objects.select_related("organisation").get(pk=pk)  # as a new request would load it


def _create_admin():
    from django.utils import timezone

    from thongsuot.accounts.models import Role, User
    from thongsuot.directory.models import Organisation

    user = User(
        username="bench.admin@thongsuot.local",
        email="bench.admin@thongsuot.local",
        full_name="Quản trị Trung tâm (benchmark)",
        position="Kỹ sư vận hành",
        organisation=Organisation.objects.get(code=CENTRE_CODE),
        kind=User.Kind.STAFF,
        activated_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    user.roles.set(Role.objects.filter(code=Role.PLATFORM_ADMIN))
    return user


def _counts() -> dict:
    from django_tasks_db.models import DBTaskResult

    from thongsuot.accounts.models import User
    from thongsuot.core.models import AuditEntry

    return {
        "staff": User.objects.filter(kind=User.Kind.STAFF).count(),
        "user_roles": User.roles.through.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "email_jobs": DBTaskResult.objects.count(),
    }


def _check(plan, expected: dict, what: str) -> None:
    summary = plan.summary
    if any(summary[k] != v for k, v in expected.items()):
        errors = [f"line {r.line}: {'; '.join(r.errors)}" for r in plan.rows if r.errors][:10]
        raise SystemExit(f"{what}: expected {expected}, got {summary}\n" + "\n".join(errors))


def run_child(args) -> None:
    """Measure one engine and one file format on the (empty) database that DATABASE_URL points at."""
    _setup_django()
    import django
    from django.core.management import call_command
    from django.db import connection
    from django_tasks.signals import task_enqueued

    from thongsuot.accounts.provisioning.reading import read_staff_list
    from thongsuot.accounts.services import provisioning_apply, provisioning_preview
    from thongsuot.directory.models import Organisation
    from thongsuot.directory.services import directory_load

    memory = args.pass_ == "memory"
    profile_dir = RESULTS_DIR if args.pass_ == "profile" else None
    result = {"engine": args.engine, "format": args.format, "pass": args.pass_, "rows": args.rows, "phases": {}}

    def phase(name):
        profile_to = profile_dir / f"profile-{args.engine}-{args.format}-{name}.txt" if profile_dir else None
        return Phase(result, name, memory=memory and name != "setup", profile_to=profile_to)

    with phase("setup"):
        call_command("migrate", interactive=False, verbosity=0)
        directory_load()
        admin_pk = _create_admin().pk
    units = list(Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True).order_by("seq"))
    rows = staff_rows(units, args.rows, args.seed)
    csv_data = as_csv(rows)
    data = csv_data if args.format == "csv" else as_xlsx(rows)
    filename = f"danh-sach-can-bo.{args.format}"
    if args.keep_files and args.pass_ == "timing":
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / f"staff-{args.rows}.{args.format}").write_bytes(data)
    del rows

    parse_times = []
    for _ in range(7):
        started = time.perf_counter()
        read_staff_list(csv_data, "danh-sach-can-bo.csv")
        parse_times.append(time.perf_counter() - started)
    result["parse_csv_seconds"] = round(min(parse_times), 4)
    if args.format == "xlsx":
        started = time.perf_counter()
        read_staff_list(data, filename)
        result["parse_xlsx_seconds"] = round(time.perf_counter() - started, 4)

    with phase("preview"):
        batch, plan = provisioning_preview(uploader=_fresh_admin(admin_pk), data=data, filename=filename)
    _check(plan, {"create": args.rows, "error": 0}, "preview")
    enqueued_at = []
    task_enqueued.connect(lambda **kwargs: enqueued_at.append(time.perf_counter()), weak=False)
    with phase("apply"):
        plan = provisioning_apply(actor=_fresh_admin(admin_pk), batch=batch)
    if len(enqueued_at) > 1:  # first to last job, scaled to all n (the first job's own insert is not in the span)
        span = (enqueued_at[-1] - enqueued_at[0]) * len(enqueued_at) / (len(enqueued_at) - 1)
        result["phases"]["apply"]["email_jobs_seconds"] = round(span, 3)
    _check(plan, {"create": args.rows, "error": 0}, "apply")
    result["after_apply"] = _counts()
    with phase("re_preview"):
        batch, plan = provisioning_preview(uploader=_fresh_admin(admin_pk), data=data, filename=filename)
    _check(plan, {"unchanged": args.rows, "create": 0, "update": 0, "error": 0}, "re-preview")
    with phase("re_apply"):
        plan = provisioning_apply(actor=_fresh_admin(admin_pk), batch=batch)
    _check(plan, {"unchanged": args.rows, "create": 0, "update": 0, "error": 0}, "re-apply")
    result["after_re_apply"] = _counts()

    result.update(
        units=len(units),
        file_bytes=len(data),
        file_sha256=hashlib.sha256(data).hexdigest()[:16],
        maxrss_mb=round(_rss_mb(), 1),
        db=f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info))}"
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}",
        django=django.get_version(),
    )
    Path(args.result_file).write_text(json.dumps(result, indent=2), encoding="utf-8")


# --- The main process: fresh databases, children, the table ---------------------------------------------


def _pg_admin_url(url: str) -> tuple[str, str]:
    """(URL of the `postgres` maintenance database, name of the bench database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to create and drop {name!r}: the bench database's name must contain 'bench'")
    return urlunsplit(parts._replace(path="/postgres")), name


def _pg_execute(url: str, *statements: str) -> None:
    import psycopg

    admin_url, _name = _pg_admin_url(url)
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        for sql in statements:
            conn.execute(sql)


def _pg_reachable(url: str) -> bool:
    try:
        _pg_execute(url, "SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}): skipping it", file=sys.stderr)
        return False
    return True


def run_pass(engine: str, fmt: str, pass_: str, args) -> dict:
    """A fresh database, one child process, its JSON result; the database is removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="thongsuot-bench-"))
    result_file = workdir / "result.json"
    if engine == "sqlite":
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        database_url = args.pg_url
        name = _pg_admin_url(database_url)[1]
        _pg_execute(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "thongsuot.settings",
        "THONGSUOT_ENV": "development",
        "AXES_ENABLED": "0",
        "DEBUG": "1" if args.debug else "0",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, __file__, "--engine", engine, "--format", fmt, "--pass", pass_]
    command += ["--rows", str(args.rows), "--seed", str(args.seed), "--result-file", str(result_file)]
    command += ["--keep-files"] if args.keep_files else []
    print(f"  {engine:<8} {fmt:<4} {pass_:<7} ...", end="", flush=True, file=sys.stderr)
    started = time.perf_counter()
    try:
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        result = json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if engine == "postgres":
            _pg_execute(database_url, f'DROP DATABASE IF EXISTS "{_pg_admin_url(database_url)[1]}" WITH (FORCE)')
    print(f" {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return result


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": model,
        "ram_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def _mb(value) -> str:
    return "–" if value is None else f"{value:.0f}"


def median_of(runs: list[dict]) -> dict:
    """Several timing passes as one: the median of each phase's seconds, the highest RSS; the rest from run 1."""
    merged = json.loads(json.dumps(runs[0]))
    for name, phase in merged["phases"].items():
        for key in ("seconds", "email_jobs_seconds"):
            if key in phase:
                phase[key] = statistics.median(r["phases"][name][key] for r in runs)
        phase["maxrss_mb"] = max(r["phases"][name]["maxrss_mb"] for r in runs)
    merged["parse_csv_seconds"] = statistics.median(r["parse_csv_seconds"] for r in runs)
    merged["maxrss_mb"] = max(r["maxrss_mb"] for r in runs)
    merged["repeats"] = [{name: p["seconds"] for name, p in r["phases"].items()} for r in runs]
    return merged


def table(results: list[dict]) -> str:
    lines = [
        "| Engine | Format | Rows | Parse CSV s | Preview s | Apply s | of which e-mail jobs s | Apply ÷ parse "
        "| Re-preview s | Re-apply s | Peak traced MB (preview / apply / re-preview / re-apply) | Max RSS MB "
        "| Targets |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        t = r["timing"]["phases"]
        m = r.get("memory", {}).get("phases", {})
        apply_s, parse_s = t["apply"]["seconds"], r["timing"]["parse_csv_seconds"]
        jobs_s = t["apply"].get("email_jobs_seconds")
        peaks = [m.get(p, {}).get("traced_peak_mb") for p in ("preview", "apply", "re_preview", "re_apply")]
        rss = r["timing"]["maxrss_mb"]
        ok = apply_s < TARGET_APPLY_SECONDS and rss < TARGET_PEAK_MB and all((p or 0) < TARGET_PEAK_MB for p in peaks)
        lines.append(
            f"| {r['timing']['db']} | {r['format'].upper()} | {r['rows']:,} | {parse_s:.2f} "
            f"| {t['preview']['seconds']:.1f} | {apply_s:.1f} | {'–' if jobs_s is None else f'{jobs_s:.1f}'} "
            f"| {apply_s / parse_s:.0f}× | {t['re_preview']['seconds']:.1f} | {t['re_apply']['seconds']:.1f} "
            f"| {' / '.join(_mb(p) for p in peaks)} | {rss:.0f} | {'✅ met' if ok else '❌ missed'} |"
        )
    return "\n".join(lines)


def report(results: list[dict], info: dict, args) -> str:
    first = results[0]["timing"]
    counts = first["after_apply"]
    repeats = f"median of {args.repeat} runs" if args.repeat > 1 else "one run"
    return "\n".join(
        [
            "# Provisioning benchmark",
            "",
            f"{datetime.now():%Y-%m-%d %H:%M}; {info['cpus']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, "
            f"{info['os']}; Python {info['python']}, Django {first['django']}, DEBUG {'on' if args.debug else 'off'}; "
            f"database server on the same machine; times: {repeats}.",
            "",
            table(results),
            "",
            f"Targets: apply under {TARGET_APPLY_SECONDS} s, peak memory under {TARGET_PEAK_MB} MB. "
            f"One staff list of {first['rows']:,} staff over {first['units']} commune-level units "
            f"(seed {args.seed}; CSV {results[0]['timing']['file_bytes'] / 2**20:.1f} MB). After the first apply: "
            f"{counts['staff']:,} staff accounts, {counts['user_roles']:,} role links, "
            f"{counts['audit_entries']:,} audit entries, {counts['email_jobs']:,} activation-email jobs; "
            "the re-apply adds no account and no job.",
            "",
            "- *Parse CSV*: `read_staff_list()` of the CSV alone, best of 7: this run's yardstick for the machine.",
            "- *Preview*, *Apply*: `provisioning_preview()` and `provisioning_apply()` on a fresh database; apply "
            "includes the activation-email jobs enqueued on commit (*of which e-mail jobs*: first to last "
            "`task_enqueued` signal).",
            "- *Re-preview*, *Re-apply*: the same file again, every row unchanged.",
            "- *Peak traced MB*: tracemalloc peak of the allocations made during the call, from a separate pass "
            "(tracing slows the code down three- to fivefold, so times come from a pass without it).",
            "- *Max RSS MB*: the whole process's resident high-water mark (ru_maxrss) in the timing pass, "
            "Django, migrations and the generated files included.",
            "",
        ]
    )


def run_main(args) -> None:
    engines = [e for e in args.engines.split(",") if e]
    if "postgres" in engines and not _pg_reachable(args.pg_url):
        engines.remove("postgres")
    passes = ([] if args.skip_memory else ["memory"]) + (["profile"] if args.profile else [])
    info = machine()
    print(f"{args.rows:,} staff; {engines}, {args.formats}; timing ×{args.repeat}, {passes}", file=sys.stderr)
    results = []
    for engine in engines:
        for fmt in args.formats.split(","):
            runs = {"timing": median_of([run_pass(engine, fmt, "timing", args) for _ in range(args.repeat)])}
            runs.update({p: run_pass(engine, fmt, p, args) for p in passes})
            results.append({"engine": engine, "format": fmt, "rows": args.rows, **runs})
    text = report(results, info, args)
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "provisioning.md").write_text(text, encoding="utf-8")
    (RESULTS_DIR / "provisioning.json").write_text(
        json.dumps({"machine": info, "results": results}, indent=2), encoding="utf-8"
    )
    print(f"Written to {RESULTS_DIR.relative_to(ROOT)}/provisioning.md (and .json)", file=sys.stderr)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="staff in the list (default 10,000)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the generated list")
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--formats", default="csv,xlsx", help="comma-separated: csv, xlsx")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
        help="PostgreSQL database to create and drop (its name must contain 'bench'); env BENCH_PG_URL",
    )
    parser.add_argument("--repeat", type=int, default=1, help="timing passes per engine and format (median)")
    parser.add_argument("--skip-memory", action="store_true", help="no tracemalloc pass (faster)")
    parser.add_argument("--profile", action="store_true", help="add a cProfile pass; stats in bench/results/")
    parser.add_argument("--debug", action="store_true", help="run with DEBUG=1 (Django then logs every query)")
    parser.add_argument("--keep-files", action="store_true", help="save the generated lists in bench/results/")
    # Internal: the child process.
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", help=argparse.SUPPRESS)
    parser.add_argument(
        "--pass", dest="pass_", choices=["timing", "memory", "profile"], default="timing", help=argparse.SUPPRESS
    )
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.engine:
        run_child(arguments)
    else:
        run_main(arguments)
