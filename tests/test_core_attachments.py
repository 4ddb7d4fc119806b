"""The attachments building block: policies checked by decoding (documents here; photos and videos
through feedback's policy in test_feedback_uploads), the one download view, and S3-compatible storage
against a local S3 server the tests start themselves (moto)."""

import datetime
import io
import zipfile

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from fpdf import FPDF

from tests.conftest import make_staff
from thongsuot.core import attachments
from thongsuot.core.attachments import MB, AttachmentPolicy, Rule
from thongsuot.feedback import services
from thongsuot.feedback.models import Attachment
from thongsuot.feedback.testing import JPEG, MP4, PNG, image, photo_of, submit, upload

# Sample documents -----------------------------------------------------------------------------------


def pdf(text: str = "Quyết định", pages: int = 1) -> bytes:
    document = FPDF()
    document.set_font("helvetica", size=12)
    for _ in range(pages):
        document.add_page()
        document.cell(text=text.encode("ascii", "ignore").decode())
    return bytes(document.output())


def signed_pdf() -> bytes:
    """A PDF signed with pyHanko by a self-signed certificate made for the test."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UBND Phuong Ben Thanh")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=None,
    )
    out = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf())),
        signers.PdfSignatureMetadata(field_name="ChuKy1"),
        signer=signer,
    )
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and number == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def _content_types(part: str, content_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{content_type}"/></Types>'
    ).encode()


def docx(body: bytes = b"<w:document xmlns:w='urn:w'><w:body/></w:document>", extra=()) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip(
        [("[Content_Types].xml", _content_types("/word/document.xml", main)), ("word/document.xml", body), *extra]
    )


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Danh sách"
    book.save(out)
    return out.getvalue()


def odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text", stored: bool = True) -> bytes:
    return _zip(
        [
            ("mimetype", mimetype),
            ("content.xml", b"<office:document-content xmlns:office='urn:o'/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest xmlns:manifest='urn:m'/>"),
        ],
        stored_first=stored,
    )


DOSSIER = AttachmentPolicy(
    name="tests.dossier",
    rules=(
        Rule("pdf", 2 * MB),
        Rule("docx", 2 * MB),
        Rule("xlsx", 2 * MB),
        Rule("odt", 2 * MB),
        Rule("image", 1 * MB),
    ),
    max_files=5,
    max_unpacked_bytes=5 * MB,
)
SIGNED_ONLY = AttachmentPolicy(name="tests.outgoing", rules=(Rule("signed_pdf", 2 * MB),), max_files=1)


def check(content: bytes, name: str = "tep", policy=DOSSIER) -> attachments.CheckedFile:
    [checked] = attachments.check(policy, [upload(name, content)], field="files")
    return checked


def refused(content: bytes, name: str = "tep", policy=DOSSIER) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        attachments.check(policy, [upload(name, content)], field="files")
    return exc.value.message_dict["files"]


# Documents ------------------------------------------------------------------------------------------


def test_a_pdf_is_parsed_and_its_pages_counted():
    checked = check(pdf(pages=3), "quyet-dinh.pdf")
    assert (checked.kind, checked.content_type, checked.extension) == ("pdf", "application/pdf", ".pdf")
    assert checked.details == {"pages": 3, "signatures": 0}


@pytest.mark.parametrize(
    "content",
    [
        pdf()[:400],  # cut short: no cross-reference table, no trailer
        b"%PDF-1.7\n" + b"\x00garbage" * 200,  # the header and nothing a reader can use
        pdf().replace(b"/Type /Pages", b"/Type /Xxxxx"),  # no page tree
    ],
    ids=["truncated", "header-only", "no-page-tree"],
)
def test_a_broken_pdf_is_refused(content):
    assert refused(content, "hong.pdf") == ["hong.pdf không phải tệp PDF mở được."]


def test_a_pdf_that_opens_only_with_a_password_is_refused():
    def encrypted(user_password: str) -> bytes:
        document = FPDF()
        document.set_encryption(owner_password="chu-so-huu", user_password=user_password)
        document.add_page()
        document.set_font("helvetica", size=12)
        document.cell(text="Mat")
        return bytes(document.output())

    assert refused(encrypted("mat-khau"), "mat.pdf") == [
        "mat.pdf được bảo vệ bằng mật khẩu; hãy gửi bản không đặt mật khẩu."
    ]
    assert check(encrypted(""), "chi-han-che-in.pdf").kind == "pdf"  # permissions only: anyone can open it


def test_a_signed_pdf_is_told_apart_and_a_signed_only_policy_refuses_an_unsigned_one():
    signed = check(signed_pdf(), "ky-so.pdf", policy=SIGNED_ONLY)
    assert signed.kind == "signed_pdf" and signed.details["signatures"] == 1
    assert check(signed_pdf(), "ky-so.pdf").kind == "signed_pdf"  # a policy taking PDFs takes signed ones
    assert refused(pdf(), "chua-ky.pdf", policy=SIGNED_ONLY) == [
        "chua-ky.pdf không có chữ ký số; hãy gửi bản PDF đã ký số."
    ]


def test_docx_xlsx_and_odt_are_recognised_by_their_structure():
    assert check(docx(), "to-trinh.docx").content_type.endswith("wordprocessingml.document")
    assert check(xlsx(), "bang.xlsx").kind == "xlsx"
    assert check(odt(), "cong-van.odt").content_type == "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    "content",
    [
        _zip([("readme.txt", b"just a zip")]),  # a zip, but no office document
        docx(body=b"<w:document"),  # the main part is not XML
        docx(extra=[("word/vbaProject.bin", b"macros")]),  # macro-enabled
        odt(stored=False),  # ODF's mimetype entry must be stored
        odt(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),  # an ODS, not an ODT
        docx()[:-30],  # cut short
    ],
    ids=["plain-zip", "broken-xml", "macros", "compressed-mimetype", "ods", "truncated"],
)
def test_a_zip_without_the_right_structure_is_refused(content):
    assert refused(content, "van-ban.docx") == ["van-ban.docx không phải văn bản DOCX, XLSX hoặc ODT mở được."]


def test_a_zip_bomb_is_refused_without_being_unpacked():
    bomb = docx(extra=[("word/media/zero.bin", b"\x00" * (6 * MB))])
    assert len(bomb) < 100 * 1024  # small on the wire, 6 MB unpacked; the policy's bound is 5 MB
    assert refused(bomb, "bom.docx") == ["bom.docx khi giải nén lớn hơn 5 MB; tệp bị từ chối."]


def test_a_zip_whose_headers_understate_its_size_is_refused():
    bomb = bytearray(docx(extra=[("word/media/zero.bin", b"\x00" * (6 * MB))]))
    # rewrite the declared sizes of the big entry (local header and central directory) to 100 bytes
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := bytes(bomb).find(signature, start)) != -1:
            if int.from_bytes(bomb[start + offset : start + offset + 4], "little") == 6 * MB:
                bomb[start + offset : start + offset + 4] = (100).to_bytes(4, "little")
            start += 4
    assert refused(bytes(bomb), "bom.docx")


def test_types_the_policy_does_not_take_are_refused_by_content_not_name():
    assert refused(pdf(), "anh.jpg", policy=AttachmentPolicy("p", (Rule("image", MB),), 3)) == [
        "anh.jpg không thuộc loại tệp được chấp nhận (chấp nhận: ảnh JPEG, PNG hoặc WebP)."
    ]
    assert refused(b"MZ\x90\x00 an executable", "bao-cao.pdf")[0].startswith("bao-cao.pdf không thuộc loại")
    assert check(pdf(), "khong-co-duoi").kind == "pdf"  # the name says nothing, the content does


def test_size_and_count_limits_name_the_field():
    big = pdf(pages=1) + b"%" + b"x" * (2 * MB)
    assert refused(big, "lon.pdf") == ["lon.pdf lớn hơn 2 MB."]
    with pytest.raises(ValidationError) as exc:
        attachments.check(DOSSIER, [upload(f"{n}.pdf", pdf()) for n in range(6)], field="files")
    assert exc.value.message_dict == {"files": ["Chỉ được đính kèm tối đa 5 tệp."]}
    lonely = AttachmentPolicy("p", (Rule("video", MB, alone=True), Rule("pdf", MB)), 3)
    with pytest.raises(ValidationError) as exc:
        attachments.check(lonely, [upload("v.mp4", MP4), upload("a.pdf", pdf())], field="files")
    assert exc.value.message_dict == {"files": ["Tệp loại video MP4 phải được gửi riêng, không kèm tệp khác."]}


def test_an_unknown_kind_in_a_policy_fails_at_declaration():
    with pytest.raises(ValueError, match="unknown attachment kind"):
        Rule("exe", MB)


# The download view ----------------------------------------------------------------------------------


@pytest.fixture
def handler(ben_thanh):
    return make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])


@pytest.fixture
def private_photo(ben_thanh, centre_admin):
    report = services.report_assign(
        actor=centre_admin,
        report=submit(files=[upload("o-ga.png", image("PNG", size=(900, 600)))]),
        organisation=ben_thanh,
    )
    return report.attachments.get()


def test_a_private_file_only_for_staff_who_see_its_unit(client, login, private_photo, handler, other_ward_admin):
    url = f"/tep/feedback/{private_photo.pk}/"
    assert client.get(url).status_code == 404  # anonymous
    login(other_ward_admin)
    assert client.get(url).status_code == 404  # another ward
    assert client.get(f"/phan-anh/tep/{private_photo.pk}/").status_code == 404  # feedback's address: same view
    login(handler)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert photo_of(b"".join(response.streaming_content)) == ("PNG", (900, 600))
    assert response["Cache-Control"] == "private, max-age=3600"
    thumb = client.get(url + "?v=thumb")
    assert photo_of(b"".join(thumb.streaming_content)) == ("JPEG", (480, 320))


def test_unknown_owner_and_missing_file_are_404(client, login, centre_admin, private_photo):
    login(centre_admin)
    assert client.get(f"/tep/feedback/{private_photo.pk}/").status_code == 200
    assert client.get(f"/tep/documents/{private_photo.pk}/").status_code == 404
    assert client.get(f"/tep/feedback/{private_photo.pk + 1000}/").status_code == 404
    assert client.post(f"/tep/feedback/{private_photo.pk}/").status_code in (403, 405)


def test_documents_are_downloaded_never_shown_inline(db, settings, client):
    from thongsuot.core.attachments import views

    stored = attachments.save(check(pdf(), "to-trinh.pdf"), field=Attachment._meta.get_field("file"))
    item = Attachment(file=stored["name"], original_name="tờ trình.pdf", content_type="application/pdf", size=1)
    response = views.file_response(item)
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# Storage settings -----------------------------------------------------------------------------------


def test_storage_from_the_environment(monkeypatch):
    from thongsuot.storage_config import default_storage_from_env

    for name in ("STORAGE_URL", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert default_storage_from_env()["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    monkeypatch.setenv("STORAGE_URL", "s3://tep-thongsuot/san-xuat")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.vn")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "khoa")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "bi-mat")
    config = default_storage_from_env()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["endpoint_url"]) == (
        "tep-thongsuot",
        "san-xuat",
        "https://s3.example.vn",
    )
    assert options["default_acl"] is None and options["querystring_auth"] is True
    for variable, value, named in [
        ("STORAGE_URL", "ftp://host/x", "STORAGE_URL"),
        ("STORAGE_URL", "s3://b?key=v", "STORAGE_URL"),
        ("AWS_S3_ENDPOINT_URL", "s3.example.vn", "AWS_S3_ENDPOINT_URL"),
        ("AWS_S3_ADDRESSING_STYLE", "sideways", "AWS_S3_ADDRESSING_STYLE"),
    ]:
        with monkeypatch.context() as patch:
            patch.setenv(variable, value)
            with pytest.raises(ImproperlyConfigured, match=named):
                default_storage_from_env()
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(ImproperlyConfigured, match="AWS_SECRET_ACCESS_KEY"):
        default_storage_from_env()


# S3-compatible object storage (a local moto server) -------------------------------------------------

BUCKET = "thongsuot-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3_options(endpoint: str) -> dict:
    return {
        "bucket_name": BUCKET,
        "location": "media",
        "endpoint_url": endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }


@pytest.fixture
def s3(settings, s3_server):
    """Files on the local S3 server: the default storage (so every FileField) is S3 for this test."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options(s3_server)},
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_uploads_thumbnails_and_downloads_go_through_s3(s3, s3_server, client, login, centre_admin, settings):
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    report = submit(files=[upload("o-ga.png", image("PNG", size=(1200, 800)))])
    attachment = report.attachments.get()
    keys = _keys(s3)
    assert keys == sorted([f"media/{attachment.file.name}", f"media/{attachment.thumbnail.name}"])
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]  # nothing on local disk
    # read back through the model
    assert photo_of(attachment.file.read()) == ("PNG", (1200, 800))
    assert photo_of(attachment.thumbnail.read()) == ("JPEG", (480, 320))
    # the download view streams it from the bucket
    login(centre_admin)
    response = client.get(f"/tep/feedback/{attachment.pk}/")
    assert response.status_code == 200
    assert photo_of(b"".join(response.streaming_content)) == ("PNG", (1200, 800))
    assert client.get(f"/tep/feedback/{attachment.pk}/?v=thumb").status_code == 200
    # a second app server: its own storage instance, the same bucket, the same file
    other_server = S3Storage(**_s3_options(s3_server))
    assert other_server is not storages["default"]
    with other_server.open(attachment.file.name, "rb") as stored:
        assert photo_of(stored.read()) == ("PNG", (1200, 800))
    written_there = other_server.save("feedback/tu-may-khac.txt", ContentFile(b"written by server B"))
    assert storages["default"].open(written_there).read() == b"written by server B"


def test_a_failed_submission_deletes_its_files_from_s3(s3, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("thongsuot.feedback.services.intake.record", broken)
    with pytest.raises(RuntimeError):
        submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    assert _keys(s3) == []


def test_s3_files_are_private_in_the_bucket(s3, db):
    attachment = submit(files=[upload("a.jpg", JPEG)]).attachments.get()
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"media/{attachment.file.name}")["Grants"]
    grantees = {grant["Grantee"].get("URI", "") for grant in grants}
    assert not any(uri.endswith(("AllUsers", "AuthenticatedUsers")) for uri in grantees)
