"""The review flow in a real browser, on the real sample episode.

A reviewer filters the claim list, opens a claim, starts research, adds
evidence and a note and proposes a verdict on the reader pages; an editor
approves it in the admin; an anonymous visitor then sees the published
verdict, its rationale and evidence, and none of the newsroom's notes or
drafts. A second test covers keyboard use of the claim list.

The test run takes the screenshots shown in README (docs/page-*.png; written
there with CLAIMDESK_SCREENSHOTS=docs, see conftest.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from claims import workflow
from claims.ingest import import_episode
from claims.models import Claim, Evidence, ReviewNote, Stance, Status
from episodes.models import Episode
from people.loading import load_people
from tests.browser.conftest import DOCS

# Groups Reviewer and Editor come from a data migration: a transactional test
# flushes the tables, so they must be restored after it (serialized_rollback).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEEDS = Path(settings.BASE_DIR) / "seeds"
SAMPLE = SEEDS / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
PASSWORD = "correct horse battery staple"  # tests.conftest.make_user's
VIEWPORT = {"width": 1280, "height": 900}

DATA_CENTER = "5 to $6,000,000,000 data center"
DRAFT_NOTE = "Draft note: asked SpaceX for the lease terms, no answer yet."
# Sample review data: the screenshots in README show it, so it says so.
EVIDENCE_URL = "https://example.org/data-center-costs"
EVIDENCE_TITLE = "Example source (sample data of the browser tests)"
RATIONALE = (
    "Sample rationale written by the browser tests, not a real fact-check: "
    "the verdict shows where a reader finds the reasons for it."
)


@pytest.fixture
def sample(db) -> Episode:
    """seeds/ as `make demo` loads it: known people, then the sample episode."""
    load_people(json.loads((SEEDS / "people.json").read_text("utf-8")))
    result = import_episode(SAMPLE.read_bytes(), name=SAMPLE.name)
    return result.episode


@pytest.fixture
def new_page(browser: Browser):
    """Pages in fresh browser contexts: one per person, no shared cookies."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def data_center_claim(episode: Episode) -> Claim:
    return episode.claims.get(quote__contains=DATA_CENTER)


def screenshot(page: Page, name: str, *, full_page: bool) -> None:
    page.screenshot(path=str(DOCS / name), full_page=full_page)


# --- the flow -------------------------------------------------------------------


def reviewer_finds_the_claim(page: Page, base: str, claim: Claim) -> str:
    """Sign in from the claim list, filter it with its form; return its URL."""
    page.goto(f"{base}/claims/")
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/claims/"))
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/claims/")
    expect(page.locator(".account")).to_contain_text("Signed in as rita")
    results = page.locator(".claim-list > li")
    expect(results).to_have_count(11)  # every claim of the sample, unreviewed

    filters = page.get_by_role("form", name="Filter and sort")
    filters.get_by_role("textbox", name="Search").fill("Elon Musk")
    filters.get_by_label("Sort").select_option(label="Most check-worthy first")
    filters.get_by_role("button", name="Apply filters").click()

    # The filters live in the URL (shareable) and stay filled in on the page.
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["Elon Musk"]
    assert query["order"] == ["checkworthy"]
    expect(page.get_by_role("textbox", name="Search")).to_have_value("Elon Musk")
    expect(results).to_have_count(2)
    expect(page.get_by_text("First page: 2 claims")).to_be_visible()
    expect(results.first).to_contain_text(DATA_CENTER)  # the more check-worthy
    expect(results.nth(1)).to_contain_text("come to the rescue of Anthropic")
    expect(page.get_by_text("The deal between SpaceX and Anthropic")).to_have_count(0)
    expect(results.first.locator(".badge")).to_have_text("Unreviewed")
    filtered_url = page.url

    page.get_by_role("link", name=re.compile(re.escape(DATA_CENTER))).click()
    expect(page).to_have_url(f"{base}/claims/{claim.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(DATA_CENTER)
    expect(page.locator(".quote mark")).to_contain_text(DATA_CENTER)
    return filtered_url


def reviewer_starts_research(page: Page) -> None:
    step = page.locator("#start-research-step")
    step.get_by_role("button", name="Start research").click()
    expect(page.locator(".messages")).to_have_text(
        "Research started; the claim is now researching."
    )
    expect(page.locator(".claim-header .badge")).to_have_text("Researching")
    expect(page.locator("#start-research-step")).to_have_count(0)
    expect(page.locator(".claim-header")).to_contain_text("Assigned to rita")


def reviewer_adds_evidence(page: Page, claim: Claim) -> None:
    form = page.locator("#add-evidence-step")
    # A javascript: address is refused with a visible error, input kept.
    form.get_by_label("Web address").fill("javascript:alert(1)")
    form.get_by_label("Refutes").check()
    form.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Adding evidence was not saved"
    )
    url_field = page.locator("#add-evidence-step").get_by_label("Web address")
    expect(url_field).to_have_value("javascript:alert(1)")
    expect(url_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#add-evidence-step .errorlist")).to_contain_text(
        "Enter a web address that starts with http:// or https://."
    )
    expect(page.locator("#add-evidence-step").get_by_label("Refutes")).to_be_checked()
    expect(page.locator("#evidence")).to_contain_text("No evidence yet.")
    expect(page.locator(".messages")).to_have_count(0)
    assert not Evidence.objects.filter(claim=claim).exists()

    form = page.locator("#add-evidence-step")
    form.get_by_label("Web address").fill(EVIDENCE_URL)
    form.get_by_label("Title").fill(EVIDENCE_TITLE)
    form.get_by_label("Publisher").fill("Example Research")
    form.get_by_label("Context").check()
    form.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".messages")).to_have_text("Evidence added.")
    link = page.locator("#evidence").get_by_role("link", name=EVIDENCE_TITLE)
    expect(link).to_have_attribute("href", EVIDENCE_URL)
    expect(page.get_by_role("heading", name="Context (1)")).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("Added by rita")
    # The form is blank again for the next source.
    expect(
        page.locator("#add-evidence-step").get_by_label("Web address")
    ).to_have_value("")


def reviewer_adds_note(page: Page) -> None:
    form = page.locator("#add-note-step")
    form.get_by_label("Note", exact=True).fill(DRAFT_NOTE)
    form.get_by_role("button", name="Add note").click()
    expect(page.locator(".messages")).to_have_text("Note added.")
    expect(page.locator("#notes .notes")).to_contain_text(DRAFT_NOTE)
    expect(page.locator("#notes .notes")).to_contain_text("rita")


def reviewer_proposes_verdict(page: Page) -> None:
    form = page.locator("#set-verdict-step")
    expect(form.get_by_role("heading")).to_have_text("Propose a verdict")
    form.get_by_label("Misleading").check()
    form.get_by_label("Rationale").fill(RATIONALE)
    form.get_by_role("button", name="Propose verdict").click()
    expect(page.locator(".messages")).to_have_text(
        "Verdict “Misleading” proposed. It is published once another editor "
        "approves it."
    )
    expect(page.locator(".claim-header .badge")).to_have_text("Misleading (proposed)")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Proposed by rita, awaiting an editor's approval")
    expect(verdict.locator(".rationale")).to_have_text(RATIONALE)
    # The reviewer may still revise it; only an editor may approve it.
    expect(page.locator("#set-verdict-step h3")).to_have_text(
        "Revise the proposed verdict"
    )
    expect(page.locator("#approve-step")).to_have_count(0)
    # The history, newest first: created, research, evidence, note, verdict.
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(5)
    expect(history.first).to_contain_text("Researching → Misleading")
    expect(history.first).to_contain_text(RATIONALE)


def editor_approves_in_admin(page: Page, base: str, claim: Claim) -> None:
    change_url = f"{base}/admin/claims/claim/{claim.pk}/change/"
    page.goto(change_url)
    expect(page).to_have_url(re.compile(r"/admin/login/\?next="))
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(change_url)

    page.get_by_role("link", name="Approve verdict…").click()
    expect(page).to_have_url(f"{base}/admin/claims/claim/{claim.pk}/workflow/approve/")
    expect(page.get_by_role("heading", name="Approve", exact=True)).to_be_visible()
    approval = page.locator(".claim-approval")
    expect(approval).to_contain_text("rita")
    expect(approval).to_contain_text(RATIONALE)
    page.get_by_role("button", name="Approve", exact=True).click()

    expect(page).to_have_url(change_url)
    expect(page.locator(".messagelist")).to_contain_text(
        "Approved the verdict of 1 claim."
    )
    workflow_steps = page.get_by_role("list", name="Workflow")
    expect(workflow_steps.get_by_role("link", name="Approve verdict…")).to_have_count(0)
    expect(workflow_steps.get_by_role("link", name="Reopen…")).to_be_visible()


def test_reviewer_proposes_editor_approves_public_sees_the_verdict(
    live_server, page: Page, new_page, sample: Episode, reviewer: User, editor: User
):
    base = live_server.url
    claim = data_center_claim(sample)
    draft = sample.claims.exclude(pk=claim.pk).order_by("quote_start").first()

    # 1. The reviewer, on the reader pages.
    filtered_url = reviewer_finds_the_claim(page, base, claim)
    reviewer_starts_research(page)
    reviewer_adds_evidence(page, claim)
    reviewer_adds_note(page)
    reviewer_proposes_verdict(page)

    claim.refresh_from_db()
    assert claim.status == Status.MISLEADING
    assert claim.verdict_by == reviewer
    assert claim.approved_at is None
    assert claim.rationale == RATIONALE
    assert list(claim.evidence.values_list("url", "stance")) == [
        (EVIDENCE_URL, Stance.CONTEXT)
    ]
    assert ReviewNote.objects.get(claim=claim).body == DRAFT_NOTE

    # The shared link of the filtered list shows the proposal waiting.
    page.goto(filtered_url)
    first = page.locator(".claim-list > li").first
    expect(first.locator(".badge-misleading")).to_have_text("Misleading")
    expect(first.locator(".badge-proposed")).to_have_text("awaiting approval")
    expect(first).to_contain_text("1 evidence link")
    screenshot(page, "page-claims.png", full_page=False)

    # 2. Another user, an editor, approves it in the admin.
    editor_approves_in_admin(new_page(), base, claim)
    claim.refresh_from_db()
    assert claim.status == Status.MISLEADING
    assert claim.approved_by == editor
    assert claim.approved_at is not None

    # Meanwhile another claim gets a verdict that nobody has approved yet.
    proposed = sample.claims.get(quote__contains="80 times growth")
    workflow.claim_start_research(claim=proposed, actor=reviewer)
    workflow.claim_set_verdict(
        claim=proposed,
        verdict=Status.UNVERIFIABLE,
        note="Proposed, not approved: never public.",
        actor=reviewer,
    )

    # 3. An anonymous visitor: no cookies, the public pages.
    visitor = new_page()
    visitor.goto(f"{base}/claims/")
    expect(visitor.locator(".account")).to_contain_text("Sign in")
    results = visitor.locator(".claim-list > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(DATA_CENTER)
    expect(results.first.locator(".badge")).to_have_text("Misleading")
    expect(visitor.get_by_text("awaiting approval")).to_have_count(0)
    results.first.get_by_role("link", name=re.compile(re.escape(DATA_CENTER))).click()

    expect(visitor).to_have_url(f"{base}/claims/{claim.pk}/")
    expect(visitor.locator(".claim-header .badge")).to_have_text("Misleading")
    verdict = visitor.locator("#verdict")
    expect(verdict).to_contain_text("Approved by edna on")
    expect(verdict.locator(".rationale")).to_have_text(RATIONALE)
    link = visitor.locator("#evidence").get_by_role("link", name=EVIDENCE_TITLE)
    expect(link).to_have_attribute("href", EVIDENCE_URL)
    # Nothing of the newsroom's: no notes, history, forms or who added what.
    html = visitor.content()
    assert "Draft note" not in html
    assert DRAFT_NOTE not in html
    for hidden in ("#notes", "#history", "#review", "form.stacked-form"):
        expect(visitor.locator(hidden)).to_have_count(0)
    expect(visitor.get_by_text("Added by")).to_have_count(0)
    expect(visitor.get_by_text("Version ")).to_have_count(0)
    screenshot(visitor, "page-claim.png", full_page=True)

    # A claim without an approved verdict is not found, even by its URL:
    # neither an unreviewed one nor one whose verdict awaits approval.
    for hidden_claim in (draft, proposed):
        response = visitor.goto(f"{base}/claims/{hidden_claim.pk}/")
        assert response.status == 404
        expect(visitor.locator("body")).to_contain_text(re.compile("not found", re.I))
        assert hidden_claim.text not in visitor.content()
        assert "never public" not in visitor.content()

    # The episode page: the approved claim's passage highlighted and linked,
    # the claims that are not public neither listed nor highlighted.
    visitor.goto(f"{base}/episodes/{sample.slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(sample.title)
    passages = visitor.locator(".source a.passage")
    expect(passages).to_have_count(1)
    passage = visitor.locator(f"#claim-{claim.pk}")
    expect(passage).to_have_attribute("href", f"/claims/{claim.pk}/")
    expect(passage.locator("mark")).to_have_text(claim.quote)
    claims_section = visitor.locator("section", has=visitor.locator("#claims-heading"))
    expect(claims_section.locator(".claim-list > li")).to_have_count(1)
    expect(claims_section.get_by_role("heading", name="Ranjan Roy (1)")).to_be_visible()
    for hidden_claim in (draft, proposed):
        # In the source text, but neither highlighted nor linked.
        expect(visitor.get_by_text(hidden_claim.quote)).to_have_count(1)
        expect(visitor.locator("mark", has_text=hidden_claim.quote)).to_have_count(0)
        expect(visitor.locator(f"#claim-{hidden_claim.pk}")).to_have_count(0)
    screenshot(visitor, "page-episode.png", full_page=True)
    passage.click()
    expect(visitor).to_have_url(f"{base}/claims/{claim.pk}/")


# --- keyboard -------------------------------------------------------------------


def test_claim_list_by_keyboard(live_server, page: Page, sample, reviewer, editor):
    """An anonymous visitor, keyboard only, on a list with one published verdict."""
    claim = data_center_claim(sample)
    workflow.claim_start_research(claim=claim, actor=reviewer)
    workflow.evidence_add(
        claim=claim, actor=reviewer, url=EVIDENCE_URL, stance=Stance.CONTEXT
    )
    workflow.claim_set_verdict(
        claim=claim, verdict=Status.MISLEADING, note=RATIONALE, actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)

    page.goto(f"{live_server.url}/claims/")
    # The skip link is the first Tab stop, shown when focused…
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent, "
        "document.activeElement.getAttribute('href')]"
    )
    assert focused == ["Skip to content", "#main"]
    box = page.get_by_role("link", name="Skip to content").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    # … and Enter moves the focus to the main content, so the next Tab stop
    # is the first control in it (the search box), not the navigation.
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_q"

    # Typing a search and pressing Enter submits the filter form.
    page.keyboard.type("data center")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=data\+center"))
    results = page.locator(".claim-list > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(DATA_CENTER)

    # A status box ticked with Space, the form sent from its button with Enter.
    page.get_by_role("textbox", name="Search").fill("")
    page.get_by_role("checkbox", name="Verified").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Verified")).to_be_checked()
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]status=verified"))
    expect(page.get_by_role("checkbox", name="Verified")).to_be_checked()
    expect(page.get_by_text("No claims match these filters.")).to_be_visible()
    expect(results).to_have_count(0)
