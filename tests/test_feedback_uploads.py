"""Uploaded files follow their transaction (a failed submission or result leaves no file behind), and are
checked in depth: photos decoded and re-encoded without metadata, videos read through every header."""

import io
import random
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import make_staff
from thongsuot.feedback import services
from thongsuot.feedback.models import Attachment, Report
from thongsuot.feedback.services import _common
from thongsuot.feedback.testing import JPEG, MP4, PNG, WEBP, image, mp4, photo_of, submit, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_successful_submission_keeps_its_files(_media, db):
    report = submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    assert report.attachments.count() == 2
    assert len(_files(_media)) == 4  # each photo and its thumbnail


def test_a_failed_submission_deletes_the_files_it_stored(_media, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("thongsuot.feedback.services.intake.record", broken)
    with pytest.raises(RuntimeError):
        submit(files=[upload("a.jpg", JPEG), upload("b.png", PNG)])
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0
    assert _files(_media) == []


def test_a_failed_result_deletes_its_photos_and_keeps_the_citizens(_media, centre_admin, ben_thanh, monkeypatch):
    handler = make_staff("xuly@benthanh.test", ben_thanh, ["feedback_handler"])
    report = services.report_assign(
        actor=centre_admin, report=submit(files=[upload("a.jpg", JPEG)]), organisation=ben_thanh
    )
    services.report_accept(actor=handler, report=report)
    services.report_update_progress(actor=handler, report=report, note="Đang xử lý.")
    original = _common.transition

    def failing_transition(report, to_state, **kwargs):
        if to_state == "resolved":
            raise RuntimeError("boom")
        return original(report, to_state, **kwargs)

    monkeypatch.setattr("thongsuot.feedback.services.workflow.transition", failing_transition)
    with pytest.raises(RuntimeError):
        services.report_resolve(actor=handler, report=report, resolution="Xong", files=[upload("kq.png", PNG)])
    assert Attachment.objects.filter(report=report).count() == 1
    assert len(_files(_media)) == 2  # the citizen's photo and its thumbnail


# Files checked in depth (issue 15 item 4): each of these was accepted when only the first bytes were read.


def _refused(files, field="attachments") -> list[str]:
    with pytest.raises(ValidationError) as exc:
        submit(files=files)
    assert Report.objects.count() == 0
    return exc.value.message_dict[field]


def test_a_video_is_as_long_as_its_movie_header_says_even_if_its_sound_track_is_short(db, settings):
    settings.FEEDBACK_VIDEO_MAX_SECONDS = 120
    [message] = _refused([upload("dai.mp4", mp4(600, track_seconds=5))])
    assert message == "dai.mp4 kéo dài quá 120 giây; hãy gửi video ngắn hơn."


def test_a_video_is_as_long_as_its_longest_track(db, settings):
    settings.FEEDBACK_VIDEO_MAX_SECONDS = 120
    [message] = _refused([upload("dai.mp4", mp4(5, track_seconds=5, media_seconds=600))])
    assert "120" in message
    assert submit(files=[upload("ngan.mp4", mp4(5, track_seconds=4, media_seconds=5))]).attachments.count() == 1


@pytest.mark.parametrize(
    "content",
    [
        mp4(10, tracks=0),  # a movie with no track
        mp4(10, timescale=0),  # a timescale of 0
        mp4(10)[:28] + b"\x00\x00\x00\x08moov" + mp4(10)[-72:],  # file type, an empty moov, media data
        mp4(10) + b"<html><script>alert(1)</script></html>",  # something appended after the boxes
        mp4(10)[:-20],  # cut short
        mp4(0),  # no length at all
    ],
    ids=["no-track", "timescale-0", "empty-moov", "appended-html", "truncated", "zero-length"],
)
def test_a_video_that_cannot_be_played_is_refused(db, content):
    assert _refused([upload("hong.mp4", content)]) == ["hong.mp4 không phải là video MP4 xem được."]


def test_a_jpeg_followed_by_html_is_stored_as_the_photo_alone(_media, db):
    html = b"<html><body><script>document.location='http://evil.example/'</script></body></html>"
    report = submit(files=[upload("a.jpg", JPEG + html)])
    stored = report.attachments.get().file.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert photo_of(stored) == photo_of(JPEG)


def test_jpeg_magic_followed_by_random_bytes_is_refused(db):
    content = b"\xff\xd8\xff\xe0" + random.Random(15).randbytes(4000)
    [message] = _refused([upload("anh.jpg", content)])
    assert message == "anh.jpg không phải ảnh JPEG, PNG hoặc WebP mở được."


def test_a_photo_cut_short_is_refused(db):
    photo = image("PNG", size=(200, 200), colour=(10, 120, 200))
    assert _refused([upload("cut.png", photo[: len(photo) // 2])])


def _huge_png(width: int, height: int) -> bytes:
    """A real, well-formed PNG of width × height black pixels (1 bit each): a few hundred KB that decode
    to gigabytes."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_a_50000_by_50000_png_is_refused_before_it_is_decoded(db):
    bomb = _huge_png(50_000, 50_000)
    assert len(bomb) < 5 * 1024 * 1024
    started = time.monotonic()
    [message] = _refused([upload("bom.png", bomb)])
    assert time.monotonic() - started < 5
    assert message == "bom.png có hơn 50 megapixel; hãy gửi ảnh nhỏ hơn."


def test_the_decompression_bomb_limit_is_set_explicitly():
    from PIL import Image

    from thongsuot.core.attachments import images

    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS == 50_000_000


def test_gps_position_and_other_metadata_are_removed_and_orientation_kept(_media, db):
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: shown rotated 90° clockwise
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (10.0, 46.0, 16.68),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (106.0, 41.0, 38.4),
    }
    photo = image("JPEG", size=(64, 32), exif=exif.tobytes(), comment=b"home address")
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample does carry it
    stored = submit(files=[upload("gps.jpg", photo)]).attachments.get().file.read()
    with Image.open(io.BytesIO(stored)) as decoded:
        assert decoded.size == (32, 64)  # turned as the camera said, so no orientation tag is needed
        assert not decoded.getexif() and "comment" not in decoded.info
    assert b"PhoneMaker" not in stored and b"SN-123456" not in stored and b"home address" not in stored


def test_photos_get_a_thumbnail_and_videos_none(_media, db):
    from PIL import Image

    report = submit(files=[upload("lon.png", image("PNG", size=(1600, 900)))])
    attachment = report.attachments.get()
    with Image.open(attachment.thumbnail.open("rb")) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == 480 and thumb.size == (480, 270)
    assert attachment.kind == "image"
    video = submit(files=[upload("v.mp4", MP4)], client_ip="198.51.100.9").attachments.get()
    assert not video.thumbnail and video.kind == "video"


def test_webp_photos_are_accepted_and_stay_webp(_media, db):
    attachment = submit(files=[upload("a.webp", WEBP)]).attachments.get()
    assert attachment.content_type == "image/webp" and photo_of(attachment.file.read())[0] == "WEBP"
