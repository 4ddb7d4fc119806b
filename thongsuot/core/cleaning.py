"""Text a person typed, made safe to store and to show.

Two kinds of characters never belong in stored text:
- what PostgreSQL or UTF-8 cannot store at all: the NUL character and lone surrogates (U+D800–U+DFFF, which
  arrive through JSON escapes such as "\\ud800"). Requests holding them are refused as a whole, once for the
  platform (core.middleware.UnstorableTextMiddleware), naming the field: `unstorable()`.
- what can be stored but misleads or breaks what shows it: control characters (other than line breaks and
  tabs in free text) and the bidirectional controls that reorder what a reader sees (U+202E "RIGHT-TO-LEFT
  OVERRIDE" makes "gpj.exe" read "exe.jpg"). They are removed from names and free text: `clean_text()`,
  used by the services that take names and free text (citizen submissions, staff lists), by forms through
  CleanCharField and by the API's schemas through CleanLine and CleanText.
"""

import re
import unicodedata
from typing import Annotated

from django import forms
from pydantic import AfterValidator

# NUL and the lone halves of surrogate pairs: neither PostgreSQL text nor UTF-8 can hold them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# C0 and C1 control characters, DEL, and the bidirectional embedding, override and isolate controls (and
# the Arabic letter mark). Line feed and tab are kept in free text; a carriage return becomes a line feed.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_CONTROLS_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_SPACES = re.compile(r"[^\S\n]+")


def unstorable(value: str) -> bool:
    """Whether `value` holds a character that neither PostgreSQL nor UTF-8 can store."""
    return _UNSTORABLE.search(value) is not None


def clean_text(value, *, multiline: bool = False) -> str:
    """NFC text without control characters or bidirectional controls, spaces collapsed and trimmed.

    One line (names, addresses, positions): every control character, line breaks included, becomes a
    space. `multiline` (descriptions, notes): line breaks are kept (CR LF and CR become LF, at most two
    in a row), tabs become spaces, other controls are removed. Characters that cannot be stored at all
    (NUL, lone surrogates) are removed too, for callers that do not pass through the middleware."""
    text = unicodedata.normalize("NFC", _UNSTORABLE.sub("", str(value or "")))
    if not multiline:
        return " ".join(_CONTROLS_LINE.sub(" ", text).split())
    text = _CONTROLS_TEXT.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_line(value) -> str:
    return clean_text(value)


def clean_multiline(value) -> str:
    return clean_text(value, multiline=True)


# The same cleaning for the API's schemas (pydantic, django-ninja): `name: CleanLine`, `note: CleanText`.
CleanLine = Annotated[str, AfterValidator(clean_line)]
CleanText = Annotated[str, AfterValidator(clean_multiline)]


class CleanCharField(forms.CharField):
    """A form's text field cleaned by clean_text: one line, or `multiline` for notes and descriptions."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value
