"""MP4 videos: the box structure read through, and the length taken as the longest any part of it records.

A player shows the longest of the movie header's duration, each track's header and each track's media
header (a sound track of 5 s under a movie header of 600 s still plays for 600 s, and the other way
round), so the length is the largest of them all, and of the fragment duration a fragmented file
declares. Refused: a file whose boxes do not tile it exactly (something appended, a box running past the
end), a movie without a header or without a track, a timescale of 0, a duration marked unknown, and a
length of 0. The file is read through its storage API file object, seeking over the media data.
"""

import struct

from django.utils.translation import gettext as _

from thongsuot.core.attachments.errors import Refused

BRANDS = (b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash")
_CONTAINERS = {b"moov", b"trak", b"mdia", b"mvex", b"edts"}
_MAX_BOXES = 20_000


def sniff(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in BRANDS


class _Broken(Exception):
    pass


def _boxes(fp, start: int, end: int, counter: list[int]):
    """(type, payload start, payload end) of each box between start and end, which they must tile."""
    position = start
    while position < end:
        counter[0] += 1
        if counter[0] > _MAX_BOXES:
            raise _Broken("too many boxes")
        fp.seek(position)
        header = fp.read(8)
        if len(header) < 8:
            raise _Broken("truncated box header")
        size, kind = struct.unpack(">I4s", header)
        payload = position + 8
        if size == 1:
            large = fp.read(8)
            if len(large) < 8:
                raise _Broken("truncated large size")
            (size,) = struct.unpack(">Q", large)
            payload += 8
        elif size == 0:
            size = end - position
        if size < payload - position or position + size > end:
            raise _Broken("box size out of bounds")
        yield kind, payload, position + size
        position += size


def _full_box(fp, start: int, end: int, layout_v0: str, layout_v1: str) -> tuple:
    fp.seek(start)
    data = fp.read(min(end - start, 64))
    if not data:
        raise _Broken("empty header")
    layout = layout_v1 if data[0] == 1 else layout_v0
    needed = 4 + struct.calcsize(layout)
    if len(data) < needed:
        raise _Broken("short header")
    return struct.unpack(layout, data[4:needed])


def _mvhd(fp, start, end) -> tuple[int, int]:  # (timescale, duration)
    _created, _modified, timescale, duration = _full_box(fp, start, end, ">IIII", ">QQIQ")
    return timescale, duration


def _tkhd(fp, start, end) -> int:  # duration in the movie's timescale
    return _full_box(fp, start, end, ">IIIII", ">QQIIQ")[4]


def _mehd(fp, start, end) -> int:
    return _full_box(fp, start, end, ">I", ">Q")[0]


_UNKNOWN = {0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF}


def seconds(upload, *, name: str) -> float:
    """The video's length in seconds (the largest any header records); raises Refused naming the file."""
    refused = Refused(_("%(name)s is not a playable MP4 video.") % {"name": name})
    upload.seek(0, 2)
    size = upload.tell()
    counter = [0]
    movie: list[tuple[int, int]] = []
    tracks: list[dict] = []
    fragments: list[int] = []
    has_media = False

    def walk(start, end, path):
        nonlocal has_media
        for kind, payload, box_end in _boxes(upload, start, end, counter):
            if kind == b"mdat" and not path:
                has_media = has_media or box_end > payload
            elif kind == b"mvhd" and path == (b"moov",):
                movie.append(_mvhd(upload, payload, box_end))
            elif kind == b"trak" and path == (b"moov",):
                tracks.append({})
                walk(payload, box_end, (*path, kind))
            elif kind == b"tkhd" and path == (b"moov", b"trak"):
                tracks[-1]["tkhd"] = _tkhd(upload, payload, box_end)
            elif kind == b"mdhd" and path == (b"moov", b"trak", b"mdia"):
                tracks[-1]["mdhd"] = _mvhd(upload, payload, box_end)
            elif kind == b"mehd" and path == (b"moov", b"mvex"):
                fragments.append(_mehd(upload, payload, box_end))
            elif kind in _CONTAINERS and kind != b"trak":
                walk(payload, box_end, (*path, kind))

    try:
        first = next(_boxes(upload, 0, size, [0]), None)
        if first is None or first[0] != b"ftyp":
            raise refused
        walk(0, size, ())
    except (_Broken, struct.error) as exc:
        raise refused from exc
    finally:
        upload.seek(0)
    if len(movie) != 1 or not tracks or not has_media:
        raise refused
    timescale, duration = movie[0]
    if timescale == 0 or duration in _UNKNOWN:
        raise refused
    lengths = [duration / timescale] + [d / timescale for d in fragments if d not in _UNKNOWN]
    for track in tracks:
        if "tkhd" not in track or "mdhd" not in track:
            raise refused
        media_scale, media_duration = track["mdhd"]
        if media_scale == 0 or media_duration in _UNKNOWN or track["tkhd"] in _UNKNOWN:
            raise refused
        lengths += [track["tkhd"] / timescale, media_duration / media_scale]
    length = max(lengths)
    if length <= 0:
        raise refused
    return length
