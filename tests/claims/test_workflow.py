"""Every workflow rule: what it allows, what it refuses, and the history it writes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import Event, Kind
from claims import workflow
from claims.extraction.candidates import MentionData
from claims.extraction.types import QuantityData
from claims.models import (
    Claim,
    Evidence,
    Quantity,
    QuantityKind,
    ReviewNote,
    Stance,
    Status,
)
from tests.conftest import add_evidence, events, make_claim


def history(claim: Claim) -> list[tuple[str, str | None, str | None]]:
    """(kind, old status, new status) of each event, oldest first."""
    return [
        (event.kind, *(event.changes.get("status") or [None, None]))
        for event in events(claim)
    ]


def refused(code: str, fn, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        fn(**kwargs)
    assert exc.value.code == code, exc.value
    return exc.value


# --- creation -------------------------------------------------------------------


def test_import_creates_unreviewed_claim_with_created_history(claim):
    assert claim.status == Status.UNREVIEWED
    assert history(claim) == [(Kind.CLAIM_CREATED, None, Status.UNREVIEWED)]
    assert events(claim).get().actor is None


def test_editor_can_add_claim_by_hand_and_is_recorded(episode, editor):
    claim = make_claim(episode, actor=editor)
    assert events(claim).get().actor == editor


def test_reviewer_cannot_add_claim_by_hand(episode, reviewer):
    refused("not_editor", make_claim, episode=episode, actor=reviewer)
    assert not Claim.objects.exists()


def drafts(episode, count: int) -> list[workflow.ClaimDraft]:
    """``count`` claims on the sample's passages, each with an amount and
    a mention, as an import makes them."""
    source = episode.source_text
    quote = "80 times growth"
    mention = "about 10 times"
    return [
        workflow.ClaimDraft(
            text=f"Claim {n}",
            quote=quote,
            quote_start=source.index(quote),
            quote_end=source.index(quote) + len(quote),
            claim_type="statistic",
            checkworthiness=0.75,
            checkworthiness_reasons=("a growth multiple",),
            quantities=(
                QuantityData(
                    kind="multiplier", text="80 times", low=Decimal(n), high=Decimal(n)
                ),
            ),
            mentions=(
                MentionData(
                    quote=mention,
                    start=source.index(mention),
                    end=source.index(mention) + len(mention),
                    timestamp_seconds=n,
                ),
            ),
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [2, 40])
def test_claims_create_writes_any_number_of_claims_in_the_same_queries(
    episode, django_assert_num_queries, count
):
    # the workflow's mark on + their ids + one COPY each of claims, amounts,
    # mentions and events + the mark off (the test's transaction adds a
    # savepoint and its release)
    with django_assert_num_queries(9):
        created = workflow.claims_create(
            episode=episode, drafts=drafts(episode, count), note="By hand."
        )
    assert [c.text for c in Claim.objects.order_by("pk")] == [
        f"Claim {n}" for n in range(count)
    ]
    assert created == list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    for n, claim in enumerate(Claim.objects.order_by("pk")):
        assert claim.status == Status.UNREVIEWED and claim.version == 1
        assert claim.checkworthiness_reasons == ["a growth multiple"]
        assert str(claim.episode_date) == "2026-05-08"  # set by the database
        assert claim.created_at == claim.updated_at
        assert [(q.kind, q.low) for q in claim.quantities.all()] == [
            ("multiplier", Decimal(n))
        ]
        assert list(claim.mentions.values_list("quote", "timestamp_seconds")) == [
            ("about 10 times", n)
        ]
        (event,) = events(claim)
        assert (event.kind, event.note, event.db_user) == (
            Kind.CLAIM_CREATED,
            "By hand.",
            "",
        )
        assert event.changes["quantities"] == [None, [f"multiplier {n} “80 times”"]]
        assert event.changes["mentions"] == [None, ["about 10 times"]]
    # The workflow recorded them: no trigger logged the rows a second time.
    assert not Event.objects.filter(
        kind__startswith="db.", object_type__startswith="claims."
    ).exists()


# --- start research --------------------------------------------------------------


def test_reviewer_starts_research_and_gets_assigned(claim, reviewer):
    claim = workflow.claim_start_research(claim=claim, actor=reviewer)
    assert claim.status == Status.RESEARCHING
    assert claim.assignee == reviewer
    assert claim.version == 2
    change = events(claim).last()
    assert (change.kind, change.changes["status"], change.actor) == (
        Kind.RESEARCH_STARTED,
        [Status.UNREVIEWED, Status.RESEARCHING],
        reviewer,
    )


def test_user_without_role_cannot_start_research(claim, outsider):
    refused("not_reviewer", workflow.claim_start_research, claim=claim, actor=outsider)
    claim.refresh_from_db()
    assert claim.status == Status.UNREVIEWED
    assert events(claim).count() == 1


def test_research_cannot_start_twice(claim, reviewer):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "bad_transition", workflow.claim_start_research, claim=claim, actor=reviewer
    )
    assert events(claim).count() == 2


# --- verdicts --------------------------------------------------------------------


def test_reviewer_proposes_verdict_with_evidence_and_rationale(
    proposed_claim, reviewer
):
    claim = proposed_claim
    assert claim.status == Status.VERIFIED
    assert claim.verdict_by == reviewer
    assert claim.rationale == "Matches the filing."
    assert claim.approved_at is None
    last = events(claim).last()
    assert (last.kind, last.changes["status"], last.note) == (
        Kind.VERDICT_PROPOSED,
        [Status.RESEARCHING, Status.VERIFIED],
        "Matches the filing.",
    )


@pytest.mark.parametrize("verdict", ["verified", "disputed", "false", "misleading"])
def test_verdict_that_stands_on_sources_needs_evidence(claim, reviewer, verdict):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "evidence_required",
        workflow.claim_set_verdict,
        claim=claim,
        verdict=verdict,
        note="Because.",
        actor=reviewer,
    )
    claim.refresh_from_db()
    assert claim.status == Status.RESEARCHING


def test_unverifiable_needs_no_evidence_but_a_rationale(claim, reviewer):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "note_required",
        workflow.claim_set_verdict,
        claim=claim,
        verdict="unverifiable",
        note="   ",
        actor=reviewer,
    )
    claim = workflow.claim_set_verdict(
        claim=claim, verdict="unverifiable", note="No public source.", actor=reviewer
    )
    assert claim.status == Status.UNVERIFIABLE


def test_verdict_needs_research_first(claim, reviewer):
    add_evidence(claim, reviewer)
    refused(
        "bad_transition",
        workflow.claim_set_verdict,
        claim=claim,
        verdict="verified",
        note="ok",
        actor=reviewer,
    )


def test_opinion_can_be_marked_not_checkable_straight_away(claim, reviewer):
    claim = workflow.claim_set_verdict(
        claim=claim, verdict="not_checkable", note="An opinion.", actor=reviewer
    )
    assert claim.status == Status.NOT_CHECKABLE


def test_unknown_verdict_is_refused(claim, reviewer):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "not_a_verdict",
        workflow.claim_set_verdict,
        claim=claim,
        verdict="researching",
        note="x",
        actor=reviewer,
    )


def test_outsider_cannot_propose_verdict(claim, reviewer, outsider):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "not_reviewer",
        workflow.claim_set_verdict,
        claim=claim,
        verdict="unverifiable",
        note="x",
        actor=outsider,
    )


def test_unapproved_verdict_can_be_revised(proposed_claim, reviewer):
    claim = workflow.claim_set_verdict(
        claim=proposed_claim,
        verdict="misleading",
        note="Leaves out costs.",
        actor=reviewer,
    )
    assert claim.status == Status.MISLEADING
    assert history(claim)[-1] == (Kind.VERDICT_PROPOSED, "verified", "misleading")


def test_approved_verdict_cannot_be_changed_without_reopening(
    proposed_claim, reviewer, editor
):
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    refused(
        "bad_transition",
        workflow.claim_set_verdict,
        claim=proposed_claim,
        verdict="false",
        note="x",
        actor=reviewer,
    )


# --- approval: roles and four-eyes -----------------------------------------------


def test_editor_approves_someone_elses_verdict(proposed_claim, editor):
    claim = workflow.claim_approve(claim=proposed_claim, actor=editor)
    assert claim.approved_by == editor
    assert claim.approved_at is not None
    last = events(claim).last()
    assert (last.kind, last.changes["status"][1], last.actor) == (
        Kind.APPROVED,
        Status.VERIFIED,
        editor,
    )
    assert Claim.objects.approved().get() == claim


def test_reviewer_cannot_approve(proposed_claim, reviewer):
    refused("not_editor", workflow.claim_approve, claim=proposed_claim, actor=reviewer)
    proposed_claim.refresh_from_db()
    assert proposed_claim.approved_at is None


def test_editor_cannot_approve_own_verdict(claim, editor):
    workflow.claim_start_research(claim=claim, actor=editor)
    add_evidence(claim, editor)
    workflow.claim_set_verdict(
        claim=claim, verdict="false", note="Wrong.", actor=editor
    )
    before = events(claim).count()
    refused("four_eyes", workflow.claim_approve, claim=claim, actor=editor)
    claim.refresh_from_db()
    assert claim.approved_at is None
    assert events(claim).count() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"text": "Alphabet will spend only $7.5 billion."},
        {"summary": "Alphabet will spend only $7.5 billion"},
    ],
)
def test_changing_what_a_proposed_verdict_rates_sends_it_back(
    proposed_claim, editor, changes
):
    """Found by a new user: an editor reworded a claim under a proposed
    "verified" verdict ($75 billion became $7.5 billion), then approved it
    themselves: the four-eyes rule compared the approver with the verdict's
    author only, so the published wording was checked by nobody."""
    claim = workflow.claim_update(
        claim=proposed_claim,
        actor=editor,
        expected_version=proposed_claim.version,
        changes=changes,
    )
    assert (claim.status, claim.verdict_by, claim.rationale) == (
        Status.RESEARCHING,
        None,
        "",
    )
    last = events(claim).last()
    assert (last.kind, last.actor, last.note) == (
        Kind.REOPENED,
        editor,
        "What the proposed verdict rated changed: back to research, to be "
        "proposed again.",
    )
    assert last.changes["status"] == ["verified", "researching"]
    assert last.changes["rationale"] == ["Matches the filing.", ""]
    name = next(iter(changes))
    assert last.changes[name][1] == changes[name]
    refused("not_a_verdict", workflow.claim_approve, claim=claim, actor=editor)
    assert not Claim.objects.approved().exists()


def test_changing_a_proposed_verdicts_amounts_sends_it_back_with_the_reason(
    proposed_claim, reviewer
):
    quantity = Quantity(
        kind=QuantityKind.MULTIPLIER, text="80 times", low=Decimal(90), high=Decimal(90)
    )
    claim = workflow.quantities_save(
        claim=proposed_claim, actor=reviewer, save=[quantity], note="Typo: 90."
    )
    assert claim.status == Status.RESEARCHING
    last = events(claim).last()
    assert (last.kind, last.note) == (Kind.REOPENED, "Typo: 90.")


def test_what_a_proposed_verdict_does_not_rate_changes_under_it(proposed_claim, editor):
    # The time in the episode, the kind of claim, the re-check date: the
    # verdict stays proposed, for another editor to approve.
    claim = workflow.claim_update(
        claim=proposed_claim,
        actor=editor,
        expected_version=proposed_claim.version,
        changes={"timestamp_seconds": 754, "claim_type": "forecast"},
    )
    assert claim.status == Status.VERIFIED and claim.verdict_by is not None
    assert events(claim).last().kind == Kind.CLAIM_EDITED


def test_second_editor_approves_first_editors_verdict(claim, editor, editor2):
    workflow.claim_start_research(claim=claim, actor=editor)
    add_evidence(claim, editor)
    workflow.claim_set_verdict(
        claim=claim, verdict="false", note="Wrong.", actor=editor
    )
    assert workflow.claim_approve(claim=claim, actor=editor2).approved_by == editor2


def test_claim_without_verdict_cannot_be_approved(claim, editor):
    refused("not_a_verdict", workflow.claim_approve, claim=claim, actor=editor)


def test_verdict_cannot_be_approved_twice(proposed_claim, editor, editor2):
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    refused(
        "already_approved", workflow.claim_approve, claim=proposed_claim, actor=editor2
    )


def test_inactive_editor_has_no_role(proposed_claim, editor):
    editor.is_active = False
    editor.save()
    refused("not_editor", workflow.claim_approve, claim=proposed_claim, actor=editor)


# --- reopening -------------------------------------------------------------------


def test_editor_reopens_approved_verdict_and_clears_approval(
    proposed_claim, editor, editor2
):
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    claim = workflow.claim_reopen(
        claim=proposed_claim, actor=editor2, note="New figures published."
    )
    assert claim.status == Status.RESEARCHING
    assert (claim.approved_by, claim.approved_at, claim.verdict_by) == (
        None,
        None,
        None,
    )
    assert history(claim)[-1] == (Kind.REOPENED, "verified", "researching")
    assert events(claim).last().note == "New figures published."


def test_reopen_needs_a_note(proposed_claim, editor):
    refused(
        "note_required",
        workflow.claim_reopen,
        claim=proposed_claim,
        actor=editor,
        note="",
    )


def test_reviewer_cannot_reopen(proposed_claim, reviewer):
    refused(
        "not_editor",
        workflow.claim_reopen,
        claim=proposed_claim,
        actor=reviewer,
        note="x",
    )


def test_claim_without_verdict_cannot_be_reopened(claim, editor):
    refused(
        "bad_transition", workflow.claim_reopen, claim=claim, actor=editor, note="x"
    )


# --- evidence and notes ----------------------------------------------------------


def test_reviewer_adds_evidence_with_stance(claim, reviewer):
    evidence = workflow.evidence_add(
        claim=claim,
        actor=reviewer,
        url="https://www.sec.gov/filing",
        stance=Stance.REFUTES,
        title="10-K",
    )
    assert (evidence.added_by, evidence.stance) == (reviewer, Stance.REFUTES)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "data:text/html,x", ""]
)
def test_evidence_must_be_an_http_link(claim, reviewer, url):
    refused(
        "bad_url",
        workflow.evidence_add,
        claim=claim,
        actor=reviewer,
        url=url,
        stance=Stance.SUPPORTS,
    )
    assert not Evidence.objects.exists()


def test_evidence_needs_a_known_stance(claim, reviewer):
    refused(
        "bad_stance",
        workflow.evidence_add,
        claim=claim,
        actor=reviewer,
        url="https://example.org",
        stance="maybe",
    )


def test_outsider_cannot_add_evidence_or_notes(claim, outsider):
    refused(
        "not_reviewer",
        workflow.evidence_add,
        claim=claim,
        actor=outsider,
        url="https://example.org",
        stance=Stance.SUPPORTS,
    )
    refused("not_reviewer", workflow.note_add, claim=claim, actor=outsider, body="hi")


def test_editor_removes_evidence_and_the_log_records_it(claim, reviewer, editor):
    add_evidence(claim, reviewer, url="https://example.org/a")
    add_evidence(claim, reviewer, url="https://example.org/b")
    evidence = claim.evidence.get(url="https://example.org/a")
    workflow.evidence_remove(evidence=evidence, actor=editor, reason="Dead link")
    assert list(claim.evidence.values_list("url", flat=True)) == [
        "https://example.org/b"
    ]
    # The removal is an event of the claim's history, not a made-up note.
    assert not claim.notes.exists()
    removed = events(claim).last()
    assert (removed.kind, removed.actor, removed.note) == (
        Kind.EVIDENCE_REMOVED,
        editor,
        "Dead link",
    )
    assert removed.changes["url"] == ["https://example.org/a", None]


def test_reviewer_cannot_remove_evidence(claim, reviewer):
    add_evidence(claim, reviewer)
    refused(
        "not_editor",
        workflow.evidence_remove,
        evidence=claim.evidence.get(),
        actor=reviewer,
    )
    assert claim.evidence.count() == 1


def test_last_evidence_of_a_sourced_verdict_cannot_be_removed(proposed_claim, editor):
    refused(
        "evidence_required",
        workflow.evidence_remove,
        evidence=proposed_claim.evidence.get(),
        actor=editor,
    )


def test_reviewer_adds_note(claim, reviewer):
    note = workflow.note_add(
        claim=claim, actor=reviewer, body="  Called the press office. "
    )
    assert note.body == "Called the press office."
    refused("note_required", workflow.note_add, claim=claim, actor=reviewer, body=" ")
    assert ReviewNote.objects.count() == 1


# --- assignment ------------------------------------------------------------------


def test_reviewer_assigns_claim_to_self_but_not_to_others(claim, reviewer, editor):
    assert workflow.claim_assign(
        claim=claim, assignee=reviewer, actor=reviewer
    ).assignee == (reviewer)
    refused(
        "not_editor",
        workflow.claim_assign,
        claim=claim,
        assignee=editor,
        actor=reviewer,
    )


def test_editor_assigns_only_to_people_with_a_role(claim, editor, reviewer, outsider):
    assert workflow.claim_assign(
        claim=claim, assignee=reviewer, actor=editor
    ).assignee == (reviewer)
    refused(
        "assignee_not_reviewer",
        workflow.claim_assign,
        claim=claim,
        assignee=outsider,
        actor=editor,
    )


# --- stale edits -----------------------------------------------------------------


def test_second_save_from_the_same_version_is_a_conflict(claim, reviewer, editor):
    loaded = claim.version
    workflow.claim_update(
        claim=claim, actor=reviewer, expected_version=loaded, changes={"text": "First"}
    )
    error = refused(
        "stale",
        workflow.claim_update,
        claim=claim,
        actor=editor,
        expected_version=loaded,
        changes={"text": "Second"},
    )
    assert "Nothing was saved" in error.message
    claim.refresh_from_db()
    assert claim.text == "First"
    assert claim.version == loaded + 1


def test_transition_from_a_stale_page_is_a_conflict(claim, reviewer, editor):
    loaded = claim.version
    workflow.claim_start_research(claim=claim, actor=reviewer)
    refused(
        "stale",
        workflow.claim_set_verdict,
        claim=claim,
        verdict="not_checkable",
        note="Opinion",
        actor=editor,
        expected_version=loaded,
    )


def test_update_refuses_status_and_other_workflow_fields(claim, editor):
    refused(
        "not_editable",
        workflow.claim_update,
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        changes={"status": "verified"},
    )


def test_update_without_changes_keeps_the_version(claim, editor):
    same = workflow.claim_update(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        changes={"text": claim.text},
    )
    assert same.version == claim.version


def test_reviewer_unassigns_self_but_not_someone_else(claim, reviewer, editor):
    workflow.claim_assign(claim=claim, assignee=reviewer, actor=reviewer)
    assert (
        workflow.claim_assign(claim=claim, assignee=None, actor=reviewer).assignee
        is None
    )
    workflow.claim_assign(claim=claim, assignee=editor, actor=editor)
    refused(
        "not_editor", workflow.claim_assign, claim=claim, assignee=None, actor=reviewer
    )
    claim.refresh_from_db()
    assert claim.assignee == editor


def test_assignee_cannot_be_changed_through_update(claim, reviewer, editor):
    refused(
        "not_editable",
        workflow.claim_update,
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"assignee": editor},
    )


def test_evidence_scheme_in_capitals_is_stored_in_lower_case(claim, reviewer):
    evidence = workflow.evidence_add(
        claim=claim, actor=reviewer, url="HTTPS://Example.org/Report", stance="supports"
    )
    assert evidence.url == "https://Example.org/Report"


def test_reviewer_corrects_quantities_and_the_version_moves_on(claim, reviewer):
    wrong = Quantity.objects.create(
        claim=claim, kind="multiplier", low=8, high=8, text="8"
    )
    wrong.low = wrong.high = 80
    added = Quantity(kind="percent", low=5, high=5, unit="%", text="5%")
    before = claim.version
    claim = workflow.quantities_save(claim=claim, actor=reviewer, save=[wrong, added])
    assert claim.version == before + 1
    assert sorted((q.kind, int(q.low)) for q in claim.quantities.all()) == [
        ("multiplier", 80),
        ("percent", 5),
    ]
    workflow.quantities_save(claim=claim, actor=reviewer, delete=[added])
    assert claim.quantities.count() == 1


def test_outsider_cannot_change_quantities(claim, outsider):
    refused(
        "not_reviewer",
        workflow.quantities_save,
        claim=claim,
        actor=outsider,
        save=[Quantity(kind="count", low=1, high=1, text="1")],
    )
    assert not claim.quantities.exists()


def test_a_reviewer_cannot_take_a_claim_off_another_reviewer(claim, reviewer, editor):
    from tests.conftest import make_user

    other = make_user("ravi", "Reviewer")
    workflow.claim_assign(claim=claim, assignee=other, actor=editor)
    error = refused(
        "not_editor",
        workflow.claim_assign,
        claim=claim,
        assignee=reviewer,
        actor=reviewer,
    )
    assert "assigned to ravi" in error.message
    assert workflow.claim_assign(
        claim=claim, assignee=reviewer, actor=editor
    ).assignee == (reviewer)


def test_a_bare_address_is_taken_as_https_as_the_forms_take_it(claim, reviewer):
    evidence = workflow.evidence_add(
        claim=claim, actor=reviewer, url=" example.org/report ", stance="supports"
    )
    assert evidence.url == "https://example.org/report"
