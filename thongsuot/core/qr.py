import base64
import io

import qrcode
import qrcode.image.svg


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data: URI (allowed by the CSP's img-src)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
