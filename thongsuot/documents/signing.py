"""PAdES signing with pyHanko: the signer's signature with a visible stamp, then the agency's seal
signature beside it (Nghị định 30/2020, Phụ lục I: the seal's image covers the left third of the
signer's). Keys are read from their key files (PEM) when signing; no private key is ever stored in the
database."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from thongsuot.core.calendar import city_time
from thongsuot.core.reporting.pdf import font_dir
from thongsuot.documents.types import SignatureCheck

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


@dataclass(frozen=True)
class Check:
    result: str  # a types.SignatureCheck value
    detail: str


def check(pdf: bytes, *, trust_roots=None) -> Check:
    """Validate every signature of `pdf` against the configured trust roots (DOCUMENTS_TRUST_ROOTS):
    "valid" when each is intact, covers its revision and chains to a root; "tampered" when any content
    was changed after it; "untrusted" when intact but not chaining to a root; "unsigned" without any."""
    roots = [load_cert_from_pemder(path) for path in (trust_roots if trust_roots is not None else _roots())]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 — an unreadable PDF cannot vouch for anything
        return Check(SignatureCheck.TAMPERED, "PDF không đọc được")
    if not signatures:
        return Check(SignatureCheck.UNSIGNED, "")
    lines, result, status = [], SignatureCheck.VALID, None
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        name = status.signing_cert.subject.human_friendly if status.signing_cert else "?"
        if not status.intact or not status.valid or status.coverage is None:
            result = SignatureCheck.TAMPERED
        elif not status.trusted and result == SignatureCheck.VALID:
            result = SignatureCheck.UNTRUSTED
        intact = "toàn vẹn" if status.intact else "bị thay đổi"
        lines.append(f"{name}: {intact}, {'tin cậy' if status.trusted else 'không tin cậy'}")
    # A change appended after the last signature, which no signature covers, is tampering too.
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        result = SignatureCheck.TAMPERED
    return Check(result, "; ".join(lines)[:1000])


def _roots():
    from django.conf import settings

    return settings.DOCUMENTS_TRUST_ROOTS
