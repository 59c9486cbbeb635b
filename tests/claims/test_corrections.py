"""The public corrections log: every reopened published verdict, with the
date, the old verdict → the new one, and the reason."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from claims import workflow
from claims.models import Claim
from tests.conftest import SOURCE, add_evidence

URL = reverse("claims:corrections")


@pytest.fixture
def published(proposed_claim, editor) -> Claim:
    return workflow.claim_approve(claim=proposed_claim, actor=editor)


def approve_again(
    claim: Claim, reviewer, editor, verdict="verified", note="Still right."
) -> Claim:
    """The reviewer's new verdict on a reopened claim, approved by ``editor``."""
    claim = workflow.claim_set_verdict(
        claim=claim,
        actor=reviewer,
        verdict=verdict,
        note=note,
        expected_version=claim.version,
    )
    return workflow.claim_approve(claim=claim, actor=editor)


def page() -> str:
    response = Client().get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_to_correct_yet(published):
    assert "No published verdict has been corrected yet." in page()


def test_a_reopened_verdict_shows_until_and_after_it_is_approved_again(
    published, editor, editor2, reviewer
):
    claim = workflow.claim_reopen(
        claim=published,
        actor=editor,
        note="A <b>newer</b> filing revises the figure.",
        expected_version=published.version,
    )
    html = page()
    assert (
        'Verified</span> → <span class="badge badge-researching">Under review' in html
    )
    assert "Reason: A &lt;b&gt;newer&lt;/b&gt; filing revises the figure." in html
    # Off the public pages while under review: named, not linked.
    assert claim.get_absolute_url() not in html
    add_evidence(claim, reviewer, "https://example.org/newer")
    claim = approve_again(
        claim,
        reviewer,
        editor2,
        verdict="misleading",
        note="The newer filing halves it.",
    )
    html = page()
    assert (
        'Verified</span> → <span class="badge badge-misleading">Misleading</span>'
        in html
    )
    assert f'href="{claim.get_absolute_url()}"' in html


def test_an_editors_change_of_what_is_rated_is_a_correction(published, editor2):
    workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={"summary": "Growth of 80 times in one year"},
        note="The check rates the yearly figure.",
    )
    html = page()
    assert "Changed: the summary." in html
    assert "Reason: The check rates the yearly figure." in html


def test_a_corrected_headline_shows_the_one_published_before(
    published, editor, editor2, reviewer, django_assert_num_queries
):
    claim = workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={"summary": "Growth of <80> times in one year"},
        note="The check rates the yearly figure.",
    )
    # Under review again: readers are still shown the headline they had.
    html = page()
    assert "Growth claim: 80 times growth" in html
    assert "Published before as" not in html
    approve_again(claim, reviewer, editor)
    with django_assert_num_queries(4):  # the page's three, and the headlines'
        html = page()
    assert "Growth of &lt;80&gt; times in one year" in html
    assert "Published before as: “Growth claim: 80 times growth”" in html


def test_reopening_a_proposal_that_was_never_published_is_no_correction(
    proposed_claim, editor
):
    workflow.claim_reopen(
        claim=proposed_claim,
        actor=editor,
        note="Not yet.",
        expected_version=proposed_claim.version,
    )
    assert "No published verdict has been corrected yet." in page()


def test_pages_of_corrections_newest_first(
    published, editor, editor2, reviewer, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("claims.views.publishing.CORRECTIONS_PER_PAGE", 2)
    claim = published
    notes = []
    for n in range(3):
        note = f"Correction number {n}."
        claim = workflow.claim_reopen(
            claim=claim, actor=editor, note=note, expected_version=claim.version
        )
        notes.append(note)
        claim = approve_again(claim, reviewer, editor2)
    with django_assert_max_num_queries(5):
        first = Client().get(URL)
    html = first.content.decode()
    assert html.index(notes[2]) < html.index(notes[1])
    assert notes[0] not in html
    before = first.context["next_before"]
    html = Client().get(URL, {"before": before}).content.decode()
    assert notes[0] in html and notes[1] not in html
    assert Client().get(URL, {"before": "²"}).status_code == 200


def test_the_claim_page_lists_its_own_corrections(published, editor, editor2, reviewer):
    claim = workflow.claim_reopen(
        claim=published,
        actor=editor,
        note="A newer filing.",
        expected_version=published.version,
    )
    claim = approve_again(claim, reviewer, editor2)
    html = Client().get(claim.get_absolute_url()).content.decode()
    assert (
        "a published “Verified” verdict was reopened. Reason: A newer filing." in html
    )


def test_a_claim_under_review_again_shows_the_headline_readers_were_given(
    published, editor, editor2, reviewer
):
    """The draft of a claim reopened by a change of what it rates is not
    public until approved: the log shows the headline readers had."""
    given = published.headline
    claim = workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={"summary": "UNAPPROVED DRAFT HEADLINE"},
        note="Rewording.",
    )
    claim = workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"text": "A second draft of the text"},
    )
    html = page()
    assert given in html
    assert "UNAPPROVED DRAFT" not in html and "second draft" not in html
    add_evidence(claim, reviewer, "https://example.org/again")
    approve_again(claim, reviewer, editor)
    html = page()
    assert "UNAPPROVED DRAFT HEADLINE" in html  # approved: now what readers see
    # The earlier one only as the headline published before the correction.
    assert html.count(given) == 1
    assert f"Published before as: “{given}”" in html


def test_what_a_correction_changed_is_said_in_readers_words(published, editor2):
    workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={
            "quote": "10 times as big",
            "quote_start": SOURCE.index("10 times as big"),
            "quote_end": SOURCE.index("10 times as big") + 15,
            "text": "Anthropic planned 10x.",
        },
        note="The quote was the wrong sentence.",
    )
    html = page()
    assert "Changed: the quote, the claim&#x27;s wording." in html
    assert "quote_start" not in html and "quote_end" not in html


def test_reopened_first_and_edited_after_shows_what_changed_and_the_headline_before(
    published, editor, editor2, reviewer, django_assert_num_queries
):
    """An editor who reopens, then edits the summary, then has it approved
    again: the log said neither what changed nor the headline published
    before (found by the second new-user review; a change made with the
    reopening said both)."""
    claim = workflow.claim_reopen(
        claim=published,
        actor=editor,
        note="Wrong month.",
        expected_version=published.version,
    )
    claim = workflow.claim_update(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        changes={"summary": "Growth of 80 times in one year"},
        note="Rewritten.",
    )
    approve_again(claim, reviewer, editor2)
    with django_assert_num_queries(4):
        html = page()
    assert "Growth of 80 times in one year" in html
    assert "Published before as: “Growth claim: 80 times growth”" in html
    assert "Changed: the summary." in html
    assert "Reason: Wrong month." in html


def test_a_later_correction_of_the_headline_is_not_said_of_an_earlier_one(
    published, editor, editor2, reviewer
):
    claim = workflow.claim_reopen(
        claim=published, actor=editor, note="First.", expected_version=published.version
    )
    claim = approve_again(claim, reviewer, editor2)
    claim = workflow.claim_update(
        claim=claim,
        actor=editor2,
        expected_version=claim.version,
        changes={"summary": "A new headline"},
        note="Second.",
    )
    approve_again(claim, reviewer, editor)
    html = page()
    assert html.count("Published before as") == 1
    assert html.count("Changed: the summary.") == 1
