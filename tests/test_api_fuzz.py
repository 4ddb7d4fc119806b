"""Schemathesis over the whole OpenAPI of /api/v1: anonymously, as a platform administrator and as a ward's
1022 handler (personal API tokens). Every generated request must get an answer that is not a server error
and that conforms to the schema's declared responses. Fixed seed and a bounded number of examples per
operation, so the run is repeatable and fits CI."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import make_staff
from thongsuot.accounts.services import api_token_create
from thongsuot.wsgi import application

EXAMPLES = 6


# The schema is read from the application itself (no database needed to describe the API).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """Schemathesis calls the WSGI application directly, which sends request_started/finished: Django would
    close the database connection the test's transaction lives in (its own test client prevents it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_headers(user) -> dict:
    _token, raw = api_token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, response_schema_conformance]


@schema.parametrize()
@FUZZ
def test_api_anonymously(case, db):
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def admin_headers(centre_admin):
    return token_headers(centre_admin)


@pytest.fixture
def handler_headers(ben_thanh):
    return token_headers(make_staff("fuzz-handler@benthanh.test", ben_thanh, ["feedback_handler"]))


@schema.parametrize()
@FUZZ
def test_api_as_a_platform_administrator(case, admin_headers):
    case.call_and_validate(headers=admin_headers, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_as_a_ward_handler(case, handler_headers):
    case.call_and_validate(headers=handler_headers, checks=CHECKS)
