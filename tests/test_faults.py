"""Fault tests against real processes: the task worker killed while it registers citizens' submissions, and
PostgreSQL restarted while submissions arrive. They run on a PostgreSQL server of their own
(tests/pg_instance.py), with the production web server (gunicorn) and the real task worker as subprocesses.

- Killed worker: every submission answered with a code becomes exactly one report, none twice.
- Restarted database: each request is answered 201 with a code or 503 with a clear message and
  Retry-After (never a 500), and every submission answered with a code is registered afterwards."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.pg_instance import PostgresInstance, free_port, server_binaries

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(server_binaries() is None, reason="PostgreSQL server binaries are not installed"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs once per `make test`, in its PostgreSQL pass (it starts its own server either way)",
    ),
]
POINT = (10.7725, 106.6980)  # Phường Bến Thành


def manage(env, *args, timeout=600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def instance():
    pg = PostgresInstance().init()
    pg.create_database("faults")
    yield pg
    pg.destroy()


@pytest.fixture(scope="module")
def env(instance, tmp_path_factory):
    values = {
        **os.environ,
        "DATABASE_URL": instance.url("faults"),
        "THONGSUOT_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "thongsuot.settings",
        "FEEDBACK_SUBMISSIONS_PER_HOUR": "1000000",
        "FEEDBACK_MEDIA_FETCH": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "DB_CONN_MAX_AGE": "60",
    }
    manage(values, "migrate", "--noinput", "-v", "0")
    manage(values, "load_directory")
    values["FAULT_API_KEY"] = manage(values, "open311_key", "Kiểm thử sự cố").strip().splitlines()[-1]
    return values


@pytest.fixture
def server(env):
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "thongsuot.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the web server did not start")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=30)


def submit(base: str, key: str, n: int) -> tuple[int, dict, str]:
    data = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "ha-tang-ky-thuat",
            "lat": POINT[0],
            "long": POINT[1],
            "description": f"Sự cố thử số {n}: nắp cống bị vỡ trước số 12 Lê Lợi.",
            "phone": "0901234567",
            "first_name": "Nguyễn Văn",
            "last_name": "Dân",
        }
    ).encode()
    request = urllib.request.Request(f"{base}/open311/v2/requests.json", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def codes_of(body: str) -> list[str]:
    return [item["service_request_id"] for item in json.loads(body)]


def reports(instance) -> list[str]:
    with psycopg.connect(instance.url("faults")) as conn:
        return [row[0] for row in conn.execute("SELECT code FROM feedback_report")]


def pending(instance) -> int:
    with psycopg.connect(instance.url("faults")) as conn:
        return conn.execute("SELECT count(*) FROM feedback_pendingsubmission").fetchone()[0]


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_worker_killed_while_registering_loses_no_submission_and_registers_none_twice(instance, env, server):
    before = set(reports(instance))
    accepted = []
    for n in range(400):
        status, _headers, body = submit(server, env["FAULT_API_KEY"], n)
        assert status == 201, body
        accepted += codes_of(body)
    assert len(set(accepted)) == 400 and pending(instance) == 400

    kills = 0
    for delay in (0.8, 1.5, 2.5):  # killed at three moments, each time while submissions still wait
        worker = start_worker(env)
        time.sleep(delay)
        waiting = pending(instance)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        kills += waiting > 0
    assert kills, "the worker finished before it could be killed: the test proved nothing"

    # What the periodic sweep does after an outage of the workers: register what waits.
    manage(env, "register_submissions")
    registered = [code for code in reports(instance) if code not in before]
    assert pending(instance) == 0
    assert sorted(registered) == sorted(accepted)  # none lost, none twice


def test_postgresql_restarted_while_submissions_arrive(instance, env, server):
    before = set(reports(instance))
    answers: list[tuple[float, int, dict, str]] = []
    stop = threading.Event()

    def citizen(worker: int):
        n = 0
        while not stop.is_set():
            status, headers, body = submit(server, env["FAULT_API_KEY"], worker * 100000 + n)
            answers.append((time.monotonic(), status, headers, body))
            n += 1

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    instance.stop("fast")
    down_at = time.monotonic()
    time.sleep(2)
    instance.start()
    instance.wait_ready()
    up_at = time.monotonic()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    statuses = {status for _t, status, _h, _b in answers}
    assert statuses <= {201, 503}, statuses
    refused = [(h, b) for _t, status, h, b in answers if status == 503]
    assert refused, "no request reached the server while PostgreSQL was down"
    for headers, body in refused:
        assert headers.get("Retry-After")
        assert json.loads(body)[0]["description"]
    assert any(status == 201 and t > up_at for t, status, _h, _b in answers), "nothing accepted after the restart"
    assert any(status == 201 and t < down_at for t, status, _h, _b in answers)

    accepted = [code for _t, status, _h, body in answers if status == 201 for code in codes_of(body)]
    manage(env, "register_submissions")
    registered = [code for code in reports(instance) if code not in before]
    assert sorted(registered) == sorted(accepted)
