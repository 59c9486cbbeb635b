"""In a real browser: the API's documentation page (Swagger UI, served from
this site) renders the schema's operations under the strict
Content-Security-Policy, with no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_api_docs_render_without_breaking_the_content_security_policy(
    live_server, page: Page
):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI has fetched the schema and drawn its operations.
    page.get_by_text("/api/claims/{id}/verdict/").first.wait_for()
    assert page.locator(".opblock").count() >= 13
    assert page.get_by_text("Claimdesk API").first.is_visible()
    assert problems == []
