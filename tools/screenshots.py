"""Screenshots of the pages citizens and officials see first, at desktop and phone sizes (`make screenshots`).

Starts the development server on a free port against the configured database (run `make data` first: the
directory and the demo data), drives Debian's Chromium (/usr/bin/chromium) through Playwright and writes
docs/screenshots/<page>-<size>.png: the front page, the citizen's form, a follow page and the statistics
page (signed in as the demo's leader of Phường Bến Thành). Map tiles are not fetched: the pictures do not
depend on the Internet, and show what a map says without its background.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--only front,form]
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LEADER = ("lanhdao.benthanh@thongsuot.local", "ThongSuot@2025")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thongsuot.settings"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the development server did not start")


def published_code() -> str:
    """A published report with a result and a position (the demo has many)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thongsuot.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from thongsuot.feedback.models import Report
    from thongsuot.feedback.states import PUBLIC

    report = (
        Report.objects.filter(status__in=PUBLIC, hidden=False, latitude__isnull=False)
        .exclude(resolution="")
        .order_by("-published_at")
        .first()
    )
    if report is None:
        raise SystemExit("no published report: load the demo data first (make data)")
    return report.code


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names (front, form, follow, stats)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    code = published_code()
    pages = {
        "front": ("/", False),
        "form": ("/phan-anh/gui/", False),
        "follow": (f"/phan-anh/{code}/", False),
        "stats": ("/xu-ly-phan-anh/thong-ke/?preset=last_month", True),
    }
    only = {p for p in args.only.split(",") if p}
    port = free_port()
    server = start_server(port)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            for size, viewport in SIZES.items():
                context = browser.new_context(
                    locale="vi-VN", base_url=f"http://127.0.0.1:{port}", viewport=viewport, device_scale_factor=1
                )
                context.route(re.compile(r"^https?://[^/]*tile\.openstreetmap\.org/"), lambda route: route.abort())
                page = context.new_page()
                signed_in = False
                for name, (url, staff) in pages.items():
                    if only and name not in only:
                        continue
                    if staff and not signed_in:
                        sign_in(page, *LEADER)
                        signed_in = True
                    page.goto(url)
                    page.wait_for_load_state("networkidle")
                    path = out / f"{name}-{size}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
