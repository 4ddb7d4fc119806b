"""Benchmark: how fast, and in how much memory, a hostile staff list is refused.

    python bench/staff_list_refusal.py              # every case, 5 rounds each
    python bench/staff_list_refusal.py --rounds 3

The files of the hardening issue, built here byte for byte like the probe's (deterministic):

  csv_60mb        a 60 MB CSV (a real header and 600,000 rows), received as Django receives an upload
                  over its memory limit (a temporary file on disk), then read_upload() + read_staff_list()
  xlsx_1m_rows    an XLSX of about 150 KB whose sheet holds 1,000,000 rows
  xlsx_200mb_cell an XLSX of about 200 KB whose shared strings hold one 200 MB cell

next to two legitimate lists read in the same run (the baseline):

  xlsx_1000       a unit's list of 1,000 staff (what a ward uploads)
  xlsx_50000      the largest list accepted (MAX_ROWS rows)

Each case runs in a child process of its own, so its memory figures are its own. The child reports the
best time of the rounds, Python's traced peak (tracemalloc, in a separate round, since tracing slows the
code) and how far the resident high-water mark (VmHWM) grew over the same child just before the call
(interpreter and Django loaded). Results: a Markdown table on stdout and in
bench/results/staff_list_refusal.md. Targets (issue 15): every hostile file refused within a second and a
few MB.
"""

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HEADER = "Họ tên,Email,Số điện thoại,Chức vụ,Vai trò,Đơn vị"
CASES = ["xlsx_1000", "xlsx_50000", "csv_60mb", "xlsx_1m_rows", "xlsx_200mb_cell"]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_members() -> dict[str, bytes]:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as original:
        return {name: original.read(name) for name in original.namelist()}


def _xlsx(sheet_rows, shared: list[bytes] | None = None) -> bytes:
    """A workbook whose first sheet is written row by row into the zip (never whole in memory)."""
    members = _workbook_members()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as target:
                target.write(f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">'.encode())
                for chunk in shared:
                    target.write(chunk)
                target.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as target:
            target.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
            for row in sheet_rows:
                target.write(row)
            target.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _inline(line: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{line}" t="inlineStr"><is><t>{value}</t></is></c>' for i, value in enumerate(values)
    )
    return f'<row r="{line}">{cells}</row>'.encode()


def _staff_rows(count: int):
    yield _inline(1, HEADER.split(","))
    for i in range(count):
        person = [f"Nguyễn Văn {i}", f"cb{i}@benthanh.test", "0901234567", "Chuyên viên", "Văn thư"]
        yield _inline(i + 2, [*person, "Phường Bến Thành"])


def build(case: str, directory: Path) -> Path:
    path = directory / case
    if case == "xlsx_1000":
        path.write_bytes(_xlsx(_staff_rows(1000)))
    elif case == "xlsx_50000":
        path.write_bytes(_xlsx(_staff_rows(50_000)))
    elif case == "xlsx_1m_rows":
        rows = (
            _inline(1, HEADER.split(",")),
            *(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>'.encode() for i in range(2, 1_000_002)),
        )
        path.write_bytes(_xlsx(iter(rows), shared=[b"<si><t>x</t></si>"]))
    elif case == "xlsx_200mb_cell":
        chunk = b"A" * (1024 * 1024)
        shared = [b"<si><t>", *([chunk] * 200), b"</t></si>"]
        rows = iter([_inline(1, HEADER.split(",")), b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
        path.write_bytes(_xlsx(rows, shared=shared))
    elif case == "csv_60mb":
        line = "Nguyễn Văn An,an{}@benthanh.test,0901234567,Chuyên viên,Văn thư,Phường Bến Thành\n"
        with path.open("w", encoding="utf-8") as target:
            target.write(HEADER + "\n")
            i = 0
            while target.tell() < 60 * 1024 * 1024:
                target.writelines(line.format(i + k) for k in range(1000))
                i += 1000
    return path


def _read(case: str, path: Path):
    """What the staff-list page does with the upload: read_upload(), then read_staff_list()."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from thongsuot.accounts.provisioning.reading import StaffListError, read_staff_list, read_upload

    name = "list.csv" if case.startswith("csv") else "list.xlsx"
    upload = TemporaryUploadedFile(name, "application/octet-stream", path.stat().st_size, None)
    with path.open("rb") as source:  # Django has spooled the request body to a temporary file already
        while chunk := source.read(1024 * 1024):
            upload.write(chunk)
    upload.seek(0)
    try:
        rows = read_staff_list(read_upload(upload), name)
        return f"read {len(rows):,} rows"
    except StaffListError as refused:
        return f"refused: {refused}"
    finally:
        upload.close()


def _high_water_kb(*, reset: bool = False) -> int:
    """The process's resident high-water mark (VmHWM). Linux carries ru_maxrss over from the parent across
    fork and exec, so the mark is reset here (clear_refs 5) to count this process's own growth only."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(case: str, path: Path, rounds: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thongsuot.settings")
    os.environ.setdefault("THONGSUOT_ENV", "test")
    django.setup()
    from django.utils import translation

    translation.activate("en")
    _read("xlsx_1000", Path(os.environ["BENCH_WARMUP"]))  # imports and caches, outside the figures
    before = _high_water_kb(reset=True)
    times, outcome = [], ""
    for _ in range(rounds):
        started = time.perf_counter()
        outcome = _read(case, path)
        times.append(time.perf_counter() - started)
    grown = _high_water_kb() - before
    tracemalloc.start()
    _read(case, path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "case": case,
        "best_s": min(times),
        "traced_peak_mb": peak / 2**20,
        "rss_growth_mb": grown / 1024,
        "outcome": outcome,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.case:
        print(json.dumps(child(args.case, Path(args.path), args.rounds)))
        return 0
    results = []
    with tempfile.TemporaryDirectory() as directory:
        paths = {case: build(case, Path(directory)) for case in CASES}
        env = {**os.environ, "BENCH_WARMUP": str(paths["xlsx_1000"]), "THONGSUOT_ENV": "test"}
        for case in CASES:
            out = subprocess.run(
                [sys.executable, __file__, "--case", case, "--path", str(paths[case]), "--rounds", str(args.rounds)],
                capture_output=True, text=True, check=True, env=env, cwd=ROOT,
            )  # fmt: skip
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result["file_mb"] = paths[case].stat().st_size / 2**20
            results.append(result)
    baseline = results[0]["best_s"]
    lines = [
        f"Staff-list refusal, {datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"best of {args.rounds}",
        "",
        "| file | size | time | × 1,000-row list | traced peak | RSS growth | outcome |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['case']} | {r['file_mb']:.2f} MB | {r['best_s'] * 1000:.0f} ms | {r['best_s'] / baseline:.2f} |"
            f" {r['traced_peak_mb']:.1f} MB | {r['rss_growth_mb']:.1f} MB | {r['outcome'][:70]} |"
        )
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "staff_list_refusal.md").write_text(table + "\n")
    (RESULTS / "staff_list_refusal.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
