"""What the browser shows on pages that are not one system's workflow: the API docs, the favicon,
the file picker. Same Chromium launch and transactional set-up as tests/test_browser.py."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page(browser, live_server):
    """A Vietnamese browser page that records console errors (CSP violations included)."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.failed_requests = []
    page.on("requestfailed", lambda r: page.failed_requests.append(r.url))
    yield page
    context.close()


def test_api_docs_render_the_operations_from_local_files(page):
    response = page.goto("/api/v1/docs")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "cdn" not in page.content()
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() > 10
    assert page.get_by_text("/api/v1/feedback/reports", exact=False).first.is_visible()
    assert page.console_errors == []
    assert page.failed_requests == []
