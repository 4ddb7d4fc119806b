"""Sample data for the feedback tests (tiny files with real magic bytes, places, a submit helper)."""

import struct

from django.core.files.uploadedfile import SimpleUploadedFile

from thongsuot.feedback import services

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64


def mp4(seconds: int) -> bytes:
    """The smallest MP4 a player (and mutagen) accepts as a video of `seconds`: a file type box and a
    movie box holding only its header (timescale 1000)."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    header = (
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 0, 0, 1000, seconds * 1000)  # created, modified, timescale, duration
        + b"\x00\x01\x00\x00\x01\x00"  # rate 1.0, volume 1.0
        + b"\x00" * 10  # reserved
        + b"\x00" * 36  # matrix
        + b"\x00" * 24  # pre-defined
        + struct.pack(">I", 2)  # next track id
    )
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + box(b"moov", box(b"mvhd", header))


MP4 = mp4(15)
MP4_SIGNATURE_ONLY = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64

BEN_THANH_POINT = (10.7713, 106.694)
SAI_GON_POINT = (10.7805, 106.704)
HANOI_POINT = (21.03, 105.85)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def sample(**overrides) -> dict:
    """A valid anonymous web report in Phường Bến Thành (override any field)."""
    return {
        "category": "ha-tang-ky-thuat",
        "description": "Nắp cống bị vỡ trước số 12 Lê Lợi, rất nguy hiểm cho xe máy.",
        "address": "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh",
        "latitude": BEN_THANH_POINT[0],
        "longitude": BEN_THANH_POINT[1],
        "contact_name": "Nguyễn Văn Dân",
        "contact_phone": "0901234567",
        "contact_email": "dan@example.test",
        "client_ip": "203.0.113.7",
        **overrides,
    }


def submit(**overrides):
    """sample() stored at once (report_submit, as the hotline does)."""
    return services.report_submit(**sample(**overrides))


def accept(**overrides):
    """sample() sent the way citizens send it: accepted now, registered by a worker (submission_accept)."""
    return services.submission_accept(**sample(**overrides))
