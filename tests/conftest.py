"""Shared test base: the directory loaded once per run, and named personas.

- ward_admin: unit administrator of Phường Bến Thành
- ward_clerk: clerk (văn thư) of Phường Bến Thành
- other_ward_admin: unit administrator of Phường Sài Gòn (another ward)
- city_leader: leader at the City People's Committee (sees every unit, changes none)
- centre_admin: platform administrator at the Digital Transformation Centre (city-wide)
- dispatcher: 1022 dispatcher at the Centre (routes reports of every unit; nothing else city-wide)
- citizen: a citizen account (never staff)
"""

import json
import os
import shutil

import pytest
from django.db import connections
from django.utils import timezone

from thongsuot.accounts.models import Role, User
from thongsuot.directory.models import Organisation
from thongsuot.directory.services import directory_load


@pytest.fixture(autouse=True)
def _fresh_local_caches():
    """Every test starts with empty per-process reference caches (thongsuot.core.local_cache): a copy
    filled in an earlier test would outlive that test's rolled-back data."""
    from thongsuot.core.local_cache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def _isolated_media_and_sms(settings, tmp_path):
    """Every test stores uploads in its own folder and starts with an empty SMS outbox."""
    from thongsuot.core.notifications import sms

    settings.MEDIA_ROOT = tmp_path / "media"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The directory of units in the test database, and in the snapshot transactional tests restore.

    Django serialises the test database for serialized_rollback before this runs, so the snapshot is
    taken again: without it a transactional test that follows another finds no unit at all.
    """
    with django_db_blocker.unblock():
        directory_load()
        for alias in connections:
            connection = connections[alias]
            if hasattr(connection, "_test_serialized_contents"):
                rows = json.loads(connection.creation.serialize_db_to_string())
                # the audit log is append-only (a trigger refuses UPDATE), and restoring saves row by row
                rows = [row for row in rows if row["model"] != "core.auditentry"]
                connection._test_serialized_contents = json.dumps(rows)


def make_staff(email, org, roles, *, full_name=None, position="Chuyên viên", password="Ph0ng-Test!2025"):
    user = User.objects.create(
        username=email,
        email=email,
        full_name=full_name or email.split("@")[0],
        organisation=org,
        position=position,
        kind=User.Kind.STAFF,
        activated_at=timezone.now(),
    )
    user.set_password(password)
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


@pytest.fixture
def ben_thanh(db):
    return Organisation.objects.get(kind="commune", name="Phường Bến Thành")


@pytest.fixture
def sai_gon(db):
    return Organisation.objects.get(kind="commune", name="Phường Sài Gòn")


@pytest.fixture
def ward_admin(ben_thanh):
    return make_staff("quantri@benthanh.test", ben_thanh, ["unit_admin"], full_name="Lê Thị Quản Trị")


@pytest.fixture
def ward_clerk(ben_thanh):
    return make_staff("vanthu@benthanh.test", ben_thanh, ["clerk"], full_name="Trần Văn Thư")


@pytest.fixture
def other_ward_admin(sai_gon):
    return make_staff("quantri@saigon.test", sai_gon, ["unit_admin"], full_name="Phạm Sài Gòn")


@pytest.fixture
def city_leader(db):
    city = Organisation.objects.get(kind="city")
    return make_staff("lanhdao@thanhpho.test", city, ["leader"], full_name="Nguyễn Lãnh Đạo")


@pytest.fixture
def centre_admin(db):
    centre = Organisation.objects.get(code="000.05.05.H29")
    return make_staff("admin@cds.test", centre, ["platform_admin"], full_name="Võ Trung Tâm")


@pytest.fixture
def dispatcher(db):
    centre = Organisation.objects.get(code="000.05.05.H29")
    return make_staff("dieuphoi@cds.test", centre, ["feedback_dispatcher"], full_name="Đỗ Điều Phối")


@pytest.fixture
def citizen(db):
    user = User.objects.create(username="0901234567", phone="0901234567", full_name="Công Dân", kind=User.Kind.CITIZEN)
    user.set_password("Ph0ng-Test!2025")
    user.save()
    return user


@pytest.fixture
def api_key(db):
    """The raw key of an Open311 client app."""
    from thongsuot.feedback.open311.services import open311_client_create

    _client, raw = open311_client_create(actor=None, name="Ứng dụng thử", contact_email="dev@example.test")
    return raw


@pytest.fixture
def login(client):
    """Sign a persona in (two-factor marked as passed where the persona needs it)."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if user.has_role("platform_admin"):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return _login


# Real browser (tests marked `browser`): Debian's Chromium driven by Playwright ----------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server):
    """Chromium for one test, started after the test database is set up and stopped before it is flushed.

    While Playwright's sync API runs, its event loop counts as running in this thread, so Django
    hands the test separate, context-local database connections (and refuses them unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set). The set-up and the flush of pytest-django must not happen
    in that state: they would use a connection without the serialized snapshot, skip the restore
    and re-create content types, breaking the next serialized_rollback test.
    """
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()  # the context-local connections the test used


# Documents (quản lý văn bản) personas ----------------------------------------------------------------


@pytest.fixture
def ward_leader(ben_thanh):
    """The chairman of Phường Bến Thành's People's Committee: approves and signs its documents."""
    return make_staff("chutich@benthanh.test", ben_thanh, ["leader"], full_name="Hồ Văn Chủ Tịch", position="Chủ tịch")


@pytest.fixture
def ward_specialist(ben_thanh):
    """A specialist of Phường Bến Thành: drafts documents."""
    return make_staff("chuyenvien@benthanh.test", ben_thanh, ["specialist"], full_name="Đinh Thị Soạn Thảo")


@pytest.fixture
def other_ward_clerk(sai_gon):
    """The clerk (văn thư) of Phường Sài Gòn: receives documents sent to that ward."""
    return make_staff("vanthu@saigon.test", sai_gon, ["clerk"], full_name="Mai Văn Thư Sài Gòn")


# Video conferences ------------------------------------------------------------------------------


@pytest.fixture
def city_clerk(db):
    """A clerk (văn thư) of the City People's Committee: organises the city's meetings with every unit."""
    city = Organisation.objects.get(kind="city")
    return make_staff("vanthu@thanhpho.test", city, ["clerk"], full_name="Hồ Văn Phòng")


@pytest.fixture
def ward_operator(ben_thanh):
    """A specialist of Phường Bến Thành who runs its meeting room (an endpoint's named operator)."""
    return make_staff("kythuat@benthanh.test", ben_thanh, ["specialist"], full_name="Đặng Kỹ Thuật")


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory):
    """A REAL Janus (Debian's /usr/bin/janus) on free local ports, configured by the project's own
    generator with fresh secrets; tests marked `janus` are skipped only when the binary is absent."""
    yield from _janus_process(tmp_path_factory)


def _janus_process(tmp_path_factory, **extra):
    import secrets
    import subprocess
    import time
    import urllib.request

    from thongsuot.conferences import janus_config

    if not janus_config.BINARY.exists():
        pytest.skip("Janus is not installed (apt-get install janus)")
    api_port, admin_port = _free_port(), _free_port()
    rtp = _free_port() // 10 * 10
    server = {
        "name": "janus-test",
        "url": f"http://127.0.0.1:{api_port}/janus",
        "admin_url": f"http://127.0.0.1:{admin_port}/admin",
        "api_secret": secrets.token_hex(16),
        "admin_secret": secrets.token_hex(16),
        "room_key": secrets.token_hex(16),
        "capacity": 400,
        **extra,
    }
    folder = tmp_path_factory.mktemp("janus")
    server.setdefault("rec_dir", str(folder / "recordings"))
    janus_config.write(server, folder, rtp_ports=f"{rtp}-{rtp + 9}", stats_period=1)
    log = (folder / "janus.log").open("w")
    process = subprocess.Popen(
        [str(janus_config.BINARY), "-F", str(folder), "-C", str(folder / "janus.jcfg")], stdout=log, stderr=log
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(server["url"] + "/info", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((folder / "janus.log").read_text()[-2000:]) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("Janus did not answer")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def janus_events_server(tmp_path_factory, live_server):
    """A second REAL Janus whose HTTP event handler POSTs its events to the live server's API."""
    import secrets

    yield from _janus_process(
        tmp_path_factory,
        name="janus-events",
        events_url=f"{live_server.url}/api/v1/conferences/janus/events",
        events_secret=secrets.token_hex(16),
    )


@pytest.fixture
def janus_events(janus_events_server, settings):
    """The Janus that reports its events, as the platform's only media server for one test."""
    import time

    settings.JANUS_SERVERS = [dict(janus_events_server)]
    yield janus_events_server
    time.sleep(1.5)  # the last events Janus sends reach the live server before the next test begins


@pytest.fixture
def events_lock(janus_events, monkeypatch):
    """Held by a test around its own writes while Janus' events arrive: on SQLite the live server shares
    the test's in-memory connection, and two transactions on it at once from two threads would mix."""
    import threading

    from thongsuot.conferences import services_events

    lock, record = threading.RLock(), services_events.janus_events_record

    def serialised(**kwargs):
        with lock:
            return record(**kwargs)

    monkeypatch.setattr(services_events, "janus_events_record", serialised)
    return lock


@pytest.fixture
def janus(janus_server, settings):
    """The real Janus as the platform's only media server for one test."""
    settings.JANUS_SERVERS = [dict(janus_server)]
    return janus_server
