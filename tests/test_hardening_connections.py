"""The development server must not pile up idle PostgreSQL connections: it serves each request in a new
thread, and a persistent connection per thread is never reused nor closed ("too many clients")."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_connections(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'",
            [name],
        )
        return cursor.fetchone()[0]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status


def test_a_burst_against_the_development_server_leaves_no_idle_connections():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's connections")
    settings = connection.settings_dict
    name = settings["NAME"]
    url = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT']}/{name}"
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "THONGSUOT_ENV": "test", "DB_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                assert _get(f"{base}/healthz") == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the development server did not start"
                time.sleep(0.3)
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(_get, [f"{base}/healthz"] * 200))
        assert statuses == [200] * 200
        time.sleep(1)  # the last requests' threads close their connections as they end
        # runserver has no fixed workers: between requests it holds no connection at all
        assert _server_connections(name) <= 1
    finally:
        server.terminate()
        server.wait(timeout=30)
