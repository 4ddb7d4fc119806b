"""Numbering of official documents: the series of Nghị định 30/2020 (per agency per year; regulatory and
secret documents apart) and of Hướng dẫn 36 (per type per committee term), the notations, the incoming
register; on PostgreSQL 50 concurrent issues in one series give every number once, and a failed issue
leaves no gap."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import translation

from thongsuot.core import services as core_services
from thongsuot.directory.models import Organisation
from thongsuot.documents import numbering
from thongsuot.documents.models import Document
from thongsuot.documents.services import office_for
from thongsuot.documents.types import DocType


def _issue(organisation, *, doc_type, on, regulatory=False, secret=False, drafting_unit=""):
    office = office_for(organisation)
    with transaction.atomic():
        series = numbering.outgoing_series(
            organisation=organisation, office=office, doc_type=doc_type, regulatory=regulatory, secret=secret, on=on
        )
        number = numbering.take(series, organisation=organisation)
        return numbering.notation(
            number=number,
            doc_type=doc_type,
            body=office.notation,
            party=numbering.is_party(organisation),
            drafting_unit=drafting_unit,
        )


@pytest.mark.parametrize(
    ("number", "doc_type", "body", "party", "unit", "expected"),
    [
        (5, "QĐ", "UBND", False, "", "05/QĐ-UBND"),
        (12, "CV", "UBND", False, "VX", "12/UBND-VX"),
        (3, "CV", "UBND", False, "", "03/UBND"),
        (10, "TTr", "UBND", False, "", "10/TTr-UBND"),
        (15, "NQ", "TU", True, "", "15-NQ/TU"),
        (120, "CV", "ĐU", True, "", "120-CV/ĐU"),
        (1, "QyĐ", "TU", True, "", "01-QyĐ/TU"),
    ],
)
def test_notations_follow_nd30_and_hd36(number, doc_type, body, party, unit, expected):
    assert numbering.notation(number=number, doc_type=doc_type, body=body, party=party, drafting_unit=unit) == expected


def test_every_type_of_nd30_is_listed_with_its_abbreviation():
    assert len(DocType.values) == 31  # 29 types with abbreviations, Sao lục, and the công văn
    assert DocType("QĐ").label == "Quyết định"
    assert DocType("QyĐ").label == "Quy định"
    assert DocType("CTr").label == "Chương trình"


def test_a_government_body_numbers_per_year_with_regulatory_and_secret_series_apart(ben_thanh):
    on = date(2026, 3, 2)
    assert _issue(ben_thanh, doc_type="QĐ", on=on) == "01/QĐ-UBND"
    assert _issue(ben_thanh, doc_type="CV", on=on, drafting_unit="VX") == "02/UBND-VX"  # one series for all types
    assert _issue(ben_thanh, doc_type="KH", on=on) == "03/KH-UBND"
    assert _issue(ben_thanh, doc_type="QĐ", on=on, regulatory=True) == "01/QĐ-UBND"  # regulatory: its own series
    assert _issue(ben_thanh, doc_type="CV", on=on, secret=True) == "01/UBND"  # secret: its own series
    assert _issue(ben_thanh, doc_type="QĐ", on=on) == "04/QĐ-UBND"
    assert _issue(ben_thanh, doc_type="QĐ", on=date(2027, 1, 1)) == "01/QĐ-UBND"  # from 01 on 1 January
    other = Organisation.objects.get(kind="commune", name="Phường Sài Gòn")
    assert _issue(other, doc_type="QĐ", on=on) == "01/QĐ-UBND"  # per agency


def test_a_party_body_numbers_per_type_per_committee_term(centre_admin):
    committee = Organisation.objects.filter(kind="party", counterpart__isnull=True).first()
    ward_committee = Organisation.objects.filter(kind="party", counterpart__isnull=False).first()
    assert office_for(committee).notation == "TU"
    assert office_for(ward_committee).notation == "ĐU"
    body = committee.code
    core_services.term_save(
        actor=centre_admin, body=body, key="2020-2025", starts=date(2020, 10, 16), ends=date(2025, 10, 15)
    )
    core_services.term_save(actor=centre_admin, body=body, key="2025-2030", starts=date(2025, 10, 16))
    assert _issue(committee, doc_type="NQ", on=date(2025, 3, 1)) == "01-NQ/TU"
    assert _issue(committee, doc_type="NQ", on=date(2025, 9, 1)) == "02-NQ/TU"
    assert _issue(committee, doc_type="CT", on=date(2025, 9, 1)) == "01-CT/TU"  # per type
    assert _issue(committee, doc_type="NQ", on=date(2025, 10, 16)) == "01-NQ/TU"  # a new term
    assert _issue(committee, doc_type="NQ", on=date(2026, 1, 2)) == "02-NQ/TU"  # not a new year
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        _issue(ward_committee, doc_type="NQ", on=date(2026, 1, 2))  # no term declared for it
    assert "date" in error.value.message_dict


def test_incoming_documents_get_a_yearly_arrival_number_per_unit(ben_thanh, sai_gon):
    def arrive(org, on, secret=False):
        with transaction.atomic():
            return numbering.take(numbering.incoming_series(secret=secret, on=on), organisation=org)

    assert [arrive(ben_thanh, date(2026, 5, 1)) for _ in range(3)] == [1, 2, 3]
    assert arrive(ben_thanh, date(2026, 5, 1), secret=True) == 1
    assert arrive(sai_gon, date(2026, 5, 1)) == 1
    assert arrive(ben_thanh, date(2027, 1, 1)) == 1


def test_a_rolled_back_issue_gives_its_number_back(ben_thanh):
    on = date(2026, 4, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(ben_thanh, doc_type="QĐ", on=on)
        raise RuntimeError("sealing failed")
    assert _issue(ben_thanh, doc_type="QĐ", on=on) == "01/QĐ-UBND"


def test_the_database_refuses_a_number_twice_in_one_series(ben_thanh):
    from django.db import IntegrityError

    fields = {
        "direction": "outgoing",
        "organisation": ben_thanh,
        "status": "issued",
        "doc_type": "QĐ",
        "issuing_body": ben_thanh.name,
        "summary": "Quyết định thử",
        "series": "documents:gov",
        "period": "2026",
        "number": 7,
    }
    Document.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(**fields)


class _Failed(Exception):
    pass


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_50_concurrent_issues_in_one_series_use_every_number_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter; SQLite serialises them")
    ben_thanh = Organisation.objects.get(kind="commune", name="Phường Bến Thành")
    office_for(ben_thanh)
    count = 50
    barrier = threading.Barrier(count)
    notations, errors = [], []

    def work(index):
        try:
            barrier.wait(30)
            with transaction.atomic():
                office = office_for(ben_thanh)
                series = numbering.outgoing_series(
                    organisation=ben_thanh,
                    office=office,
                    doc_type="QĐ",
                    regulatory=False,
                    secret=False,
                    on=date(2026, 6, 1),
                )
                number = numbering.take(series, organisation=ben_thanh)
                Document.objects.create(
                    direction="outgoing",
                    organisation=ben_thanh,
                    status="issued",
                    doc_type="QĐ",
                    issuing_body=ben_thanh.name,
                    summary=f"Quyết định số {index}",
                    series=series.series,
                    period=series.period,
                    number=number,
                    notation=numbering.notation(number=number, doc_type="QĐ", body="UBND", party=False),
                )
                if index % 10 == 0:  # every tenth issue fails after taking its number
                    raise _Failed
                notations.append(number)
        except _Failed:
            pass
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert not errors, errors
    assert sorted(notations) == list(range(1, 46))  # no duplicate, no gap
    stored = list(
        Document.objects.filter(organisation=ben_thanh, series="documents:gov").values_list("number", flat=True)
    )
    assert sorted(stored) == list(range(1, 46))
    assert Document.objects.filter(notation="01/QĐ-UBND").count() == 1
