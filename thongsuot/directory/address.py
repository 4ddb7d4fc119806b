"""Address or point → one of the city's 168 units, with the data of the `vietnamadminunits` package.

The package's parsers match names as substrings of the whole address, so on their own they take a street
("Đường Tân Sơn Nhì"), a house number or a former district ("Phường 7, TP Vũng Tàu" → Phường Vũng Tàu)
for a unit. Here a unit counts only when the address names it as whole words with its type (phường, xã,
đặc khu, thị trấn or P., X., TT., F.), or by its bare name as a whole comma-separated part; a ward from
before July 2025 counts only together with its former district. Anything else stays unresolved with a
reason: no answer is better than a wrong unit.

Pre-2025 addresses are read with the package's legacy parser and converted with its conversion table
(converter_2025.json), read here directly rather than through `convert_address`: for a former ward split
between several new units that function guesses a default unit, or geocodes the street over the network
(ArcGIS). A split ward is returned unresolved, with the candidate units.
"""

import bisect
import json
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from thongsuot.core.geo import distance_km
from thongsuot.core.local_cache import instance_copy, local_cache
from thongsuot.core.text import fold
from thongsuot.directory.models import Organisation

CITY_PROVINCE_CODE = "79"
CITY_NAME = "Thành phố Hồ Chí Minh"
CITY_KEY = "thanhphohochiminh"
# The three provinces before July 2025 that now make up the city: the package's keys → names.
FORMER_PROVINCES = {
    CITY_KEY: CITY_NAME,
    "tinhbinhduong": "Tỉnh Bình Dương",
    "tinhbariavungtau": "Tỉnh Bà Rịa - Vũng Tàu",
}
MAX_ADDRESS_LENGTH = 500  # the longest address a feedback report keeps
MAX_POINT_DISTANCE_KM = 15.0
MAX_NAME_WORDS = 8  # the longest unit or district name, in words, with its type

# How people name the city and the two former provinces (folded, as the last part of an address).
_CITY_ALIASES = ("ho chi minh", "sai gon")
_FORMER_PROVINCE_ALIASES = {
    "binh duong": "tinhbinhduong",
    "ba ria vung tau": "tinhbariavungtau",
    "brvt": "tinhbariavungtau",
    "br vt": "tinhbariavungtau",
    "vung tau": "tinhbariavungtau",
    "ba ria": "tinhbariavungtau",
}
_NOT_A_PROVINCE = re.compile(r"^(viet nam|vietnam|vn|\d{5,6})$")
_PROVINCE_TYPE = re.compile(r"^(tinh|thanh pho)\s+")
_UNIT_TYPES = ("phuong", "xa", "thitran", "dackhu")
_DISTRICT_TYPES = ("quan", "huyen", "thixa", "thanhpho", "district")
# Abbreviations spelt out on folded text, in this order ("TP.HCM" is the city, not "TP." and "HCM").
_ABBREVIATIONS = (
    (
        r"(?:(?:thanh pho|tp)\.?\s*)?(?:ho chi minh|hcm)(?:\s*city)?(?![a-z0-9])|(?:tphcm|hcmc)(?![a-z0-9])",
        "thanh pho ho chi minh ",
    ),
    (r"(?:phuong|ph|p|f|ward)\.?\s*(?=\d)", "phuong "),
    (r"ph?(?:\.\s*|\s+(?=[a-z]))", "phuong "),
    (r"(?:quan|q|district)\.?\s*(?=\d)", "quan "),
    (r"q(?:\.\s*|\s+(?=[a-z]))", "quan "),
    (r"h(?:\.\s*|\s+(?=[a-z]))", "huyen "),
    (r"tx(?:\.\s*|\s+)", "thi xa "),
    (r"tt(?:\.\s*|\s+)", "thi tran "),
    (r"tp(?:\.\s*|\s+)", "thanh pho "),
    (r"x(?:\.\s*|\s+(?=[a-z]))", "xa "),
    (r"dk(?:\.\s*|\s+)", "dac khu "),
)
_ABBREVIATION_PATTERNS = tuple((re.compile(r"(?<![a-z0-9])(?:" + p + ")"), r) for p, r in _ABBREVIATIONS)
# What may follow a name within the same part: the next level's type word ("Phường Bến Thành Quận 1"),
# not more of a longer name ("Phường Bình Trị Đông B" is not Phường Bình Trị Đông).
_AFTER_NAME = re.compile(
    r"(quan|huyen|thi xa|thi tran|thanh pho|tinh|phuong|xa|dac khu|viet nam|vietnam|district|ward|city|province)"
    r"(\s|$)"
)
_LEADING_ZERO = re.compile(r"(?<![a-z0-9])(phuong|quan) 0+(?=\d)")


@dataclass
class Resolution:
    """The answer: the unit if resolved; `method` says how ("new", "legacy", "nearest"); `reason` why not
    (starting "outside the city" for a place in another province, which callers rely on); `candidates`
    the units a split former ward went to."""

    resolved: bool
    organisation: Organisation | None = None
    method: str = ""
    reason: str = ""
    candidates: list[Organisation] = field(default_factory=list)


@dataclass(frozen=True)
class Names:
    """The ways an address may name a unit or a district, as keys (folded, no spaces: "phuongbenthanh").
    `typed` keys may stand anywhere, as whole words ("phuongbenthanh", "quan1", "thuduc"); `bare` keys
    only as a whole comma-separated part ("benthanh")."""

    typed: frozenset[str]
    bare: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CityUnit:
    """One of the city's units as the package knows it: code, key ("phuongbenthanh"), full name, the
    name without its type ("Bến Thành"), the folded full name and the ways of naming it."""

    code: str
    key: str
    name: str
    label: str
    folded: str
    names: Names


@dataclass(frozen=True)
class FormerWard:
    """A ward, commune or township of the three provinces before July 2025 (`name` is empty for Côn Đảo,
    a district without wards). `key` is the package's "province_district_ward" key."""

    key: str
    province_key: str
    district_key: str
    name: str
    district: str
    names: Names


@dataclass(frozen=True)
class FormerDistrict:
    """A district-level unit of the three provinces before July 2025: its keys and name, every way of
    naming it anywhere ("quan1", "thuduc", "quan9", "longdien", ...), the stricter `typed` ways (with a
    type word, "quan1", "thixadian", or bare as a whole part, "Gò Vấp"), which alone mark an address
    as written before July 2025, and the keys of the new units its wards became."""

    province_key: str
    district_key: str
    name: str
    names: Names
    typed: Names
    successors: frozenset[str]


@dataclass(frozen=True)
class AddressText:
    """An address prepared for matching. `raw` as given (tidied); `text` folded, abbreviations spelt out,
    punctuation other than commas dropped; `parts` its comma-separated parts and `words` their words;
    `spans` every run of up to MAX_NAME_WORDS words within a part, as a key → (part, first word, end
    word) positions; `part_keys` each part as a key; `accented` the raw text in lower case with its
    diacritics."""

    raw: str
    text: str
    parts: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]
    spans: dict[str, list[tuple[int, int, int]]]
    part_keys: dict[str, int]
    accented: str


@dataclass(frozen=True)
class ProvinceMention:
    """The province an address names in its last part: `kind` is "city", "former" (Bình Dương or
    Bà Rịa - Vũng Tàu) or "other"; `legacy_key` the package's key of a former province."""

    kind: str
    name: str
    legacy_key: str = ""


# ----- The package's data, read once -----


def _key(text: str) -> str:
    """Folded, without spaces or punctuation: "Phường Bến Thành" → "phuongbenthanh"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _package_file(name: str) -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data" / name


def _dataset(sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{_package_file('dataset.db')}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def _former_provinces_sql() -> str:
    return ", ".join(f"'{key}'" for key in FORMER_PROVINCES)


def _names(keywords: str | None, full_name: str, excluded: frozenset[str] = frozenset()) -> Names:
    """A unit's names from the package's keywords (which include names of wards merged into it before
    July 2025: "phuong12" for Phường Xóm Củi, Quận 8); abbreviated keywords ("p12", "f12") are left out,
    since abbreviations are spelt out in the address."""
    keys = {*json.loads(keywords or "[]"), _key(full_name)}
    typed = {k for k in keys if k.startswith(_UNIT_TYPES)}
    bare = {k for k in keys if not k.startswith(_UNIT_TYPES) and not re.fullmatch(r"(p|f|ward)\d+", k)}
    return Names(frozenset(typed), frozenset(bare - excluded))


@lru_cache(maxsize=1)
def _place_keys() -> frozenset[str]:
    """Keys of former districts and of the province names: a unit named bare like one of these
    ("Thủ Đức", "Sài Gòn", "Bình Dương") is more likely the place than the unit."""
    keys = set()
    for (keywords,) in _dataset(
        f"SELECT DISTINCT districtKeywords FROM admin_units_legacy WHERE provinceKey IN ({_former_provinces_sql()})"
    ):
        keys |= set(json.loads(keywords or "[]"))
    keys |= {_key(alias) for alias in (*_CITY_ALIASES, *_FORMER_PROVINCE_ALIASES)}
    return frozenset(keys)


@lru_cache(maxsize=1)
def _city_place_names() -> frozenset[str]:
    """Folded names, without type, of the city's units and of the three provinces' former wards and
    districts ("hoa binh", "phu tho", ...): such a part of an address is not a province's name."""
    rows = _dataset(
        "SELECT wardShort, districtShort FROM admin_units_legacy "
        f"WHERE provinceKey IN ({_former_provinces_sql()}) AND wardShort IS NOT NULL"
    )
    rows += _dataset(f"SELECT wardShort, NULL FROM admin_units WHERE provinceCode = '{CITY_PROVINCE_CODE}'")
    return frozenset(fold(name) for row in rows for name in row if name)


@lru_cache(maxsize=1)
def _former_ward_name_counts() -> Counter:
    """How many wards of the whole country before July 2025 carried each folded full name."""
    return Counter(fold(name) for (name,) in _dataset("SELECT ward FROM admin_units_legacy WHERE ward IS NOT NULL"))


@lru_cache(maxsize=1)
def _city_units() -> dict[str, CityUnit]:
    """The city's units by the package's key."""
    rows = _dataset(
        "SELECT wardCode, wardKey, ward, wardShort, wardKeywords FROM admin_units "
        f"WHERE provinceCode = '{CITY_PROVINCE_CODE}'"
    )
    return {
        key: CityUnit(str(int(code)), key, name, short, fold(name), _names(keywords, name, _place_keys()))
        for code, key, name, short, keywords in rows
    }


@lru_cache(maxsize=1)
def _city_units_by_code() -> dict[str, CityUnit]:
    return {unit.code: unit for unit in _city_units().values()}


@lru_cache(maxsize=1)
def _folded_name_counts() -> Counter:
    """How many units in the whole country carry each folded full name ("phuong tan phu": 2, ...)."""
    return Counter(fold(name) for (name,) in _dataset("SELECT ward FROM admin_units"))


@lru_cache(maxsize=1)
def _former_wards() -> dict[str, FormerWard]:
    """The 442 former wards of the three provinces by the package's key."""
    rows = _dataset(
        "SELECT provinceKey, districtKey, wardKey, ward, district, wardKeywords FROM admin_units_legacy "
        f"WHERE provinceKey IN ({_former_provinces_sql()})"
    )
    return {
        f"{p}_{d}_{w or ''}": FormerWard(f"{p}_{d}_{w or ''}", p, d, name or "", district, _names(kw, name or ""))
        for p, d, w, name, district, kw in rows
    }


@lru_cache(maxsize=1)
def _former_districts() -> dict[tuple[str, str], FormerDistrict]:
    """The former districts of the three provinces by (province key, district key)."""
    rows = _dataset(
        "SELECT DISTINCT provinceKey, districtKey, district, districtKeywords FROM admin_units_legacy "
        f"WHERE provinceKey IN ({_former_provinces_sql()})"
    )
    whole, split = _conversion()
    successors = {}
    for ward in _former_wards().values():
        targets = {whole[ward.key]} if ward.key in whole else set(split.get(ward.key, ()))
        successors.setdefault((ward.province_key, ward.district_key), set()).update(targets)
    districts = {}
    for province_key, district_key, name, keywords in rows:
        keys = {*json.loads(keywords or "[]"), _key(name)}
        bare = {k for k in keys if not k.startswith(_DISTRICT_TYPES) and not re.fullmatch(r"q\d+", k)}
        typed = {k for k in keys if k.startswith(_DISTRICT_TYPES)} | {t + b for t in _DISTRICT_TYPES for b in bare}
        districts[(province_key, district_key)] = FormerDistrict(
            province_key,
            district_key,
            name,
            Names(frozenset(keys)),
            Names(frozenset(typed), frozenset(bare)),
            frozenset(successors.get((province_key, district_key), ())),
        )
    return districts


@lru_cache(maxsize=1)
def _conversion() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The package's July 2025 conversion for the city: former ward key → new unit key, and for former
    wards split between several units, former ward key → the new unit keys (the package's default first)."""
    with open(_package_file("converter_2025.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    whole = {old: new for new, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"][CITY_KEY].items() for old in olds}
    split = {
        old: tuple(w["newWardKey"] for w in sorted(news, key=lambda w: not w["isDefaultNewWard"]))
        for old, news in data["DICT_PROVINCE_WARD_DIVIDED"].get(CITY_KEY, {}).items()
    }
    return whole, split


@lru_cache(maxsize=1)
def _province_names() -> dict[str, ProvinceMention]:
    """Folded province names (before and after July 2025) → what naming one means for the city."""
    rows = _dataset("SELECT DISTINCT province, provinceShort, provinceKey FROM admin_units_legacy")
    rows += _dataset("SELECT DISTINCT province, provinceShort, provinceKey FROM admin_units")
    names = {
        fold(short).replace(" - ", " "): ProvinceMention("other", name)
        for name, short, key in rows
        if key not in FORMER_PROVINCES
    }
    names.update(
        {alias: ProvinceMention("former", FORMER_PROVINCES[k], k) for alias, k in _FORMER_PROVINCE_ALIASES.items()}
    )
    names.update({alias: ProvinceMention("city", CITY_NAME, CITY_KEY) for alias in _CITY_ALIASES})
    return names


# ----- Reading the text -----


def _prepare(text: str) -> AddressText:
    """Fold the address and spell out the abbreviations people type ("P.12, Q.10, TP.HCM")."""
    folded = re.sub(r"[;\n]", ",", fold(text))
    for pattern, replacement in _ABBREVIATION_PATTERNS:
        folded = pattern.sub(replacement, folded)
    folded = re.sub(r"[^a-z0-9,]+", " ", folded)
    folded = _LEADING_ZERO.sub(r"\1 ", folded)
    parts = tuple(p.strip() for p in folded.split(",") if p.strip())
    words_by_part = tuple(tuple(part.split()) for part in parts)
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for index, words in enumerate(words_by_part):
        for start in range(len(words)):
            for end in range(start + 1, min(start + MAX_NAME_WORDS, len(words)) + 1):
                spans.setdefault("".join(words[start:end]), []).append((index, start, end))
    part_keys = {part.replace(" ", ""): index for index, part in enumerate(parts)}
    accented = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).lower()
    return AddressText(text, ", ".join(parts), parts, words_by_part, spans, part_keys, accented)


def _where_named(address: AddressText, names: Names) -> set[tuple[int, int, int]]:
    """Where the address names something: the word spans of its typed names (ending their part or followed
    by a type word) and bare whole parts."""
    found = {
        (index, start, end)
        for key in names.typed
        for index, start, end in address.spans.get(key, ())
        if end == len(address.words[index]) or _AFTER_NAME.match(" ".join(address.words[index][end:]))
    }
    for key in names.bare:
        if key in address.part_keys:
            index = address.part_keys[key]
            found.add((index, 0, len(address.words[index])))
    return found


def _inside(span: tuple[int, int, int], other: tuple[int, int, int]) -> bool:
    return span != other and span[0] == other[0] and other[1] <= span[1] and span[2] <= other[2]


def _most_specific(found: dict) -> list:
    """The things named, without those whose every mention lies inside a longer name ("Phường An Phú"
    inside "Phường An Phú Đông")."""
    spans = [(thing, span) for thing, where in found.items() for span in where]
    return [
        thing
        for thing, where in found.items()
        if not all(any(_inside(span, other) for _, other in spans) for span in where)
    ]


def _named_province(address: AddressText) -> ProvinceMention | None:
    """The province the address names: its last part ("TP.HCM", "Đồng Nai", "Bình Dương"), or the last
    of the other parts that is a province's name and no unit's or district's in the city."""
    parts = [p for p in address.parts if not _NOT_A_PROVINCE.match(p)]
    if not parts:
        return None
    mention = _province_names().get(_PROVINCE_TYPE.sub("", parts[-1]))
    if mention is None and re.search(r"(?<![a-z0-9])thanh pho ho chi minh$", parts[-1]):
        mention = _province_names()["ho chi minh"]  # an address without commas, ending with the city
    for part in reversed(parts[:-1]):
        if mention is not None:
            break
        if part not in _city_place_names():
            mention = _province_names().get(_PROVINCE_TYPE.sub("", part))
    return mention


def _districts_named(address: AddressText, typed: bool = False) -> list[FormerDistrict]:
    """The former districts of the three provinces that the address names (in the stricter ways if
    `typed`: "Quận 1", "TP Thủ Đức", "Huyện Cần Giờ", "…, Gò Vấp, …")."""
    return [d for d in _former_districts().values() if _where_named(address, d.typed if typed else d.names)]


# ----- Addresses before July 2025 -----


def _legacy_parse(text: str):
    from vietnamadminunits import ParseMode, parse_address

    try:
        return parse_address(text, mode=ParseMode.LEGACY, level=3)
    except Exception:  # the parser raises on text it cannot read at all
        return None


def _legacy_readings(address: AddressText, province: ProvinceMention | None) -> list:
    """The legacy parser's reading of the address, then readings with a former province added, for
    addresses that leave it out, give the new city ("Phường 7, TP Vũng Tàu, TP.HCM") or whose province
    name hides the district ("Phường 7, TP Vũng Tàu")."""
    texts = [address.raw]
    if province is None or province.kind == "city":
        texts += [f"{address.raw}, {name}" for name in FORMER_PROVINCES.values()]
    elif province.kind == "former":
        texts.append(f"{address.raw}, {province.name}")
    return [reading for reading in map(_legacy_parse, texts) if reading is not None]


def _checked_former_ward(address: AddressText, parsed) -> FormerWard | None:
    """The former ward the parser found, if the address really names it and its district."""
    ward = _former_wards().get(f"{parsed.province_key}_{parsed.district_key}_{parsed.ward_key or ''}")
    if ward is None:
        return None
    district = _former_districts()[(ward.province_key, ward.district_key)]
    if not ward.name:  # Côn Đảo has no wards: "Huyện Côn Đảo" is enough, "Đặc khu Côn Đảo" is the new unit
        return ward if _where_named(address, district.typed) else None
    return ward if _where_named(address, district.names) and _where_named(address, ward.names) else None


def _outside(address: AddressText, parsed) -> str:
    """The province of a ward outside the three provinces that the address names with its type, or ""."""
    if not (parsed.ward_key and parsed.province_key not in FORMER_PROVINCES and parsed.ward):
        return ""
    return parsed.province if _key(parsed.ward) in address.spans else ""


def _resolve_former(address: AddressText, province: ProvinceMention | None) -> Resolution | None:
    """Resolve an address naming a former ward and its district; None if it names none."""
    readings = _legacy_readings(address, province)
    if readings and _outside(address, readings[0]):
        return Resolution(False, reason=f"outside the city ({_outside(address, readings[0])})")
    found = {}
    for parsed in readings:
        ward = _checked_former_ward(address, parsed)
        if ward is not None:
            found[ward.key] = ward
            if parsed is readings[0]:
                break
    if len(found) > 1:
        return Resolution(False, reason="the address fits former wards of several provinces: name the province")
    return _converted(next(iter(found.values()))) if found else None


def _resolve_former_by_name(address: AddressText, province: ProvinceMention | None) -> Resolution | None:
    """A former ward named with its type but without its district: resolved if no other former ward of
    the named former province (or of the three) has that name, and, when the address names no province,
    no unit or former ward elsewhere in the country either."""
    keys = [province.legacy_key] if province is not None and province.kind == "former" else list(FORMER_PROVINCES)
    found = {
        ward: _where_named(address, Names(ward.names.typed))
        for ward in _former_wards().values()
        if ward.name and ward.province_key in keys
    }
    wards = _most_specific({ward: where for ward, where in found.items() if where})
    if len(wards) > 1:
        return Resolution(False, reason=f"several former wards are called {wards[0].name}: name the district")
    if not wards:
        return None
    folded = fold(wards[0].name)
    if province is None and (_folded_name_counts()[folded] or _former_ward_name_counts()[folded] > 1):
        return Resolution(False, reason=f"{wards[0].name} is also a ward elsewhere in the country: add the province")
    return _converted(wards[0])


def _converted(ward: FormerWard) -> Resolution:
    """The unit a former ward became on 1 July 2025, or unresolved with the candidates if it was split."""
    whole, split = _conversion()
    where = f"{ward.name}, {ward.district}" if ward.name else ward.district
    if ward.key in whole:
        org = _organisation(_city_units().get(whole[ward.key]))
        if org is None:
            return Resolution(False, reason=f"{where} became a unit missing from the directory")
        return Resolution(True, org, method="legacy")
    units = [_city_units()[key] for key in split.get(ward.key, ()) if key in _city_units()]
    return Resolution(
        False,
        method="legacy",
        reason=f"{where} was split between {' and '.join(u.name for u in units)} on 1 July 2025: "
        "give the new unit's name",
        candidates=[org for org in map(_organisation, units) if org is not None],
    )


# ----- Addresses after July 2025 -----


def _units_named(address: AddressText) -> list[CityUnit]:
    """The city's units the address names, leaving out names inside longer ones."""
    found = {unit: _where_named(address, unit.names) for unit in _city_units().values()}
    return _most_specific({unit: where for unit, where in found.items() if where})


def _by_diacritics(address: AddressText, units: list[CityUnit]) -> list[CityUnit]:
    """Of units whose names differ only by diacritics, those the address spells exactly; none if the
    address has no diacritics at all ("xa thanh an" is Xã Thanh An or Xã Thạnh An)."""
    if fold(address.accented) == address.accented.replace("đ", "d"):
        return []
    return [u for u in units if re.search(rf"(?<!\w){re.escape(u.label.lower())}(?!\w)", address.accented)]


def _resolve_new(
    address: AddressText, province: ProvinceMention | None, within: frozenset[str] | None = None
) -> Resolution | None:
    """Resolve an address naming one of the city's units (one of the unit keys `within`, if given);
    None if it names none."""
    units = _units_named(address)
    if not units:
        return None
    if len({u.folded for u in units}) == 1 and len(units) > 1:
        units = _by_diacritics(address, units) or units
        if len(units) > 1:
            return Resolution(False, reason=f"write the name with its diacritics: {' or '.join(u.name for u in units)}")
    if len(units) > 1:
        return Resolution(False, reason=f"the address names several units: {', '.join(u.name for u in units)}")
    unit = units[0]
    if within is not None and unit.key not in within:
        return Resolution(False, reason=f"{unit.name} does not cover the former district or province named")
    if province is None and within is None and _folded_name_counts()[unit.folded] > 1:
        return Resolution(False, reason=f"{unit.name} exists in several provinces: add {CITY_NAME}")
    org = _organisation(unit)
    if org is None:
        return Resolution(False, reason=f"{unit.name} is missing from the directory")
    return Resolution(True, org, method="new")


# ----- The directory -----


@local_cache()
def _active_communes() -> tuple[dict[str, list[Organisation]], dict[str, list[Organisation]]]:
    """The directory's active commune-level units by administrative code and by folded name, read once
    per REFERENCE_CACHE_SECONDS per process (see thongsuot.core.local_cache): units change a few times
    a year, and a change made in this process drops the copy at once (signals below)."""
    by_code: dict[str, list[Organisation]] = {}
    by_folded: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True):
        by_code.setdefault(org.admin_code, []).append(org)
        by_folded.setdefault(org.name_folded, []).append(org)
    return by_code, by_folded


post_save.connect(_active_communes.clear, sender=Organisation, dispatch_uid="address_active_communes_save")
post_delete.connect(_active_communes.clear, sender=Organisation, dispatch_uid="address_active_communes_delete")


def _pick(unit: CityUnit, matches: list[Organisation]) -> Organisation | None:
    by_name = [org for org in matches if org.name == unit.name]
    by_code = [org for org in matches if org.admin_code == unit.code]
    by_folded_name = [org for org in matches if org.name_folded == unit.folded]
    for found in (by_name, by_code, by_folded_name):
        if len(found) == 1:
            return found[0]
    return None


def _organisation(unit: CityUnit | None) -> Organisation | None:
    """The active directory unit for one of the package's units: by name (the package and the directory's
    source disagree on the code of ten units, e.g. Phường Bàn Cờ), else by code (a unit renamed in the
    directory), else by name without diacritics if only one unit has it.

    Found in the per-process copy of the active units; when that finds none, the database is asked, so
    a unit added to the directory is found at once."""
    if unit is None:
        return None
    by_code, by_folded = _active_communes.get()
    matches = {org.pk: org for org in (*by_code.get(unit.code, ()), *by_folded.get(unit.folded, ()))}
    org = _pick(unit, list(matches.values()))
    if org is not None:
        return instance_copy(org)  # callers get their own instance, never the shared copy
    return _pick(
        unit,
        list(
            Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True).filter(
                Q(admin_code=unit.code) | Q(name_folded=unit.folded)
            )
        ),
    )


# ----- Entry points -----


def address_data_load() -> None:
    """Read the package's data into this process now, not when the first citizen's address needs it
    (about a second: the package and its dependencies are imported and the dataset read). The WSGI module
    calls it, so every server worker pays this before it accepts a request. Reads no database."""
    for loader in (
        _city_units_by_code,
        _place_keys,
        _city_place_names,
        _former_ward_name_counts,
        _folded_name_counts,
        _former_districts,
        _province_names,
        _centres_by_latitude,
    ):
        loader()


def address_resolve(text: str) -> Resolution:
    """Resolve a free-text address in the new or the pre-July-2025 form to one of the city's units."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return Resolution(False, reason="empty address")
    if len(text) > MAX_ADDRESS_LENGTH:
        return Resolution(False, reason=f"address longer than {MAX_ADDRESS_LENGTH} characters")
    address = _prepare(text)
    province = _named_province(address)
    if province is not None and province.kind == "other":
        return Resolution(False, reason=f"outside the city ({province.name})")
    districts = _districts_named(address)
    old_form = bool(_districts_named(address, typed=True)) or (province is not None and province.kind == "former")
    resolution = _resolve_former(address, province)
    if resolution is None and not old_form:
        resolution = _resolve_new(address, province)
    if resolution is None and not districts:
        resolution = _resolve_former_by_name(address, province)
    if resolution is None and old_form:  # a new unit written with its former district or province
        resolution = _resolve_new(address, province, within=_successors(districts, province))
    if resolution is not None:
        return resolution
    if districts:
        return Resolution(False, reason=f"names the former {districts[0].name} but no ward or commune in it")
    return Resolution(False, reason="no ward, commune or special zone of the city recognised")


def _successors(districts: list[FormerDistrict], province: ProvinceMention | None) -> frozenset[str]:
    """The new units that the named former districts (or else the named former province) became."""
    if not districts and province is not None:
        districts = [d for d in _former_districts().values() if d.province_key == province.legacy_key]
    return frozenset().union(*(d.successors for d in districts))


@lru_cache(maxsize=1)
def _all_unit_centres() -> list[tuple[str, str, float, float]]:
    """(province code, unit code, latitude, longitude) of every unit's centre in the country."""
    rows = _dataset("SELECT provinceCode, wardCode, wardLat, wardLon FROM admin_units WHERE wardLat IS NOT NULL")
    return [(str(p).zfill(2), str(int(w)), lat, lon) for p, w, lat, lon in rows if w]


@lru_cache(maxsize=1)
def _centres_by_latitude() -> tuple[list[float], list[tuple[int, tuple[str, str, float, float]]]]:
    """The centres sorted by latitude (with their position in _all_unit_centres), and their latitudes."""
    ordered = sorted(enumerate(_all_unit_centres()), key=lambda item: item[1][2])
    return [row[2] for _, row in ordered], ordered


def _nearest_centre(lat: float, lng: float) -> tuple[str, str, float, float]:
    """The unit centre nearest to the point (ranked on a flat projection, which is exact enough at the
    scale of neighbouring units; ties go to the first in the package's order). The search walks outwards
    from the point's latitude through the centres sorted by latitude, and stops once the latitude
    difference alone exceeds the best distance found: the same answer as comparing all 3,321 centres,
    from a few dozen."""
    latitudes, ordered = _centres_by_latitude()
    scale = math.cos(math.radians(lat))
    best: tuple[float, int] = (math.inf, -1)
    found = None
    up = bisect.bisect_left(latitudes, lat)
    down = up - 1
    while up < len(ordered) or down >= 0:
        up_gap = (latitudes[up] - lat) ** 2 if up < len(ordered) else math.inf
        down_gap = (latitudes[down] - lat) ** 2 if down >= 0 else math.inf
        if min(up_gap, down_gap) > best[0]:
            break
        if up_gap <= down_gap:
            position, row = ordered[up]
            up += 1
        else:
            position, row = ordered[down]
            down -= 1
        candidate = ((row[2] - lat) ** 2 + ((row[3] - lng) * scale) ** 2, position)
        if candidate < best:
            best, found = candidate, row
    return found


def coordinates_resolve(lat: float, lng: float) -> Resolution:
    """The unit whose centre is nearest to the point, among all the country's units: a point nearer
    to a neighbouring province's unit is outside the city and stays unresolved."""
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return Resolution(False, reason="invalid coordinates")
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return Resolution(False, reason="invalid coordinates")
    province, code, unit_lat, unit_lng = _nearest_centre(lat, lng)
    if distance_km(lat, lng, unit_lat, unit_lng) > MAX_POINT_DISTANCE_KM:
        return Resolution(False, reason="too far from any unit's centre")
    if province != CITY_PROVINCE_CODE:
        return Resolution(False, reason="outside the city")
    org = _organisation(_city_units_by_code().get(code))
    if org is None:
        return Resolution(False, reason="unit missing from the directory")
    return Resolution(True, org, method="nearest")
