"""The claim page and its review forms, the episode pages and the person page:
who sees what, every form's success and refusal, escaping, and query counts
that stay flat as rows grow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from audit.log import record
from audit.models import Kind
from claims import workflow
from claims.extraction.types import QuantityData
from claims.models import (
    Claim,
    QuantityKind,
    Stance,
    Status,
)
from claims.views.claim import quote_in_context
from claims.views.episodes import Passage, highlight_source
from episodes.models import Appearance, Episode, Role
from people.models import Person, PersonAlias
from tests.claims.test_admin import bound_form_data
from tests.conftest import add_evidence, events, make_claim, make_episode

# --- helpers ------------------------------------------------------------------


def publish(claim: Claim, reviewer: User, editor: User, verdict: str = "verified"):
    """Research, evidence, a verdict by the reviewer, the editor's approval."""
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict=verdict, note=f"Rationale for {claim.pk}.", actor=reviewer
    )
    return workflow.claim_approve(claim=claim, actor=editor)


def research(claim: Claim, reviewer: User) -> Claim:
    return workflow.claim_start_research(claim=claim, actor=reviewer)


def post(client: Client, claim: Claim, action: str, version=None, **data):
    claim.refresh_from_db()
    return client.post(
        claim.get_absolute_url(),
        {
            "action": action,
            "version": claim.version if version is None else version,
            **data,
        },
    )


def state(claim: Claim) -> tuple:
    """Everything a refused step must leave as it was."""
    claim.refresh_from_db()
    return (
        claim.status,
        claim.version,
        claim.rationale,
        claim.approved_at,
        events(claim).count(),
        claim.evidence.count(),
        claim.notes.count(),
    )


def episode_with_lines(show, count: int, slug: str = "many") -> Episode:
    source = "".join(
        f"Line {i} says growth was {i + 10} percent.\n" for i in range(count)
    )
    return make_episode(show, source, slug=slug)


def claims_on_lines(episode: Episode, count: int, **extra) -> list[Claim]:
    return [
        make_claim(episode, f"growth was {i + 10} percent", **extra)
        for i in range(count)
    ]


@dataclass(frozen=True)
class FoundMention:
    quote: str
    start: int
    end: int
    timestamp_seconds: int | None = None


@pytest.fixture
def published(claim, reviewer, editor) -> Claim:
    claim = publish(claim, reviewer, editor)
    workflow.note_add(claim=claim, actor=reviewer, body="Draft note: call the CFO.")
    return claim


# --- visibility ---------------------------------------------------------------


def test_anonymous_visitor_gets_404_for_an_unreviewed_claim(client, claim):
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_anonymous_visitor_gets_404_for_a_proposed_verdict_not_yet_approved(
    client, proposed_claim
):
    assert client.get(proposed_claim.get_absolute_url()).status_code == 404


def test_signed_in_user_without_a_role_gets_404_for_an_unapproved_claim(
    client, proposed_claim, outsider
):
    client.force_login(outsider)
    assert client.get(proposed_claim.get_absolute_url()).status_code == 404


def test_guessing_a_claim_id_that_does_not_exist_is_404(client, db):
    assert client.get(reverse("claims:claim_detail", args=[999999])).status_code == 404


def test_anonymous_visitor_sees_the_approved_verdict_rationale_and_evidence_not_notes(
    client, published, editor
):
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert "Verified" in text
    assert f"Rationale for {published.pk}." in text
    assert 'href="https://example.org/report" rel="noopener nofollow"' in text
    assert f"Approved by {editor.username}" in text
    assert "Draft note" not in text
    assert "History" not in text
    assert "Review notes" not in text
    assert "<form" not in text.split('<main id="main"')[1]


def test_reviewer_sees_notes_history_and_the_review_forms(client, published, reviewer):
    client.force_login(reviewer)
    text = client.get(published.get_absolute_url()).text
    assert "Draft note: call the CFO." in text
    assert "History" in text
    assert "Researching → Verified" in text
    assert 'name="action" value="add-evidence"' in text
    assert 'name="action" value="add-note"' in text


def test_reviewer_sees_a_proposed_verdict_marked_as_not_public(
    client, proposed_claim, reviewer
):
    client.force_login(reviewer)
    text = client.get(proposed_claim.get_absolute_url()).text
    assert "Verified (proposed)" in text
    assert "It is not public until approved." in text


def test_claim_page_shows_the_quote_in_its_sentences_with_timestamp(
    client, episode, speaker, reviewer
):
    claim = make_claim(episode, speaker=speaker, timestamp_seconds=3723)
    client.force_login(reviewer)
    text = client.get(claim.get_absolute_url()).text
    assert "I hope that <mark>80 times growth</mark> doesn&#x27;t continue." in text
    assert "data center that&#x27;s fully built." in text
    assert "Anthropic had planned" in text
    assert '<time datetime="PT1H2M3S">01:02:03</time>' in text


def test_quote_context_is_cut_to_whole_sentences(show, speaker):
    source = (
        "One. Two is here. Three has the figure of 42 percent in it. Four follows. "
        "Five ends."
    )
    episode = make_episode(show, source, slug="sentences")
    claim = make_claim(episode, "42 percent", speaker=speaker)
    context = quote_in_context(Claim.objects.select_related("episode").get(pk=claim.pk))
    assert context.before == "Two is here. Three has the figure of "
    assert context.quote == "42 percent"
    assert context.after == " in it. Four follows."
    assert context.more_before and context.more_after


def test_claim_page_lists_other_mentions_and_quantities(client, episode, reviewer):
    source = episode.source_text
    mention = "about 10 times as big"
    start = source.index(mention)
    claim = make_claim(
        episode,
        mentions=[FoundMention(mention, start, start + len(mention), 75)],
        quantities=[
            QuantityData(
                kind=QuantityKind.MULTIPLIER,
                text="80 times",
                low=80,
                high=80,
                unit="x",
            )
        ],
    )
    client.force_login(reviewer)
    text = client.get(claim.get_absolute_url()).text
    assert (
        '<time datetime="PT0H1M15S">00:01:15</time>: <q>about 10 times as big</q>'
        in (text)
    )
    assert "<q>80 times</q>: multiplier, 80x" in text


# --- the review forms ---------------------------------------------------------


def test_reviewer_adds_evidence_and_is_sent_back_with_a_message(
    client, claim, reviewer
):
    client.force_login(reviewer)
    response = post(
        client,
        claim,
        "add-evidence",
        url="https://stats.example.org/table",
        stance=Stance.REFUTES,
        title="Table 4",
        publisher="Statistics Office",
        excerpt="Growth was 8 times.",
    )
    assert response.status_code == 303
    assert response["Location"] == claim.get_absolute_url()
    evidence = claim.evidence.get()
    assert (evidence.url, evidence.stance, evidence.added_by) == (
        "https://stats.example.org/table",
        Stance.REFUTES,
        reviewer,
    )
    page = client.get(response["Location"])
    assert "Evidence added." in page.text
    assert "Refutes the claim (1)" in page.text


def test_a_javascript_url_is_a_form_error_and_nothing_is_saved(client, claim, reviewer):
    client.force_login(reviewer)
    before = state(claim)
    response = post(
        client,
        claim,
        "add-evidence",
        url="javascript:alert(1)",
        stance=Stance.SUPPORTS,
        title="Kept title",
    )
    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://." in (
        response.text
    )
    assert 'value="javascript:alert(1)"' in response.text
    assert 'value="Kept title"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert state(claim) == before


def test_an_upper_case_scheme_is_stored_in_lower_case_not_refused_by_the_database(
    client, claim, reviewer
):
    client.force_login(reviewer)
    response = post(
        client,
        claim,
        "add-evidence",
        url="HTTPS://Example.org/A",
        stance=Stance.CONTEXT,
    )
    assert response.status_code == 303
    assert claim.evidence.get().url == "https://Example.org/A"


def test_evidence_needs_a_stance(client, claim, reviewer):
    client.force_login(reviewer)
    response = post(client, claim, "add-evidence", url="https://example.org/")
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not claim.evidence.exists()


def test_a_source_dated_in_the_future_is_a_form_error_on_its_date(
    client, claim, reviewer
):
    client.force_login(reviewer)
    response = post(
        client, claim, "add-evidence", url="https://example.org/", stance="supports",
        published_on="9999-12-31",
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["steps"]["add_evidence"]["form"]
    assert form.errors["published_on"] == [
        "The source's date 9999-12-31 is in the future: give the day it was "
        "published (YYYY-MM-DD), or leave it empty."
    ]
    assert not claim.evidence.exists()


def test_an_excerpt_past_the_limit_is_a_form_error_and_nothing_is_added(
    client, claim, reviewer
):
    """An excerpt of any length was taken, and its evidence export could
    not be imported again (a cell holds at most 131,072 characters)."""
    client.force_login(reviewer)
    response = post(
        client, claim, "add-evidence", url="https://example.org/", stance="supports",
        excerpt="x" * 200_000,
    )  # fmt: skip
    assert response.status_code == 200
    assert "The excerpt is 200,000 characters long; keep it to 20,000 or fewer" in (
        response.text
    )
    assert not claim.evidence.exists()
    response = post(
        client, claim, "add-evidence", url="https://example.org/", stance="supports",
        excerpt="x" * 20_000,
    )  # fmt: skip
    assert response.status_code == 303
    assert len(claim.evidence.get().excerpt) == 20_000


def test_a_source_already_linked_is_a_form_error_as_an_import_skips_it(
    client, claim, reviewer
):
    client.force_login(reviewer)
    first = post(
        client, claim, "add-evidence", url="https://Example.org/report#p3",
        stance="supports",
    )  # fmt: skip
    assert first.status_code == 303
    # The same source: host in another case, the default port, no fragment.
    again = post(
        client, claim, "add-evidence", url="https://example.org:443/report",
        stance="refutes",
    )  # fmt: skip
    assert again.status_code == 200
    assert "This source is already linked to the claim" in again.text
    assert claim.evidence.count() == 1
    # Another page of the same site is another source.
    other = post(
        client, claim, "add-evidence", url="https://example.org/report?page=2",
        stance="refutes",
    )  # fmt: skip
    assert other.status_code == 303
    assert claim.evidence.count() == 2


def test_reviewer_adds_a_note(client, claim, reviewer):
    client.force_login(reviewer)
    response = post(client, claim, "add-note", body="Ask the press office.")
    assert response.status_code == 303
    assert response["Location"] == claim.get_absolute_url()
    assert claim.notes.get().body == "Ask the press office."


def test_a_blank_note_is_a_form_error(client, claim, reviewer):
    client.force_login(reviewer)
    response = post(client, claim, "add-note", body="   ")
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not claim.notes.exists()


def test_reviewer_starts_research(client, claim, reviewer):
    client.force_login(reviewer)
    response = post(client, claim, "start-research", note="Taking this one.")
    assert response.status_code == 303
    claim.refresh_from_db()
    assert claim.status == Status.RESEARCHING
    assert claim.assignee == reviewer
    assert events(claim).last().note == "Taking this one."
    assert "Research started" in client.get(response["Location"]).text


def test_a_verdict_without_evidence_is_a_form_error_with_the_rationale_kept(
    client, claim, reviewer
):
    research(claim, reviewer)
    client.force_login(reviewer)
    before = state(claim)
    response = post(
        client, claim, "set-verdict", verdict="false", note="The filing says 8x."
    )
    assert response.status_code == 200
    assert "needs at least one evidence link" in response.text
    assert "The filing says 8x.</textarea>" in response.text
    # Without evidence the form offers only the verdicts that need none.
    assert 'value="false"' not in response.text
    assert re.search(r'value="unverifiable"', response.text)
    assert "The verdict was not saved" in response.text
    assert state(claim) == before


def test_reviewer_proposes_a_verdict(client, claim, reviewer):
    research(claim, reviewer)
    add_evidence(claim, reviewer)
    client.force_login(reviewer)
    response = post(
        client, claim, "set-verdict", verdict="false", note="The filing says 8x."
    )
    assert response.status_code == 303
    claim.refresh_from_db()
    assert (claim.status, claim.rationale, claim.verdict_by) == (
        Status.FALSE,
        "The filing says 8x.",
        reviewer,
    )
    assert claim.approved_at is None
    page = client.get(response["Location"])
    assert "Verdict “False” proposed." in page.text


def test_an_unreviewed_claim_is_offered_only_not_checkable(client, claim, reviewer):
    client.force_login(reviewer)
    text = client.get(claim.get_absolute_url()).text
    assert 'value="not_checkable"' in text
    assert 'name="verdict" value="verified"' not in text


def test_reviewer_posting_approve_is_refused_and_nothing_changes(
    client, proposed_claim, reviewer
):
    client.force_login(reviewer)
    page = client.get(proposed_claim.get_absolute_url()).text
    assert 'value="approve"' not in page
    before = state(proposed_claim)
    response = post(client, proposed_claim, "approve", note="Looks right to me.")
    assert response.status_code == 200
    assert "Only members of the Editor group can approve verdicts." in response.text
    assert "Looks right to me.</textarea>" in response.text
    assert state(proposed_claim) == before


def test_editor_approves_a_verdict_proposed_by_someone_else(
    client, proposed_claim, editor
):
    client.force_login(editor)
    assert 'value="approve"' in client.get(proposed_claim.get_absolute_url()).text
    response = post(client, proposed_claim, "approve", note="Checked the filing.")
    assert response.status_code == 303
    proposed_claim.refresh_from_db()
    assert proposed_claim.approved_by == editor
    change = events(proposed_claim).last()
    assert (change.kind, change.note) == (Kind.APPROVED, "Checked the filing.")
    assert Client().get(proposed_claim.get_absolute_url()).status_code == 200


def test_editor_is_not_offered_to_approve_their_own_verdict_and_is_refused(
    client, claim, editor
):
    research(claim, editor)
    add_evidence(claim, editor)
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Mine.", actor=editor
    )
    client.force_login(editor)
    page = client.get(claim.get_absolute_url()).text
    assert 'value="approve"' not in page
    assert "another editor must approve it" in page
    before = state(claim)
    response = post(client, claim, "approve")
    assert response.status_code == 200
    assert "four-eyes rule" in response.text
    assert state(claim) == before


def test_editor_reopens_a_published_verdict_with_a_note(client, published, editor2):
    client.force_login(editor2)
    response = post(client, published, "reopen", note="New figures came out.")
    assert response.status_code == 303
    published.refresh_from_db()
    assert (published.status, published.approved_at) == (Status.RESEARCHING, None)
    assert Client().get(published.get_absolute_url()).status_code == 404


def test_reopening_without_a_note_is_a_form_error(client, published, editor2):
    client.force_login(editor2)
    before = state(published)
    response = post(client, published, "reopen", note="")
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert state(published) == before


def test_reviewer_is_not_offered_editor_steps(client, published, reviewer):
    client.force_login(reviewer)
    text = client.get(published.get_absolute_url()).text
    for action in ("approve", "reopen", "start-research", "set-verdict"):
        assert f'name="action" value="{action}"' not in text


def test_a_stale_version_is_a_conflict_with_input_kept_and_nothing_changed(
    client, claim, reviewer, editor
):
    research(claim, reviewer)
    add_evidence(claim, reviewer)
    client.force_login(reviewer)
    claim.refresh_from_db()
    shown = claim.version
    # Meanwhile an editor proposes a verdict; the reviewer's page is stale.
    workflow.claim_set_verdict(
        claim=claim, verdict="disputed", note="Sources differ.", actor=editor
    )
    before = state(claim)
    response = post(
        client,
        claim,
        "set-verdict",
        version=shown,
        verdict="verified",
        note="My rationale, kept.",
    )
    assert response.status_code == 409
    assert "This claim changed while you were" in response.text
    assert "My rationale, kept.</textarea>" in response.text
    # The page now shows the current state and carries its version.
    claim.refresh_from_db()
    assert f'name="version" value="{claim.version}"' in response.text
    assert "Disputed (proposed)" in response.text
    assert state(claim) == before


def test_the_edit_form_saved_again_after_a_conflict_keeps_the_other_change(
    client, claim, reviewer, editor
):
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url())
    typed = bound_form_data(page.context["steps"]["edit"]["form"])
    assert typed["initial-summary"] == ""
    # Meanwhile an editor writes the summary; the reviewer fixes the text.
    workflow.claim_update(
        claim=claim, actor=editor, expected_version=1, changes={"summary": "Hers."}
    )
    typed["text"] = "His wording."
    response = client.post(
        claim.get_absolute_url(), {"action": "edit", "version": 1} | typed
    )
    assert response.status_code == 409
    assert "Their changes to fields you had left alone are now in the form " in (
        response.text
    )
    again = bound_form_data(response.context["steps"]["edit"]["form"])
    assert (again["text"], again["summary"]) == ("His wording.", "Hers.")
    response = client.post(
        claim.get_absolute_url(), {"action": "edit", "version": 2} | again
    )
    assert response.status_code == 303
    claim.refresh_from_db()
    assert (claim.text, claim.summary, claim.version) == ("His wording.", "Hers.", 3)


def test_an_edit_to_a_quote_the_source_lacks_says_so(client, claim, reviewer):
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url())
    typed = bound_form_data(page.context["steps"]["edit"]["form"])
    typed["quote"] = "Eighty-fold growth"
    response = client.post(
        claim.get_absolute_url(), {"action": "edit", "version": 1} | typed, follow=True
    )
    assert "The claim is saved." in response.text
    assert "is not in the episode&#x27;s source word for word" in response.text
    claim.refresh_from_db()
    assert (claim.quote, claim.quote_start) == ("Eighty-fold growth", None)


def test_an_edit_that_sends_a_proposed_verdict_back_says_so(
    client, proposed_claim, editor
):
    # The page said only "The claim is saved." while the verdict had gone.
    client.force_login(editor)
    page = client.get(proposed_claim.get_absolute_url())
    assert "A verdict is proposed: changing what it rates" in page.text
    typed = bound_form_data(page.context["steps"]["edit"]["form"])
    typed["text"] = "Growth was 70 times."
    response = client.post(
        proposed_claim.get_absolute_url(),
        {"action": "edit", "version": proposed_claim.version} | typed,
        follow=True,
    )
    assert "The claim is saved." in response.text
    assert (
        "What the proposed verdict “Verified” rated changed, so the claim is back "
        "in research: a verdict is proposed and approved again for what it says "
        "now." in response.text
    )
    proposed_claim.refresh_from_db()
    assert proposed_claim.status == "researching"


def test_a_status_step_without_a_version_is_refused(client, claim, reviewer):
    client.force_login(reviewer)
    response = client.post(
        claim.get_absolute_url(), {"action": "start-research", "version": "x"}
    )
    assert response.status_code == 200
    assert "Reload the page and submit again." in response.text
    claim.refresh_from_db()
    assert claim.status == Status.UNREVIEWED


def test_an_unknown_action_changes_nothing(client, claim, reviewer):
    client.force_login(reviewer)
    before = state(claim)
    response = post(client, claim, "delete")
    assert response.status_code == 303
    assert "not one this page knows" in client.get(response["Location"]).text
    assert state(claim) == before


@pytest.mark.parametrize("who", [None, "outsider"])
def test_post_without_a_role_on_a_published_claim_is_forbidden(
    client, published, request, who
):
    if who:
        client.force_login(request.getfixturevalue(who))
    before = state(published)
    response = post(client, published, "add-note", body="Spam")
    assert response.status_code == 403
    assert "Review notes" not in response.text
    assert state(published) == before


def test_anonymous_post_on_an_unpublished_claim_is_404(client, proposed_claim):
    assert post(client, proposed_claim, "approve").status_code == 404


def test_every_form_needs_the_csrf_token(claim, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page = client.get(claim.get_absolute_url()).text
    assert page.count('method="post"') == page.count('name="csrfmiddlewaretoken"')
    response = client.post(
        claim.get_absolute_url(), {"action": "add-note", "body": "No token."}
    )
    assert response.status_code == 403
    assert not claim.notes.exists()


# --- escaping -----------------------------------------------------------------


SCRIPT = "<script>alert(1)</script>"


def test_claim_text_and_evidence_are_escaped_on_the_claim_page(
    client, episode, reviewer, editor
):
    claim = make_claim(episode, text=f"A claim {SCRIPT}")
    workflow.evidence_add(
        claim=claim,
        actor=reviewer,
        url="https://example.org/?q=<x>",
        stance=Stance.CONTEXT,
        title=SCRIPT,
        excerpt=SCRIPT,
    )
    client.force_login(reviewer)
    text = client.get(claim.get_absolute_url()).text
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_source_and_claim_text_are_escaped_on_the_episode_page(client, show, reviewer):
    source = f"Before {SCRIPT} the claim <b>50 percent</b> after & more.\n"
    episode = make_episode(show, source, slug="xss")
    claim = make_claim(episode, "<b>50 percent</b>", text=f"Claim {SCRIPT}")
    client.force_login(reviewer)
    text = client.get(episode.get_absolute_url()).text
    assert "<script>" not in text and "<b>" not in text
    assert "Before &lt;script&gt;alert(1)&lt;/script&gt; the claim " in text
    assert (
        f'<a class="passage" href="{claim.get_absolute_url()}" id="claim-{claim.pk}">'
        "<mark>&lt;b&gt;50 percent&lt;/b&gt;</mark></a> after &amp; more." in text
    )


# --- episodes -----------------------------------------------------------------


def test_episode_highlights_link_to_their_claims(client, episode, speaker, reviewer):
    first = make_claim(episode, "80 times growth", speaker=speaker)
    second = make_claim(episode, "10 times as big")
    client.force_login(reviewer)
    text = client.get(episode.get_absolute_url()).text
    for claim in (first, second):
        assert (
            f'<a class="passage" href="{claim.get_absolute_url()}" '
            f'id="claim-{claim.pk}"><mark>{claim.quote}</mark></a>'
        ) in text


def test_anonymous_visitor_sees_only_published_claims_on_the_episode_page(
    client, episode, speaker, reviewer, editor
):
    draft = make_claim(episode, "10 times as big", text="Draft claim text")
    shown = publish(make_claim(episode, speaker=speaker), reviewer, editor)
    text = client.get(episode.get_absolute_url()).text
    assert f'href="{shown.get_absolute_url()}"' in text
    assert f'href="{draft.get_absolute_url()}"' not in text
    assert "Draft claim text" not in text
    assert "<mark>10 times as big</mark>" not in text


def test_episode_page_lists_people_and_groups_claims_by_speaker(
    client, episode, speaker, reviewer
):
    host = Person.objects.create(name="Alex Kantrowitz", slug="alex-kantrowitz")
    Appearance.objects.create(episode=episode, person=host, role=Role.HOST)
    Appearance.objects.create(episode=episode, person=speaker, role=Role.GUEST)
    make_claim(episode, "80 times growth", speaker=speaker, text="Roy one")
    make_claim(episode, "10 times as big", speaker=speaker, text="Roy two")
    make_claim(episode, "fully built", text="Nobody's")
    client.force_login(reviewer)
    text = client.get(episode.get_absolute_url()).text
    assert 'Alex Kantrowitz</a> <span class="muted">(host)' in text
    assert 'Ranjan Roy</a> <span class="muted">(guest)' in text
    # Named speakers in the order of their first claim, then the rest.
    roy = text.index('<h3><a href="/people/ranjan-roy/">Ranjan Roy</a>')
    nobody = text.index("<h3>Unidentified speaker")
    assert roy < text.index("Roy one") < text.index("Roy two") < nobody
    assert nobody < text.index("Nobody&#x27;s")


def test_overlapping_passages_are_skipped_without_breaking_the_markup(
    episode,
):
    # Unsaved claims with ids: the passages only need their URLs.
    a, b, c = (Claim(pk=pk, episode=episode) for pk in (1, 2, 3))
    source = "0123456789abcdef"
    html = highlight_source(
        source,
        [
            Passage(2, 6, a, True),
            Passage(4, 9, b, True),  # overlaps a: left out
            Passage(0, 3, c, False),  # a mention overlapping a: left out
            Passage(9, 12, c, True),
            Passage(14, 99, a, False),  # beyond the source: left out
        ],
    )
    assert str(html) == (
        '01<a class="passage" href="/claims/1/" id="claim-1"><mark>2345</mark></a>'
        '678<a class="passage" href="/claims/3/" id="claim-3"><mark>9ab</mark></a>'
        "cdef"
    )


def test_episode_list_is_newest_first_with_counts_of_visible_claims(
    client, show, reviewer, editor
):
    old = make_episode(show, slug="old", published_on="2026-01-01")
    new = make_episode(show, slug="new", published_on="2026-03-01")
    undated = make_episode(show, slug="undated", published_on=None)
    make_claim(new)
    publish(make_claim(new, "10 times as big"), reviewer, editor)
    text = client.get(reverse("episodes:list")).text
    assert text.index("Episode new") < text.index("Episode old")
    assert text.index("Episode old") < text.index("Episode undated")
    counts = [
        row.split('<td class="number">')[1].split("<")[0]
        for row in text.split("<tr>")[2:]
    ]
    assert counts == ["1", "0", "0"]
    client.force_login(reviewer)
    text = client.get(reverse("episodes:list")).text
    assert '<td class="number">2</td>' in text
    assert old.get_absolute_url() in text and undated.get_absolute_url() in text


def test_episode_list_pages_follow_on_by_date_and_id(client, show, settings):
    for day in range(1, 31):
        make_episode(show, slug=f"d{day:02d}", published_on=f"2026-04-{day:02d}")
    make_episode(show, slug="undated-a", published_on=None)
    make_episode(show, slug="undated-b", published_on=None)
    seen = []
    url = reverse("episodes:list")
    for _ in range(5):
        text = client.get(url).text
        seen += re.findall(r'<td><a href="/episodes/([^/]+)/">', text)
        if 'rel="next"' not in text:
            break
        url = reverse("episodes:list") + re.search(
            r'<a href="([^"]+)" rel="next">', text
        ).group(1)
    expected = [f"d{day:02d}" for day in range(30, 0, -1)]
    assert seen == [*expected, "undated-b", "undated-a"]


def test_a_broken_page_link_shows_the_newest_episodes(client, episode):
    huge = "9" * 40
    for after in ("nonsense", "2026-13-40.5", "none.x", "2026-01-01.²", huge):
        response = client.get(reverse("episodes:list"), {"after": after})
        assert response.status_code == 200
        assert episode.title in response.text


def test_unknown_episode_is_404(client, db):
    url = reverse("episodes:detail", args=["no-such-episode"])
    assert client.get(url).status_code == 404


# --- people -------------------------------------------------------------------


def test_person_record_counts_published_verdicts_for_anonymous_visitors(
    client, episode, speaker, reviewer, editor
):
    PersonAlias.objects.create(person=speaker, name="R. Roy")
    publish(make_claim(episode, "80 times growth", speaker=speaker), reviewer, editor)
    publish(
        make_claim(episode, "10 times as big", speaker=speaker),
        reviewer,
        editor,
        verdict="false",
    )
    publish(make_claim(episode, "fully built", speaker=speaker), reviewer, editor)
    proposed = make_claim(episode, "Intro line", speaker=speaker, text="Unpublished")
    research(proposed, reviewer)
    add_evidence(proposed, reviewer)
    workflow.claim_set_verdict(
        claim=proposed, verdict="false", note="x", actor=reviewer
    )
    make_claim(episode, "data center", speaker=speaker, text="Still unreviewed")

    text = client.get(speaker.get_absolute_url()).text
    assert "Also written as: R. Roy" in text
    assert record_rows(text) == {"Verified": ["2"], "False": ["1"]}
    assert "Unpublished" not in text and "Still unreviewed" not in text

    client.force_login(reviewer)
    text = client.get(speaker.get_absolute_url()).text
    assert record_rows(text) == {"Verified": ["2", "0"], "False": ["1", "1"]}
    assert "Not decided yet: 1 unreviewed." in text
    assert "Unpublished" in text and "Still unreviewed" in text


def record_rows(text: str) -> dict[str, list[str]]:
    table = text.split('<table class="data record">')[1].split("</table>")[0]
    rows = {}
    for row in table.split('<tr><th scope="row">')[1:]:
        label = row.split('">')[1].split("<")[0]
        rows[label] = [
            cell.split("<")[0] for cell in row.split('<td class="number">')[1:]
        ]
    return rows


def test_person_page_lists_claims_reported_by_others(
    client, episode, speaker, reviewer
):
    claimant = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    make_claim(episode, speaker=speaker, claimant=claimant, text="Reported claim")
    client.force_login(reviewer)
    text = client.get(claimant.get_absolute_url()).text
    assert "Their claims, as reported by others" in text
    assert "Reported claim" in text
    assert 'said by <a href="/people/ranjan-roy/">Ranjan Roy</a>' in text


def test_a_speaker_is_not_rated_for_a_claim_they_only_reported(
    client, episode, speaker, reviewer, editor
):
    claimant = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    relayed = make_claim(
        episode, speaker=speaker, claimant=claimant, text="Relayed figure"
    )
    publish(relayed, reviewer, editor, verdict="false")
    own = make_claim(episode, "data center", speaker=speaker, text="Own figure")
    publish(own, reviewer, editor)

    text = client.get(speaker.get_absolute_url()).text
    # Their record: their own words only.
    assert record_rows(text) == {"Verified": ["1"]}
    made = text.split('id="spoken-heading"')[1].split("</section>")[0]
    assert "Own figure" in made and "Relayed figure" not in made
    relayed_html = text.split('id="relayed-heading"')[1].split("</section>")[0]
    assert "Relayed figure" in relayed_html
    assert "Not part of their record" in relayed_html
    assert 'first said by <a href="/people/dario-amodei/">Dario Amodei</a>' in (
        relayed_html
    )

    # The person who first made it carries the verdict.
    text = client.get(claimant.get_absolute_url()).text
    assert record_rows(text) == {"False": ["1"]}
    assert "Relayed figure" in text.split('id="made-heading"')[1]
    assert 'id="relayed-heading"' not in text


def test_a_claim_reported_as_a_speakers_own_is_counted_once(
    client, episode, speaker, reviewer, editor
):
    claim = make_claim(episode, speaker=speaker, claimant=speaker, text="Own again")
    publish(claim, reviewer, editor)
    text = client.get(speaker.get_absolute_url()).text
    assert record_rows(text) == {"Verified": ["1"]}
    assert "Own again" in text.split('id="spoken-heading"')[1].split("</section>")[0]
    assert 'id="made-heading"' not in text and 'id="relayed-heading"' not in text


def test_unknown_person_is_404(client, db):
    url = reverse("people:detail", args=["nobody-at-all"])
    assert client.get(url).status_code == 404


# --- accessibility basics -----------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reviewer", "editor"])
def test_pages_have_one_h1_and_a_label_for_every_control(
    client, published, speaker, who, request
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in (
        published.get_absolute_url(),
        reverse("episodes:list"),
        published.episode.get_absolute_url(),
        speaker.get_absolute_url(),
    ):
        text = client.get(url).text
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", text)]
        assert levels.count(1) == 1 and levels[0] == 1, url
        assert all(b <= a + 1 for a, b in pairwise(levels)), (url, levels)
        # No inline code (the CSP refuses it); JSON-LD is data, not a script.
        scripts = re.findall(r"<script\b[^>]*>", text)
        assert " style=" not in text, url
        assert set(scripts) <= {'<script type="application/ld+json">'}, url
        main = text.split('<main id="main"')[1]
        for control in re.findall(r"<(?:input|textarea|select)\b[^>]*>", main):
            if 'type="hidden"' in control:
                continue
            control_id = re.search(r'\bid="([^"]+)"', control)[1]
            assert f'<label for="{control_id}">' in main, control_id


# --- query counts -------------------------------------------------------------


def grow_claim(claim: Claim, reviewer: User, rows: int) -> None:
    """More evidence, notes and history rows on the same claim."""
    for i in range(rows):
        add_evidence(claim, reviewer, url=f"https://example.org/{i}")
        workflow.note_add(claim=claim, actor=reviewer, body=f"Note {i}")
        record(
            kind=Kind.SOURCE_FOLLOWED,
            actor=None,
            obj=claim,
            changes={"quote_start": [i, i + 1]},
            note=f"Source corrected {i}",
        )


def test_claim_page_query_count_is_flat_for_anonymous_visitors(
    client, published, reviewer, django_assert_num_queries
):
    # claim with episode, show, speaker, claimant, proposer, approver and
    # assignee joined + mentions + quantities + evidence (with who added it);
    # + the claim's corrections (reopenings of a published verdict, from the
    # log); no session cookie, so no session or user query
    with django_assert_num_queries(5):
        assert client.get(published.get_absolute_url()).status_code == 200
    grow_claim(published, reviewer, 9)
    with django_assert_num_queries(5):
        response = client.get(published.get_absolute_url())
    assert response.text.count("https://example.org/8") == 2


def test_claim_page_query_count_is_flat_for_reviewers(
    client, published, reviewer, django_assert_num_queries
):
    client.force_login(reviewer)
    # session + the user with their groups (role, read once) + claim with its
    # joins + mentions + quantities + evidence + notes with authors + the
    # claim's events from the log with their actors (in place of the status
    # history: the same count) + the corrections. The offered steps and their
    # forms cost nothing: the evidence just read and the cached roles answer
    # the rules.
    with django_assert_num_queries(9):
        assert client.get(published.get_absolute_url()).status_code == 200
    grow_claim(published, reviewer, 9)
    with django_assert_num_queries(9):
        response = client.get(published.get_absolute_url())
    assert "Note 8" in response.text and "Source corrected 8" in response.text


def test_episode_list_query_count_is_flat(
    client, show, reviewer, django_assert_num_queries
):
    for i in range(3):
        make_episode(show, slug=f"e{i}")
    # one page of episodes with their show and a count of visible claims
    # (a correlated subquery) in one query
    with django_assert_num_queries(1):
        client.get(reverse("episodes:list"))
    client.force_login(reviewer)
    # session + the user with their groups + the page of episodes
    with django_assert_num_queries(3):
        client.get(reverse("episodes:list"))
    for i in range(3, 30):
        episode = make_episode(show, slug=f"e{i}")
        make_claim(episode)
    with django_assert_num_queries(3):
        response = client.get(reverse("episodes:list"))
    assert response.text.count('<td class="number">1</td>') == 25


def test_episode_page_query_count_is_flat_as_claims_grow(
    client, show, reviewer, editor, django_assert_num_queries
):
    few = episode_with_lines(show, 3, slug="few")
    many = episode_with_lines(show, 30, slug="many")
    for episode, count in ((few, 3), (many, 30)):
        for claim in claims_on_lines(episode, count):
            publish(claim, reviewer, editor)
        person = Person.objects.create(name=f"Guest {count}", slug=f"guest-{count}")
        Appearance.objects.create(episode=episode, person=person)
    # episode with show + appearances with people + the visible claims'
    # version (count, latest change, their speakers) + those speakers'
    # names + on a first view, the claims with speakers + their mentions
    # (one prefetch query); later views read the rendered claims and source
    # from the cache
    for episode in (few, many):
        with django_assert_num_queries(6):
            client.get(episode.get_absolute_url())
        with django_assert_num_queries(4):
            client.get(episode.get_absolute_url())
    client.force_login(reviewer)
    # session + the user with their groups, then the same (a reviewer sees
    # every claim: another version of the page)
    for episode in (few, many):
        with django_assert_num_queries(8):
            response = client.get(episode.get_absolute_url())
    assert response.text.count("<mark>") == 30
    with django_assert_num_queries(6):
        cached = client.get(many.get_absolute_url()).text
    assert cached.count("<mark>") == 30


def test_the_cached_episode_page_changes_with_its_claims(
    client, show, reviewer, editor
):
    episode = episode_with_lines(show, 3, slug="cached")
    claims = claims_on_lines(episode, 3)
    publish(claims[0], reviewer, editor)
    assert client.get(episode.get_absolute_url()).text.count("<mark>") == 1
    publish(claims[1], reviewer, editor)
    assert client.get(episode.get_absolute_url()).text.count("<mark>") == 2
    workflow.claim_update(
        claim=claims[1],
        actor=editor,
        expected_version=Claim.objects.get(pk=claims[1].pk).version,
        changes={"summary": "A new headline"},
        note="Clearer.",
    )
    html = client.get(episode.get_absolute_url()).text
    assert html.count("<mark>") == 1  # reopened: off the public page


def test_the_cached_episode_page_follows_a_speakers_new_name(
    client, show, reviewer, editor
):
    """A rename changes no claim, but the page draws the speaker's name and
    address: the cached body is made again."""
    from people import workflow as people_workflow

    speaker = Person.objects.create(name="Old Name", slug="old-name")
    episode = episode_with_lines(show, 2, slug="renamed")
    for claim in claims_on_lines(episode, 2, speaker=speaker):
        publish(claim, reviewer, editor)
    assert "Old Name" in client.get(episode.get_absolute_url()).text
    people_workflow.person_update(
        person=speaker, actor=editor, changes={"name": "New Name", "slug": "new-name"}
    )
    html = client.get(episode.get_absolute_url()).text
    assert "New Name" in html and "/people/new-name/" in html
    assert "Old Name" not in html


def test_person_page_query_count_is_flat_as_claims_grow(
    client, show, reviewer, editor, django_assert_num_queries
):
    few = Person.objects.create(name="Few Claims", slug="few-claims")
    many = Person.objects.create(name="Many Claims", slug="many-claims")
    for person, count in ((few, 3), (many, 30)):
        episode = episode_with_lines(show, count, slug=f"ep-{person.slug}")
        for claim in claims_on_lines(episode, count, speaker=person):
            publish(claim, reviewer, editor)
        PersonAlias.objects.create(person=person, name=f"{person.name} alias")
    # person + aliases (prefetch) + the record (counts per status, one
    # GROUP BY) + their claims with episode, show, speaker and claimant
    for person in (few, many):
        with django_assert_num_queries(4):
            client.get(person.get_absolute_url())
    client.force_login(reviewer)
    # session + the user with their groups, then the same four
    for person in (few, many):
        with django_assert_num_queries(6):
            response = client.get(person.get_absolute_url())
    assert record_rows(response.text) == {"Verified": ["30", "0"]}


def test_not_found_page_is_the_site_page_with_a_way_on(client, claim):
    response = client.get(claim.get_absolute_url())  # not published
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="site-nav"' in response.text
    assert "/claims/" in response.text


def test_summary_markup_lines_are_not_shown_as_context(show, speaker):
    source = (
        "Some section heading\n"
        "- A bullet that says something about the deal.\n"
        "-\n"
        "The deal was worth 5 billion dollars.\n"
        "— Ranjan Roy\n"
        "- The next bullet has more words in it.\n"
    )
    episode = make_episode(show, source=source, slug="markup")
    claim = make_claim(episode, quote="The deal was worth 5 billion dollars.")
    context = quote_in_context(claim)
    # The markup lines stay where they are (the context is verbatim), but a
    # real sentence either side is reached past them.
    assert "A bullet that says something about the deal." in context.before
    assert "The next bullet has more words in it." in context.after


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        ("20270101", "20271231", "2027"),
        ("20270101", "20281231", "2027–2028"),
        ("20270601", "20270630", "June 2027"),
        ("20270201", "20270331", "February 2027 – March 2027"),
        ("20260508", "20260508", "8 May 2026"),
        ("20260508", "20260612", "8 May 2026 – 12 June 2026"),
        (None, "20271231", "until 31 December 2027"),
        ("20270101", None, "from 1 January 2027"),
        # Not a day (edited by hand in the desk): the number, as before.
        ("20271340", "20271340", "20,271,340 date"),
    ],
)
def test_a_date_amount_reads_as_a_date_not_as_its_stored_number(low, high, shown):
    """The claim page showed "2027: date, 20,270,101–20,271,231 date" (found by
    the new-user review of 2026-12-04): the export's storage format."""
    from decimal import Decimal

    from claims.models import Quantity
    from claims.views.claim import quantity_value

    quantity = Quantity(
        kind="date",
        unit="date",
        text="by 2027",
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
    )
    assert quantity_value(quantity) == shown
