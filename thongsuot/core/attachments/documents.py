"""Documents: PDF (signed or not) parsed with pyHanko's reader; DOCX, XLSX and ODT read as the zip
packages they are, within a bound on what they unpack to (a zip bomb is refused, not unpacked).

A PDF must parse, have a page tree whose every page resolves, and open without a password; it is a
"signed PDF" when it carries at least one embedded signature (a signature field with a value). An office
file must be a zip whose entries are not encrypted, whose declared and actual unpacked sizes stay under the
bound, whose CRCs match, and whose structure is the format's: the OOXML content type of the main part
(DOCX, XLSX; macro-enabled variants refused) or the ODF `mimetype` entry, first and stored (ODT).
"""

import zipfile

from defusedxml import ElementTree
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader

from thongsuot.core.attachments.errors import Refused

MAX_PAGES = 20_000
MAX_ZIP_ENTRIES = 5_000

_OOXML_MAIN = {
    "docx": (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "signed_pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {"pdf": ".pdf", "signed_pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "odt": ".odt"}


def is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def pdf(upload, *, name: str) -> tuple[str, dict]:
    """("pdf" or "signed_pdf", {"pages", "signatures"}); raises Refused naming the file."""
    refused = Refused(_("%(name)s is not a PDF that can be opened.") % {"name": name})
    upload.seek(0)
    try:
        reader = PdfFileReader(upload, strict=False)
        if reader.encrypted and reader.decrypt("").status == AuthStatus.FAILED:  # opens only with a password
            raise Refused(_("%(name)s is protected by a password; send it without one.") % {"name": name})
        pages = _count_pages(reader.root["/Pages"])
        signatures = len(reader.embedded_signatures)
    except Refused:
        raise
    except Exception as exc:  # pyHanko raises many kinds (PdfReadError, KeyError, ValueError, …) on bad input
        raise refused from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise refused
    return ("signed_pdf" if signatures else "pdf"), {"pages": pages, "signatures": signatures}


def _count_pages(node, depth: int = 0, seen: set | None = None) -> int:
    seen = set() if seen is None else seen
    if depth > 64 or len(seen) > MAX_PAGES:
        raise ValueError("page tree too deep or too large")
    kind = node.get("/Type")
    if kind == "/Page":
        return 1
    if kind != "/Pages":
        raise ValueError("not a page tree node")
    total = 0
    for ref in node["/Kids"]:
        key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(ref)
        if key in seen:
            raise ValueError("page tree loop")
        seen.add(key)
        total += _count_pages(ref.get_object() if hasattr(ref, "get_object") else ref, depth + 1, seen)
    return total


def office(upload, *, name: str, max_unpacked: int) -> tuple[str, dict]:
    """("docx", "xlsx" or "odt", {"entries", "unpacked"}); raises Refused naming the file."""
    refused = Refused(_("%(name)s is not a DOCX, XLSX or ODT document that can be opened.") % {"name": name})
    too_big = Refused(
        _("%(name)s unpacks to more than %(mb)d MB; it is refused.") % {"name": name, "mb": max_unpacked // 2**20}
    )
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > MAX_ZIP_ENTRIES:
                raise refused
            if sum(info.file_size for info in infos) > max_unpacked:
                raise too_big
            if any(info.flag_bits & 0x1 for info in infos):
                raise Refused(_("%(name)s is protected by a password; send it without one.") % {"name": name})
            unpacked = 0
            for info in infos:  # read through: actual sizes bounded, CRCs checked
                with archive.open(info) as member:
                    while chunk := member.read(1 << 16):
                        unpacked += len(chunk)
                        if unpacked > max_unpacked:
                            raise too_big
            kind = _office_kind(archive, infos)
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError) as exc:
        raise refused from exc
    except ElementTree.ParseError as exc:
        raise refused from exc
    except Exception as exc:  # defusedxml's refusals (entities, DTDs) and zlib errors
        raise refused from exc
    finally:
        upload.seek(0)
    if kind is None:
        raise refused
    return kind, {"entries": len(infos), "unpacked": unpacked}


def _office_kind(archive: zipfile.ZipFile, infos) -> str | None:
    names = {info.filename for info in infos}
    first = infos[0]
    if first.filename == "mimetype":
        if first.compress_type != zipfile.ZIP_STORED or archive.read(first) != ODT_MIMETYPE:
            return None
        if not {"content.xml", "META-INF/manifest.xml"} <= names:
            return None
        ElementTree.fromstring(archive.read("content.xml"))
        return "odt"
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None  # macro-enabled (DOCM/XLSM) under another name
    types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    overrides = {
        element.get("PartName"): element.get("ContentType") for element in types if element.tag.endswith("Override")
    }
    for kind, (part, content_type) in _OOXML_MAIN.items():
        if overrides.get(part) == content_type and part[1:] in names:
            ElementTree.fromstring(archive.read(part[1:]))
            return kind
    return None
