"""Readers are told when what they see of a published claim last changed,
not of every write to it.

``updated_at`` moves with a reviewer's note, an assignment or a
check-worthiness score; the API, the exports and the ClaimReview showed it
to anonymous readers, so internal work on a published claim showed in
public (found by the new-user review of 2026-12-04). Readers now get
``Claim.published_changed_at``: the approval, then any change to what the
claim's page shows (a column readers see, an evidence link), kept by a
trigger and the workflow; null while unpublished.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from claims import workflow
from claims.claimreview import claim_review
from claims.models import Claim
from tests.conftest import add_evidence


@pytest.fixture
def published(proposed_claim, editor) -> Claim:
    return workflow.claim_approve(claim=proposed_claim, actor=editor)


def public_times(claim: Claim) -> dict[str, str]:
    """What an anonymous reader is told of the claim's last change, on each
    surface that says it."""
    reader = Client()
    api = reader.get(f"/api/claims/{claim.pk}/").json()["updated_at"]
    (exported,) = [
        row
        for row in json.loads(
            b"".join(reader.get("/claims/export.json").streaming_content)
        )
        if row["id"] == claim.pk
    ]
    claim = Claim.objects.get(pk=claim.pk)
    review = claim_review(claim, base_url="https://example.org")
    return {
        "api": api,
        "export": exported["updated_at"],
        "claimreview": review["dateModified"],
        "column": claim.published_changed_at.isoformat().replace("+00:00", "Z"),
    }


def same_moment(times: dict[str, str]) -> str:
    """The one moment every surface gives (each writes it its own way)."""
    import datetime

    moments = {
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        for value in times.values()
    }
    assert len(moments) == 1, times
    return moments.pop()


def test_a_published_claim_starts_at_its_approval(published):
    assert published.published_changed_at == published.approved_at
    assert same_moment(public_times(published)) == published.approved_at


def test_internal_work_on_a_published_claim_changes_nothing_readers_see(
    published, reviewer, editor
):
    before = public_times(published)
    workflow.note_add(claim=published, actor=reviewer, body="A reader wrote in.")
    published.refresh_from_db()
    workflow.claim_assign(claim=published, assignee=None, actor=editor)
    published.refresh_from_db()
    workflow.claim_update(
        claim=published,
        actor=reviewer,
        expected_version=published.version,
        changes={"checkworthiness": 0.1},
    )
    published.refresh_from_db()
    assert published.updated_at > published.approved_at  # the desk's time moved
    assert public_times(published) == before
    # Nor its version, which moved with the assignment and the score: readers,
    # who take no steps, are not given it.
    assert Client().get(f"/api/claims/{published.pk}/").json()["version"] is None
    # Reviewers still see the desk's own time.
    staff = Client()
    staff.force_login(reviewer)
    seen = staff.get(f"/api/claims/{published.pk}/").json()["updated_at"]
    assert seen != before["api"]


def test_what_readers_see_changing_moves_it(published, reviewer):
    approved = same_moment(public_times(published))
    add_evidence(published, reviewer, url="https://example.org/later-report")
    after_evidence = same_moment(public_times(published))
    assert after_evidence > approved
    published.refresh_from_db()
    workflow.claim_update(
        claim=published,
        actor=reviewer,
        expected_version=published.version,
        changes={"claim_type": "financial"},
    )
    assert same_moment(public_times(published)) > after_evidence


def test_reopened_it_is_unpublished_and_approved_again_it_starts_over(
    published, editor, editor2, reviewer
):
    workflow.claim_reopen(claim=published, actor=editor, note="A new filing.")
    published.refresh_from_db()
    assert published.published_changed_at is None
    workflow.claim_set_verdict(
        claim=published, verdict="false", note="Rechecked.", actor=reviewer
    )
    again = workflow.claim_approve(claim=published, actor=editor2)
    assert again.published_changed_at == again.approved_at
