"""Which series a document is numbered in, and how its notation reads.

Government bodies (Nghị định 30/2020, Điều 15): one series per agency per calendar year, with separate
series for regulatory documents and for secret documents; notation `05/QĐ-UBND`, a công văn
`12/UBND-VX` (agency, then drafting unit). Party bodies (Hướng dẫn 36-HD/VPTW): one series per document
type per committee term (core Term), notation `15-NQ/TU`. Numbers below 10 get a leading zero.
Incoming documents: one arrival series per unit per year (secret ones in their own register).
The counters are core.numbering's: a rolled-back issue gives its number back.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from thongsuot.core.calendar import city_time
from thongsuot.core.numbering import next_number, term_period, year_period
from thongsuot.documents.types import DocType


@dataclass(frozen=True)
class Series:
    series: str
    period: str


def is_party(organisation) -> bool:
    return organisation.kind == "party"


def outgoing_series(*, organisation, office, doc_type: str, regulatory: bool, secret: bool, on) -> Series:
    if is_party(organisation):
        name = f"documents:party:{doc_type}" + (":secret" if secret else "")
        return Series(name, term_period(body=office.term_body or organisation.code, on=on))
    if secret:
        name = "documents:gov:secret"
    elif regulatory:
        name = "documents:gov:regulatory"
    else:
        name = "documents:gov"
    return Series(name, year_period(on))


def incoming_series(*, secret: bool, on) -> Series:
    return Series("documents:incoming" + (":secret" if secret else ""), year_period(on))


def take(series: Series, *, organisation) -> int:
    """The next number of `series` for `organisation`: inside the transaction that stores it."""
    return next_number(series=series.series, scope=organisation.code, period=series.period)


def notation(*, number: int, doc_type: str, body: str, party: bool, drafting_unit: str = "") -> str:
    """`05/QĐ-UBND`, `12/UBND-VX` (a công văn), `15-NQ/TU` (a Party body)."""
    shown = f"{number:02d}"
    if party:
        return f"{shown}-{doc_type}/{body}"
    if doc_type == DocType.CONG_VAN:
        return f"{shown}/{body}-{drafting_unit}" if drafting_unit else f"{shown}/{body}"
    return f"{shown}/{doc_type}-{body}"


def default_office_notation(organisation) -> str:
    """An organisation's abbreviation when its office has not set one: UBND for a People's Committee,
    TU for the City Party Committee, ĐU for a unit's Party committee, else its short name's initials."""
    if organisation.kind in ("city", "commune"):
        return "UBND"
    if organisation.kind == "party":
        return "TU" if organisation.counterpart_id is None else "ĐU"
    words = (organisation.short_name or organisation.name).split()
    return "".join(word[0].upper() for word in words if word[:1].isalpha())[:10] or "CQ"


def today_in_city() -> datetime.date:
    return city_time(timezone.now()).date()
