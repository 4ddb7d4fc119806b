"""Vietnamese text helpers: tidy names, and fold text for accent-insensitive matching."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalise_space(value: str) -> str:
    """NFC, single spaces, trimmed ("Phường  Rạch Dừa" -> "Phường Rạch Dừa")."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, đ -> d: "Hà Nội" -> "ha noi"."""
    decomposed = unicodedata.normalize("NFD", normalise_space(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")
