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


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (other
# letters and digits where they fall), then the tones: none, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


def _letter(base: str, marks: str) -> str:
    if "\u0302" in marks:
        return {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
    if "\u031b" in marks:
        return {"o": "ơ", "u": "ư"}.get(base, base)
    if "\u0306" in marks and base == "a":
        return "ă"
    return base


def vietnamese_sort_key(value: str) -> tuple:
    """A key that sorts Vietnamese text as a Vietnamese reader expects: "Phường Đông Hòa" after
    "Phường Dĩ An" and before "Phường Gò Vấp", "Xóm Chiếu" near the end (Python's default order puts
    every accented letter after z)."""
    decomposed = unicodedata.normalize("NFD", normalise_space(value).lower())
    letters: list[tuple[int, int, str]] = []
    tones: list[int] = []
    i = 0
    while i < len(decomposed):
        base, i = decomposed[i], i + 1
        marks = ""
        while i < len(decomposed) and unicodedata.category(decomposed[i]) == "Mn":
            marks, i = marks + decomposed[i], i + 1
        letter = _letter(base, marks)
        rank = _ALPHABET.find(letter)
        # letters of the alphabet by their place; anything else (digits, spaces, other letters) by code point,
        # spaces and digits before the letters as in a dictionary
        letters.append((1, rank, "") if rank >= 0 else (0 if not letter.isalpha() else 2, 0, letter))
        tones.append(next((tone for mark, tone in _TONES.items() if mark in marks), 0))
    return (tuple(letters), tuple(tones), value)


def sorted_vietnamese(items, *, key=lambda item: item.name) -> list:
    """`items` in Vietnamese alphabetical order of `key(item)` (by default its name)."""
    return sorted(items, key=lambda item: vietnamese_sort_key(key(item)))
