"""In a real browser: the Content-Security-Policy holds on every kind of
page (no violation), and script in claim text, quotes, notes, names and
titles stays text (no script runs)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from claims import workflow
from episodes.models import Episode
from people.models import Person
from tests.conftest import add_evidence, make_claim, make_episode, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def sign_in_to_the_admin(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_no_page_breaks_the_content_security_policy_and_no_script_runs(
    live_server, page: Page, show
):
    editor = make_user("edna", "Editor")
    reviewer = make_user("rita", "Reviewer")
    speaker = Person.objects.create(name=f"Speaker {XSS}", slug="speaker")
    source = f"Intro.\n{XSS} said 80 times growth.\n"
    episode = make_episode(show, source=source, slug="xss", title=f"Ep {XSS}")
    claim = make_claim(
        episode, quote="80 times growth", text=f"Claim {XSS}", speaker=speaker
    )
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer, url="https://example.org/x?<script>")
    workflow.note_add(claim=claim, actor=reviewer, body=f"Note {XSS}")
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note=f"Rationale {XSS}", actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)

    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    base = live_server.url
    sign_in_to_the_admin(page, base, "edna")
    pages = [
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/workflow/reopen/",
        f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/people/person/{speaker.pk}/change/",
        f"/admin/episodes/episode/{episode.pk}/change/",
        "/admin/claims/import/",
        "/admin/audit/event/",
        "/",
        "/claims/",
        f"/claims/{claim.pk}/",
        "/episodes/",
        f"/episodes/{episode.slug}/",
        f"/people/{speaker.slug}/",
    ]
    for path in pages:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("window.__xss") is None, path
    assert violations == []
    # The payloads are on the pages, as text.
    page.goto(f"{base}/claims/{claim.pk}/")
    assert "<script>window.__xss = 1</script>" in page.locator("h1").inner_text()
    assert Episode.objects.get(pk=episode.pk).title.startswith("Ep <script>")
