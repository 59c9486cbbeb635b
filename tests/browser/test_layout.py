"""In a real browser: a title or name with no break in it wraps instead of
pushing the page sideways (found by a new user's run: a 300-character
episode title pushed the episode list's other columns out of the window)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from claims import workflow
from people.models import Person
from tests.conftest import add_evidence, make_claim, make_episode, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNBROKEN = "L" * 180


def test_an_unbroken_title_or_name_does_not_widen_the_page(
    live_server, page: Page, show
):
    editor = make_user("edna", "Editor")
    reviewer = make_user("rita", "Reviewer")
    speaker = Person.objects.create(name=f"Speaker{UNBROKEN}", slug="speaker")
    episode = make_episode(show, slug="long", title=f"Episode{UNBROKEN}")
    claim = make_claim(episode, text=f"Claim{UNBROKEN}", speaker=speaker)
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Matches.", actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)
    page.set_viewport_size({"width": 1000, "height": 800})
    for path in ("/episodes/", "/episodes/long/", f"/claims/{claim.pk}/", "/claims/",
                 "/people/", "/people/speaker/", "/"):  # fmt: skip
        page.goto(live_server.url + path)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], (path, widths)
