"""The text of a document's PDF (its text layer, read with pypdf), kept folded for search beside its
metadata: summary, number and notation, issuing body."""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from thongsuot.core.text import fold

logger = logging.getLogger(__name__)

MAX_TEXT = 200_000  # characters of a PDF's text kept for search


def pdf_text(content: bytes) -> str:
    """The text layer of a PDF ("" for a scan without one, or a file pypdf cannot read)."""
    try:
        reader = PdfReader(io.BytesIO(content))
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        logger.info("no text read from a PDF: %s", exc)
        return ""
    return " ".join(" ".join(parts).split())[:MAX_TEXT]


def search_text(document) -> str:
    """What the search reads, folded (no diacritics, lower case): "quyet dinh" finds "Quyết định"."""
    return fold(" ".join([document.notation, document.issuing_body, document.summary, document.extracted_text]))
