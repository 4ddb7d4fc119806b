"""A test PKI (root, intermediate, signer and seal certificates generated with `cryptography`, keys written
as PEM key files) and draft PDFs with Vietnamese text (fpdf2 with DejaVu): for tests and demo data."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Credential:
    key_file: str
    cert_file: str
    chain_files: tuple[str, ...]


def _name(common: str, organisation: str = "Thông Suốt thử nghiệm") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(subject, key, issuer_name, issuer_key, *, ca: bool, days: int = 365, not_before=None):
    now = not_before or datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    builder = builder.add_extension(usage, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(folder: Path, stem: str, key, cert) -> tuple[str, str]:
    key_path, cert_path = folder / f"{stem}.key.pem", folder / f"{stem}.cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


class TestPKI:
    """Root → intermediate → end-entity certificates (signers and seals), all written under `folder`."""

    __test__ = False  # not a pytest class

    def __init__(self, folder: Path, *, name: str = "Thông Suốt Root CA thử nghiệm"):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root_name = _name(name)
        self.root = _certificate(self.root_name, self.root_key, self.root_name, self.root_key, ca=True, days=3650)
        self.root_key_file, self.root_file = _write(self.folder, "root", self.root_key, self.root)
        self.intermediate_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate_name = _name("Thông Suốt CA cấp dưới thử nghiệm")
        self.intermediate = _certificate(
            self.intermediate_name, self.intermediate_key, self.root_name, self.root_key, ca=True, days=1825
        )
        _key, self.intermediate_file = _write(self.folder, "intermediate", self.intermediate_key, self.intermediate)

    def issue(self, stem: str, common_name: str, *, organisation: str = "Thông Suốt thử nghiệm", days: int = 365):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(
            _name(common_name, organisation), key, self.intermediate_name, self.intermediate_key, ca=False, days=days
        )
        key_file, cert_file = _write(self.folder, stem, key, cert)
        return Credential(key_file, cert_file, (self.intermediate_file,))


def draft_pdf(title: str, body: str = "") -> bytes:
    """A one-page A4 PDF with Vietnamese text (a document's final version)."""
    from fpdf import FPDF

    from thongsuot.core.reporting.pdf import font_dir

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=13)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    pdf.multi_cell(0, 6, body or "Nội dung văn bản thử nghiệm.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def signing_keys_install(pki: TestPKI, *, admin, leader, organisation, seal_organisation: str | None = None):
    """Give `leader` a signing key and `organisation` its seal key (issued by `pki`), as its unit administrator
    would: the set-up every signing test needs. Returns (signer, seal)."""
    from thongsuot.documents import services

    signer = pki.issue("chutich", "Hồ Văn Chủ Tịch")
    seal_name = f"UBND {organisation.name}"
    seal = pki.issue("seal", seal_name, organisation=seal_organisation or "Thông Suốt thử nghiệm")
    services.signer_key_save(
        actor=admin,
        user=leader,
        key_file=signer.key_file,
        cert_file=signer.cert_file,
        chain_files=signer.chain_files,
    )
    services.office_save(
        actor=admin,
        organisation=organisation,
        notation="UBND",
        seal_key_file=seal.key_file,
        seal_cert_file=seal.cert_file,
        seal_chain_files=seal.chain_files,
    )
    return signer, seal
