"""The event each workflow function writes to the log, field by field: kind,
actor, object, timeline, old → new of what changed, note, request id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from audit.models import Event, Kind
from claims import workflow
from claims.models import Quantity
from tests.conftest import add_evidence, events, make_claim


def only_new(before: int) -> Event:
    """The one event written since ``before`` events existed."""
    (event,) = Event.objects.order_by("id")[before:]
    return event


def fields(event: Event) -> dict:
    return {
        "kind": event.kind,
        "actor": event.actor,
        "object": (event.object_type, event.object_id),
        "topic": (event.topic_type, event.topic_id),
        "changes": event.changes,
        "note": event.note,
        "request_id": event.request_id,
    }


def claim_topic(claim) -> tuple[str, int]:
    return ("claims.claim", claim.pk)


def test_claim_create_logs_created_with_the_claims_first_values(
    episode, speaker, editor
):
    claim = make_claim(episode, speaker=speaker, actor=editor, text="Ten times.")
    assert fields(events(claim).get()) == {
        "kind": Kind.CLAIM_CREATED,
        "actor": editor,
        "object": claim_topic(claim),
        "topic": claim_topic(claim),
        # Every first value; empty ones (no claimant, no amounts) are left out.
        "changes": {
            "status": [None, "unreviewed"],
            "text": [None, "Ten times."],
            "quote": [None, "80 times growth"],
            "quote_start": [None, claim.quote_start],
            "quote_end": [None, claim.quote_end],
            "speaker": [None, {"id": speaker.pk, "label": "Ranjan Roy"}],
            "claim_type": [None, "statistic"],
        },
        "note": "",
        # Outside a request there is no request id.
        "request_id": "",
    }


def test_claim_update_logs_old_and_new_of_each_changed_field(claim, reviewer):
    before = Event.objects.count()
    workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"text": "Eighty times.", "claim_type": "statistic"},
        note="Tighter wording.",
    )
    assert fields(only_new(before)) == {
        "kind": Kind.CLAIM_EDITED,
        "actor": reviewer,
        "object": claim_topic(claim),
        "topic": claim_topic(claim),
        # claim_type did not change: it is not logged.
        "changes": {"text": ["Growth claim: 80 times growth", "Eighty times."]},
        "note": "Tighter wording.",
        "request_id": "",
    }


def test_an_unchanged_update_logs_nothing(claim, reviewer):
    before = Event.objects.count()
    workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"text": claim.text},
    )
    assert Event.objects.count() == before


def test_claim_assign_logs_the_old_and_new_assignee(claim, reviewer, editor):
    before = Event.objects.count()
    workflow.claim_assign(claim=claim, assignee=reviewer, actor=editor)
    event = only_new(before)
    assert (event.kind, event.actor, event.changes) == (
        Kind.CLAIM_ASSIGNED,
        editor,
        {"assignee": [None, {"id": reviewer.pk, "label": "rita"}]},
    )


def test_start_research_logs_status_and_the_new_assignee(claim, reviewer):
    before = Event.objects.count()
    workflow.claim_start_research(claim=claim, actor=reviewer, note="Mine.")
    assert fields(only_new(before)) == {
        "kind": Kind.RESEARCH_STARTED,
        "actor": reviewer,
        "object": claim_topic(claim),
        "topic": claim_topic(claim),
        "changes": {
            "status": ["unreviewed", "researching"],
            "assignee": [None, {"id": reviewer.pk, "label": "rita"}],
        },
        "note": "Mine.",
        "request_id": "",
    }


def test_set_verdict_logs_status_and_rationale(claim, reviewer):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    before = Event.objects.count()
    workflow.claim_set_verdict(
        claim=claim, verdict="false", note="The filing says 8.", actor=reviewer
    )
    event = only_new(before)
    assert (event.kind, event.actor, event.note) == (
        Kind.VERDICT_PROPOSED,
        reviewer,
        "The filing says 8.",
    )
    assert event.changes == {
        "status": ["researching", "false"],
        "rationale": ["", "The filing says 8."],
    }


def test_approve_logs_the_approver_at_the_instant_of_the_approval(
    proposed_claim, editor
):
    before = Event.objects.count()
    claim = workflow.claim_approve(claim=proposed_claim, actor=editor, note="Checked.")
    event = only_new(before)
    assert (event.kind, event.actor, event.note) == (
        Kind.APPROVED,
        editor,
        "Checked.",
    )
    assert event.at == claim.approved_at
    assert event.changes == {
        "approved_by": [None, {"id": editor.pk, "label": "edna"}],
        "approved_at": [None, claim.approved_at.isoformat()],
        "status": ["verified", "verified"],
    }


def test_reopen_logs_status_and_the_cleared_approval(proposed_claim, editor, editor2):
    approved = workflow.claim_approve(claim=proposed_claim, actor=editor)
    before = Event.objects.count()
    workflow.claim_reopen(claim=approved, actor=editor2, note="New filing.")
    event = only_new(before)
    assert (event.kind, event.actor, event.note) == (
        Kind.REOPENED,
        editor2,
        "New filing.",
    )
    assert event.changes == {
        "status": ["verified", "researching"],
        "approved_at": [approved.approved_at.isoformat(), None],
        "approved_by": [{"id": approved.approved_by_id, "label": "edna"}, None],
        "verdict_by": [{"id": approved.verdict_by_id, "label": "rita"}, None],
        "rationale": ["Matches the filing.", ""],
    }


def test_evidence_add_and_remove_log_the_link_on_the_claims_timeline(
    claim, reviewer, editor
):
    before = Event.objects.count()
    evidence = workflow.evidence_add(
        claim=claim,
        actor=reviewer,
        url="https://example.org/filing",
        stance="refutes",
        title="10-K",
    )
    added = only_new(before)
    assert fields(added) == {
        "kind": Kind.EVIDENCE_ADDED,
        "actor": reviewer,
        "object": ("claims.evidence", evidence.pk),
        "topic": claim_topic(claim),
        "changes": {
            "url": [None, "https://example.org/filing"],
            "stance": [None, "refutes"],
            "title": [None, "10-K"],
        },
        "note": "",
        "request_id": "",
    }
    evidence_id = evidence.pk
    before = Event.objects.count()
    workflow.evidence_remove(evidence=evidence, actor=editor, reason="Dead link.")
    removed = only_new(before)
    assert (removed.kind, removed.actor, removed.note) == (
        Kind.EVIDENCE_REMOVED,
        editor,
        "Dead link.",
    )
    assert (removed.object_id, removed.topic_id) == (evidence_id, claim.pk)
    assert removed.changes["url"] == ["https://example.org/filing", None]


def test_note_add_logs_the_note(claim, reviewer):
    before = Event.objects.count()
    note = workflow.note_add(claim=claim, actor=reviewer, body="Called them.")
    event = only_new(before)
    assert (event.kind, event.actor, event.object_id, event.topic_id, event.note) == (
        Kind.NOTE_ADDED,
        reviewer,
        note.pk,
        claim.pk,
        "Called them.",
    )


def test_quantities_save_logs_the_amounts_before_and_after(claim, reviewer):
    wrong = Quantity.objects.create(
        claim=claim, kind="multiplier", low=8, high=8, unit="x", text="8 times"
    )
    wrong.low = wrong.high = Decimal(80)
    before = Event.objects.count()
    workflow.quantities_save(claim=claim, actor=reviewer, save=[wrong])
    event = only_new(before)
    assert (event.kind, event.actor) == (Kind.QUANTITIES_CORRECTED, reviewer)
    assert event.changes == {
        "quantities": [["multiplier 8 x “8 times”"], ["multiplier 80 x “8 times”"]]
    }


def test_follow_source_logs_where_the_quote_moved(claim, episode, editor):
    start = episode.source_text.index("80 times growth")
    before = Event.objects.count()
    workflow.claim_follow_source(
        claim=claim,
        actor=editor,
        note="Corrected.",
        quote="80 times",
        quote_start=start,
        quote_end=start + len("80 times"),
    )
    event = only_new(before)
    assert (event.kind, event.actor, event.note) == (
        Kind.SOURCE_FOLLOWED,
        editor,
        "Corrected.",
    )
    assert event.changes == {
        "quote": ["80 times growth", "80 times"],
        "quote_end": [start + 15, start + 8],
    }


def test_an_editors_change_of_a_published_claim_logs_the_reopening_with_it(
    proposed_claim, editor, editor2
):
    approved = workflow.claim_approve(claim=proposed_claim, actor=editor)
    before = Event.objects.count()
    workflow.claim_update(
        claim=approved,
        actor=editor2,
        expected_version=approved.version,
        changes={"text": "Corrected wording."},
        note="The text misread the quote.",
    )
    event = only_new(before)
    assert (event.kind, event.actor, event.note) == (
        Kind.REOPENED,
        editor2,
        "The text misread the quote.",
    )
    assert event.changes["text"] == [
        "Growth claim: 80 times growth",
        "Corrected wording.",
    ]
    assert event.changes["status"] == ["verified", "researching"]


@pytest.mark.django_db
def test_every_event_carries_its_transaction(claim):
    event = events(claim).get()
    assert event.txid > 0
