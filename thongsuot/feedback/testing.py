"""Sample data for the feedback tests (small real photos and videos, places, a submit helper)."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from thongsuot.feedback import services


def image(fmt: str = "JPEG", size: tuple[int, int] = (32, 24), colour=(200, 40, 30), **save_options) -> bytes:
    """A real photo Pillow encodes (photos are decoded and re-encoded when stored, so they must be real)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save_options)
    return out.getvalue()


JPEG = image("JPEG")
PNG = image("PNG")
WEBP = image("WEBP")


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(
    seconds: float,
    *,
    track_seconds: float | None = None,
    media_seconds: float | None = None,
    timescale: int = 1000,
    tracks: int = 1,
) -> bytes:
    """A small MP4 as a player reads it: a file type box, a movie box with its header (`seconds` long in
    `timescale` units) and `tracks` sound tracks, each with its track header (`track_seconds`) and media
    header (`media_seconds`; both `seconds` unless given), and a media data box."""
    track_length = seconds if track_seconds is None else track_seconds
    media_length = track_length if media_seconds is None else media_seconds
    header = (
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 0, 0, timescale, int(seconds * timescale))  # created, modified, timescale, duration
        + b"\x00\x01\x00\x00\x01\x00"  # rate 1.0, volume 1.0
        + b"\x00" * 10  # reserved
        + b"\x00" * 36  # matrix
        + b"\x00" * 24  # pre-defined
        + struct.pack(">I", tracks + 1)  # next track id
    )
    traks = b""
    for number in range(1, tracks + 1):
        tkhd = b"\x00\x00\x00\x03" + struct.pack(">IIIII", 0, 0, number, 0, int(track_length * timescale))
        mdhd = b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 48000, int(media_length * 48000))
        hdlr = b"\x00" * 8 + b"soun" + b"\x00" * 12 + b"Sound\x00"
        media = _box(b"mdia", _box(b"mdhd", mdhd + b"\x55\xc4\x00\x00") + _box(b"hdlr", hdlr))
        traks += _box(b"trak", _box(b"tkhd", tkhd + b"\x00" * 60) + media)
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + _box(b"moov", _box(b"mvhd", header) + traks)
        + _box(b"mdat", b"\x00" * 64)
    )


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


def photo_of(data: bytes) -> tuple[str, tuple[int, int]]:
    """(format, size) of a photo's bytes: what survives re-encoding (the bytes themselves do not)."""
    with Image.open(io.BytesIO(data)) as decoded:
        return decoded.format, decoded.size
