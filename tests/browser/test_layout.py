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


# Each character's left edge, in the order of the text, of the text that
# follows the element matched by the selector.
_FOLLOWING_TEXT_X = """(selector) => {
  const text = document.querySelector(selector).nextSibling;
  const xs = [];
  for (let i = 0; i < text.length; i++) {
    if (text.data[i] === " ") continue;
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    xs.push(range.getBoundingClientRect().left);
  }
  return [text.data, xs];
}"""


def test_a_direction_override_in_a_name_turns_only_the_name_around(
    live_server, page: Page, show
):
    """A speaker named, and a claim written, with a right-to-left override
    (U+202E) and no closing mark: the words after them still read left to
    right, on the site's claim page and in the desk's messages."""
    make_user("edna", "Editor")
    speaker = Person.objects.create(name="Mallory\u202e", slug="mallory")
    claimant = Person.objects.create(name="Alice", slug="alice")
    episode = make_episode(show, slug="bidi", title="Episode\u202e one")
    claim = make_claim(
        episode, text="Growth\u202e claim", speaker=speaker, claimant=claimant
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    text, xs = page.evaluate(_FOLLOWING_TEXT_X, 'a[href="/people/mallory/"]')
    assert text.startswith(", reporting a claim by")
    assert xs == sorted(xs), xs

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist a")
    text, xs = page.evaluate(_FOLLOWING_TEXT_X, ".messagelist a")
    assert text.startswith("” was changed successfully")
    assert xs == sorted(xs), xs
