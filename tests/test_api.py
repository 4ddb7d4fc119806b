"""thongsuot/api.py: the errors of every router mapped once (see also test_feedback_api's 409 and 400)."""

from tests.conftest import make_staff
from tests.test_feedback_api import bearer


def test_an_id_out_of_the_databases_range_is_bad_input_not_a_server_error(client, ben_thanh):
    """SQLite cannot hold the number (OverflowError: a 400); PostgreSQL compares it as a numeric and finds
    nobody (an empty list)."""
    from django.db import connection

    handler = make_staff("xuly@api.test", ben_thanh, ["feedback_handler"])
    response = client.get("/api/v1/accounts/staff?organisation_id=-42506687911935782944768", **bearer(handler))
    if connection.vendor == "sqlite":
        assert response.status_code == 400 and "__all__" in response.json()["errors"]
    else:
        assert response.status_code == 200 and response.json() == []


def test_a_missing_record_is_a_404_with_a_detail(client, ben_thanh):
    handler = make_staff("xuly@api.test", ben_thanh, ["feedback_handler"])
    response = client.get("/api/v1/feedback/reports/PA-0000-000000", **bearer(handler))
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
