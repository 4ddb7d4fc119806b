"""Open311 media_url: downloaded by the worker from a real local HTTP server, checked, attached or refused."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_feedback_api import bearer
from tests.test_open311 import post_request
from thongsuot.core.models import AuditEntry
from thongsuot.feedback import media_fetch, services
from thongsuot.feedback.models import Report, ReportEvent
from thongsuot.feedback.testing import JPEG, MP4, PNG, photo_of, submit, upload

BIG = JPEG[:-2] + b"\x00" * 4096 + b"\xff\xd9"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", content_type="image/jpeg", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.paths.append(self.path)
        routes = {
            "/o-ga.jpg": lambda: self._send(200, JPEG),
            "/anh.png?size=lon": lambda: self._send(200, PNG, "image/png"),
            "/video.mp4": lambda: self._send(200, MP4, "video/mp4"),
            "/trang.jpg": lambda: self._send(200, b"<html><script>alert(1)</script></html>", "image/jpeg"),
            "/lon.jpg": lambda: self._send(200, BIG),
            "/chuyen": lambda: self._send(302, headers=[("Location", "/o-ga.jpg")]),
            "/vong": lambda: self._send(302, headers=[("Location", "/vong")]),
            "/noi-bo": lambda: self._send(302, headers=[("Location", "http://169.254.169.254/latest/meta-data")]),
            "/cham.jpg": lambda: (time.sleep(2), self._send(200, JPEG)),
        }
        routes.get(self.path, lambda: self._send(404, b"not found", "text/plain"))()


@pytest.fixture
def media_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.paths = []
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.FEEDBACK_MEDIA_PRIVATE_HOSTS = True  # the test server is on the loopback
    settings.FEEDBACK_MEDIA_TIMEOUT = 1
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def report(db):
    return submit(channel="open311")


def events(report, action):
    return list(ReportEvent.objects.filter(report=report, action=action))


def test_open311_media_url_downloaded_and_attached(
    client, api_key, dispatcher, media_server, django_capture_on_commit_callbacks
):
    url = f"{media_server.url}/o-ga.jpg"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(client, api_key=api_key, media_url=url)
    assert response.status_code == 201, response.content
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.description == "Nắp cống bị vỡ trước số 12 Lê Lợi."  # the URL is not pasted into it
    [attachment] = report.attachments.all()
    assert attachment.source_url == url and attachment.content_type == "image/jpeg" and not attachment.public
    assert attachment.original_name == "o-ga.jpg" and photo_of(attachment.file.read()) == photo_of(JPEG)
    [event] = events(report, "media_fetched")
    assert not event.public and url in event.note and event.actor_label == "system"
    assert AuditEntry.objects.filter(action="feedback.report.media_fetched", object_id=str(report.pk)).exists()
    assert media_server.paths == ["/o-ga.jpg"]
    # the staff see where it came from, through the API and on the report's page
    api = client.get(f"/api/v1/feedback/reports/{report.code}", **bearer(dispatcher))
    assert api.json()["attachments"][0]["source_url"] == url
    client.force_login(dispatcher)
    page = client.get(f"/xu-ly-phan-anh/{report.code}/")
    assert page.status_code == 200 and url in page.content.decode()


def test_media_with_files_sent_counts_against_the_limits(
    client, api_key, media_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        video, photo = f"{media_server.url}/video.mp4", upload("o-ga.jpg", JPEG, "image/jpeg")
        response = post_request(client, api_key=api_key, media_url=video, media=photo)
    assert response.status_code == 201, response.content
    report = Report.objects.get(code=response.json()[0]["service_request_id"])
    assert report.attachments.count() == 1  # the photo sent; the video would mix photos and a video
    [event] = events(report, "media_refused")
    assert "not both" in event.note or "không" in event.note


def test_redirect_followed_and_query_kept(report, media_server):
    attachment = services.report_media_fetch(report=report, url=f"{media_server.url}/chuyen")
    assert attachment is not None and attachment.content_type == "image/jpeg"
    assert media_server.paths == ["/chuyen", "/o-ga.jpg"]
    other = submit(channel="open311", contact_phone="0901234568", client_ip="203.0.113.8")
    png = services.report_media_fetch(report=other, url=f"{media_server.url}/anh.png?size=lon")
    assert png.content_type == "image/png" and png.original_name == "anh.png"


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/trang.jpg", "JPEG"),  # says image/jpeg, is HTML: checked by content
        ("/lon.jpg", "MB"),  # larger than allowed
        ("/khong-co.jpg", "404"),
        ("/vong", "redirect"),
        ("/cham.jpg", "TimeoutError"),
    ],
)
def test_refused_downloads_recorded_for_staff(report, media_server, settings, path, reason):
    settings.LANGUAGE_CODE = "en"
    settings.FEEDBACK_PHOTO_MAX_BYTES = settings.FEEDBACK_VIDEO_MAX_BYTES = 2048
    assert services.report_media_fetch(report=report, url=media_server.url + path) is None
    assert report.attachments.count() == 0
    [event] = events(report, "media_refused")
    assert not event.public and reason in event.note, event.note
    assert AuditEntry.objects.filter(action="feedback.report.media_refused", object_id=str(report.pk)).exists()


def test_refused_when_the_citizen_sent_as_many_photos_as_allowed(db, media_server, settings):
    settings.LANGUAGE_CODE = "en"
    photos = [upload(f"anh-{n}.jpg", JPEG, "image/jpeg") for n in range(settings.FEEDBACK_MAX_PHOTOS)]
    full = submit(channel="open311", files=photos)
    assert services.report_media_fetch(report=full, url=f"{media_server.url}/o-ga.jpg") is None
    assert full.attachments.count() == settings.FEEDBACK_MAX_PHOTOS
    [event] = events(full, "media_refused")
    assert f"Attach at most {settings.FEEDBACK_MAX_PHOTOS} photos." in event.note


def test_fetched_once_only(report, media_server):
    url = f"{media_server.url}/o-ga.jpg"
    assert services.report_media_fetch(report=report, url=url) is not None
    assert services.report_media_fetch(report=report, url=url) is None  # a job run twice
    assert report.attachments.count() == 1 and len(events(report, "media_fetched")) == 1
    assert media_server.paths == ["/o-ga.jpg"]
    refused = submit(channel="open311", contact_phone="0901234568", client_ip="203.0.113.8")
    services.report_media_fetch(report=refused, url=f"{media_server.url}/khong-co.jpg")
    services.report_media_fetch(report=refused, url=f"{media_server.url}/khong-co.jpg")
    assert len(events(refused, "media_refused")) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.jpg",
        "http://localhost/x.jpg",
        "http://10.1.2.3/x.jpg",
        "http://192.168.1.1/x.jpg",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x.jpg",
        "http://[::ffff:127.0.0.1]/x.jpg",
        "http://0.0.0.0/x.jpg",
    ],
)
def test_private_hosts_refused_without_connecting(report, settings, url):
    settings.LANGUAGE_CODE = "en"
    settings.FEEDBACK_MEDIA_PRIVATE_HOSTS = False
    with pytest.raises(media_fetch.MediaRefused, match="not a public Internet address"):
        media_fetch.fetch(url)


def test_redirect_to_a_private_host_refused(report, media_server, settings, monkeypatch):
    """The first hop is allowed (standing in for a public host); where it redirects is checked again."""
    settings.LANGUAGE_CODE = "en"
    settings.FEEDBACK_MEDIA_PRIVATE_HOSTS = False
    real = media_fetch._public
    monkeypatch.setattr(media_fetch, "_public", lambda address: address == "127.0.0.1" or real(address))
    assert services.report_media_fetch(report=report, url=f"{media_server.url}/noi-bo") is None
    [event] = events(report, "media_refused")
    assert "169.254.169.254 is not a public Internet address" in event.note
    assert media_server.paths == ["/noi-bo"]


@pytest.mark.parametrize("url", ["ftp://example.test/x.jpg", "http://user:pw@example.test/x.jpg", "file:///etc/passwd"])
def test_other_schemes_and_credentials_refused(settings, url):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(media_fetch.MediaRefused):
        media_fetch.fetch(url)


def test_switched_off_records_the_url_only(report, media_server, settings):
    settings.FEEDBACK_MEDIA_FETCH = False
    url = f"{media_server.url}/o-ga.jpg"
    assert services.report_media_fetch(report=report, url=url) is None
    [event] = events(report, "media_refused")
    assert url in event.note and media_server.paths == []


def test_media_url_too_long_is_an_open311_error(client, api_key):
    response = post_request(client, api_key=api_key, media_url="https://example.test/" + "a" * 1000 + ".jpg")
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("media_url:")
    assert not Report.objects.exists()


# HTTPS: the certificate is verified for the host name, on the address that was checked ---------------


@pytest.fixture
def tls_media_server(settings, tmp_path):
    import datetime
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.paths = []
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FEEDBACK_MEDIA_PRIVATE_HOSTS = True
    settings.FEEDBACK_MEDIA_TIMEOUT = 2
    server.port, server.ca = server.server_address[1], str(cert_path)
    yield server
    server.shutdown()
    server.server_close()


def test_https_certificate_verified(report, tls_media_server, settings):
    settings.LANGUAGE_CODE = "en"
    url = f"https://localhost:{tls_media_server.port}/o-ga.jpg"
    with pytest.raises(media_fetch.MediaRefused, match="SSLCertVerificationError"):
        media_fetch.fetch(url)  # a certificate no authority vouches for


def test_https_fetched_when_trusted_and_refused_for_another_name(report, tls_media_server, settings, monkeypatch):
    import ssl

    settings.LANGUAGE_CODE = "en"
    original = ssl.create_default_context
    trusting = lambda: original(cafile=tls_media_server.ca)  # noqa: E731
    monkeypatch.setattr(media_fetch.ssl, "create_default_context", trusting)
    media = media_fetch.fetch(f"https://localhost:{tls_media_server.port}/o-ga.jpg")
    assert media.content == JPEG and media.name == "o-ga.jpg"
    with pytest.raises(media_fetch.MediaRefused, match="SSLCertVerificationError"):
        media_fetch.fetch(f"https://127.0.0.1:{tls_media_server.port}/o-ga.jpg")  # the certificate names localhost


def test_next_address_tried_when_the_first_does_not_answer(monkeypatch, media_server):
    """A host's addresses are tried in turn (IPv6 then IPv4, say): nothing listens on 127.0.0.2."""
    monkeypatch.setattr(media_fetch, "_addresses", lambda host, port: ["127.0.0.2", "127.0.0.1"])
    assert media_fetch.fetch(f"{media_server.url}/o-ga.jpg").content == JPEG
