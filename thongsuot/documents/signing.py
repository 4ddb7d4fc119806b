"""PAdES signing with pyHanko: the signer's signature with a visible stamp, then the agency's seal
signature beside it (Nghị định 30/2020, Phụ lục I: the seal's image covers the left third of the
signer's). Keys are read from their key files (PEM) when signing; no private key is ever stored in the
database."""

import io
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from thongsuot.core.calendar import city_time
from thongsuot.core.reporting.pdf import font_dir

# Boxes on the first page (points from the bottom left of an A4 page): the signer's stamp at the
# signature place, the seal's over its left third.
SIGNER_BOX = (330, 90, 530, 160)
SEAL_BOX = (300, 80, 400, 170)


def _style(text: str) -> TextStampStyle:
    font = GlyphAccumulatorFactory(str(font_dir() / "DejaVuSans.ttf"))
    return TextStampStyle(stamp_text=text, text_box_style=TextBoxStyle(font=font, font_size=7), border_width=1)


def _signer(key_file: str, cert_file: str, chain_files) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(key_file, cert_file, ca_chain_files=tuple(chain_files or ()))
    if signer is None:
        raise ValidationError({"key": [_("The signing key or certificate cannot be read.")]})
    return signer


def _sign(pdf: bytes, *, signer, field: str, box, text: str, reason: str, name: str) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as error:  # noqa: BLE001 — pyHanko raises several kinds for a broken PDF
        raise ValidationError({"file": [_("The PDF cannot be read for signing.")]}) from error
    meta = signers.PdfSignatureMetadata(
        field_name=field, reason=reason, name=name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=_style(text),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field, on_page=0, box=box),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def _when(moment: datetime) -> str:
    return city_time(moment).isoformat(timespec="seconds")


def sign_as_signer(pdf: bytes, *, key, name: str, position: str, at: datetime) -> bytes:
    """The signer's signature (a SignerKey's files), its stamp naming them and the time."""
    signer = _signer(key.key_file, key.cert_file, key.chain_files)
    text = f"{position}\n{name}\nKý số: {_when(at)}"
    return _sign(pdf, signer=signer, field="ChuKyNguoiKy", box=SIGNER_BOX, text=text, reason="Ký ban hành", name=name)


def sign_as_seal(pdf: bytes, *, office, organisation_name: str, notation: str, at: datetime) -> bytes:
    """The agency's seal signature (its office's key files), stamped with number, notation and time."""
    if not (office.seal_key_file and office.seal_cert_file):
        raise ValidationError({"seal": [_("The organisation has no seal certificate configured.")]})
    signer = _signer(office.seal_key_file, office.seal_cert_file, office.seal_chain_files)
    text = f"{organisation_name}\nSố: {notation}\n{_when(at)}"
    return _sign(
        pdf, signer=signer, field="ChuKyCoQuan", box=SEAL_BOX, text=text, reason="Phát hành", name=organisation_name
    )


def page_count(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])
