"""Photos: decoded with Pillow (never trusted by their first bytes), re-encoded without their metadata.

A photo is opened with Pillow restricted to JPEG, PNG and WebP, its size in pixels checked before any pixel
is decoded (the decompression-bomb limit is set explicitly, and Pillow's own warning is an error here), then
decoded in full: a file that is only a photo's first bytes, or a photo cut short, is refused. What is
stored is a new encoding of the decoded pixels, turned the way the camera's orientation tag says, without
EXIF, XMP or comments (a phone's GPS position, the camera's serial number) and without anything appended
after the image (HTML, a script, a zip). Only the colour profile is kept.
"""

import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from thongsuot.core.attachments.errors import Refused

# The largest photo decoded, in pixels: a 50-megapixel phone camera's full size. Pillow refuses twice its
# MAX_IMAGE_PIXELS on its own and warns above it; set here so the limit is ours, not a library default.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
THUMBNAIL_TYPE = ("image/jpeg", ".jpg")

_DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
)


def decode(upload, *, name: str, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The photo in `upload`, decoded in full, turned as its orientation tag says, with no metadata left
    but its colour profile; raises Refused naming the file."""
    too_large = Refused(
        _("%(name)s has more than %(mp)d megapixels; send a smaller photo.")
        % {"name": name, "mp": max_pixels // 1_000_000}
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=list(FORMATS))  # reads the header only
            width, height = image.size
            if width * height > max_pixels:
                raise too_large
            image.load()  # every pixel: a file cut short or not a photo fails here
            ImageOps.exif_transpose(image, in_place=True)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except _DECODE_ERRORS as exc:
        raise Refused(_("%(name)s is not a JPEG, PNG or WebP photo that can be opened.") % {"name": name}) from exc
    finally:
        upload.seek(0)
    if width < 1 or height < 1:
        raise Refused(_("%(name)s is not a JPEG, PNG or WebP photo that can be opened.") % {"name": name})
    clean = image.copy()  # the pixels alone: no EXIF, XMP, comments or text chunks come along
    clean.info = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    clean.format = image.format
    image.close()
    return clean


def reencode(image: Image.Image) -> bytes:
    """The pixels in their own format again, with no metadata but the colour profile."""
    out = io.BytesIO()
    options = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    if image.format == "JPEG":
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        rgb.save(out, "JPEG", quality=88, **options)
    elif image.format == "PNG":
        image.save(out, "PNG", **options)
    else:
        image.save(out, "WEBP", quality=88, **options)
    return out.getvalue()


def thumbnail(image: Image.Image, *, size: int) -> bytes:
    """A JPEG of at most `size` pixels on its longer side (transparency on white)."""
    small = image.copy()
    small.thumbnail((size, size))
    if small.mode in ("RGBA", "LA", "P", "PA"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, (255, 255, 255))
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()
