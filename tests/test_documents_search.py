"""Full-text search of documents: summary, number and notation, issuing body and the text of the PDF, with
or without diacritics ("quyet dinh" finds "Quyết định"), words or a quoted phrase, an exact notation,
filters by type and date; scoped by access (another unit's and unnamed secret documents are never found);
on PostgreSQL through a trigram GIN index over the folded text."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tests.test_documents_handling import arrive  # noqa: F401
from thongsuot.documents import selectors, services, text
from thongsuot.documents.testing import draft_pdf


def _draft(actor, summary, body="", **extra):
    return services.document_create(
        actor=actor,
        doc_type=extra.pop("doc_type", "QĐ"),
        summary=summary,
        file=SimpleUploadedFile("vb.pdf", draft_pdf(summary, body)),
        **extra,
    )


def _found(user, q, **filters):
    return set(selectors.document_list(user, q=q, **filters).values_list("pk", flat=True))


def test_a_pdfs_text_is_read_for_search():
    content = draft_pdf("Quyết định", "Về công tác phòng, chống lụt bão năm 2027")
    assert "phòng, chống lụt bão" in text.pdf_text(content)
    assert text.pdf_text(b"not a pdf") == ""


def test_search_ignores_diacritics_and_reads_metadata_and_the_files_text(
    ward_specialist, other_ward_admin, ward_leader
):
    decision = _draft(ward_specialist, "Quyết định về việc ban hành quy chế làm việc")
    flood = _draft(
        ward_specialist, "Kế hoạch năm 2027", "Công tác phòng, chống lụt bão và tìm kiếm cứu nạn", doc_type="KH"
    )
    secret = _draft(ward_specialist, "Quyết định về bảo vệ bí mật", confidentiality="mat")
    other = _draft(other_ward_admin, "Quyết định về việc ban hành quy chế của Sài Gòn")
    me = ward_leader
    assert _found(me, "quyet dinh") == {decision.pk}  # the secret one names the drafter only
    assert _found(ward_specialist, "QUYẾT ĐỊNH") == {decision.pk, secret.pk}
    assert _found(me, "quy che ban hanh") == {decision.pk}  # every word, in any order
    assert _found(me, '"ban hanh quy che"') == {decision.pk}  # a phrase
    assert _found(me, '"quy che ban hanh"') == set()
    assert _found(me, "lut bao") == {flood.pk}  # the text of the file
    assert _found(me, "phuong ben thanh ke hoach") == {flood.pk}  # the issuing body
    assert _found(other_ward_admin, "quyet dinh") == {other.pk}  # another unit's never
    assert _found(me, "quyet dinh", doc_type="KH") == set()
    assert _found(me, "", doc_type="KH") == {flood.pk}
    page = Client()
    page.force_login(me, backend="django.contrib.auth.backends.ModelBackend")
    html = page.get("/van-ban/", {"q": "lụt bão"}).content.decode()
    assert "Kế hoạch năm 2027" in html and "ban hành quy chế" not in html
    api = page.get("/api/v1/documents/documents", {"q": "quyet dinh"}).json()
    assert [d["id"] for d in api] == [decision.pk]


def test_an_exact_notation_and_the_date_filters(arrive, other_ward_clerk):  # noqa: F811
    copy = arrive(summary="Về việc tổng kết năm")
    notation = copy.notation
    assert notation and _found(other_ward_clerk, notation) == {copy.pk}
    assert _found(other_ward_clerk, notation.lower()) == {copy.pk}
    today = copy.issued_on
    assert _found(other_ward_clerk, "tong ket", date_from=today, date_to=today) == {copy.pk}
    assert _found(other_ward_clerk, "tong ket", date_from=today + datetime.timedelta(days=1)) == set()


@pytest.mark.django_db
def test_on_postgresql_the_folded_text_has_a_trigram_index():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'documents_document' AND indexname = %s",
            ["documents_search_trgm"],
        )
        [(definition,)] = cursor.fetchall()
    assert "gin_trgm_ops" in definition and "search_text" in definition
