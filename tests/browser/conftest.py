"""Browser tests: Playwright driving Debian's Chromium against the live server.

Chromium comes from Debian (`apt-get install -y chromium`); Playwright's own
browser download does not work on these machines. Without /usr/bin/chromium
the tests skip with that instruction, except where CLAIMDESK_REQUIRE_BROWSER
is set (.ci/run sets it), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Screenshots go to docs/ (shown in README) when CLAIMDESK_SCREENSHOTS=docs,
# else to a temporary folder, so a plain test run leaves the tree unchanged:
#   CLAIMDESK_SCREENSHOTS=docs make test
DOCS = (
    Path(__file__).resolve().parents[2] / "docs"
    if os.environ.get("CLAIMDESK_SCREENSHOTS") == "docs"
    else Path(tempfile.mkdtemp(prefix="claimdesk-screenshots-"))
)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        message = (
            "Chromium is not installed: run `apt-get install -y chromium` "
            "(Debian's package; Playwright's own download does not work here)."
        )
        if os.environ.get("CLAIMDESK_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM,
    # used by the test itself, is still synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While that loop runs, asgiref gives this thread a second set of database
    # connections, as for async code. The database contents that
    # setup_databases serialized onto the first set must be carried over, or
    # serialized_rollback restores nothing: every later transactional test
    # would find the groups of the data migration (Reviewer, Editor) gone.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
