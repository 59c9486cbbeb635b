"""What ``available_steps`` offers is exactly what the workflow accepts.

For every status (each verdict proposed and approved), every amount of
evidence a claim in that status can have, every proposer and every role, each
step is tried through the workflow function itself, with valid input, in a
savepoint that is rolled back. The workflow must accept every step (and every
verdict, and every field) that ``available_steps`` offers, and refuse every
one it does not.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from claims import workflow
from claims.models import VERDICTS, VERDICTS_NEEDING_EVIDENCE, Claim, Quantity, Status
from claims.workflow import Step
from tests.conftest import add_evidence, make_claim

VERDICT_ORDER = [status for status in Status if status in VERDICTS]
# A field the verdict does not rate, and one it does.
EDIT_FIELDS = {"claim_type": "forecast", "text": "Reworded claim.", "quantities": None}


class Rollback(Exception):
    """Undo an accepted step, so the next one starts from the same claim."""


def accepted(call) -> bool:
    """Whether the workflow takes the call; nothing it does is kept."""
    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        return True
    except ValidationError:
        return False


def attempts(claim: Claim, actor) -> dict[tuple, object]:
    """Every step (and every verdict, every edited field) as a workflow call."""
    calls = {
        (Step.START_RESEARCH,): lambda: workflow.claim_start_research(
            claim=claim, actor=actor
        ),
        (Step.APPROVE,): lambda: workflow.claim_approve(claim=claim, actor=actor),
        (Step.REOPEN,): lambda: workflow.claim_reopen(
            claim=claim, actor=actor, note="Why."
        ),
        (Step.ASSIGN_TO_ME,): lambda: workflow.claim_assign(
            claim=claim, assignee=actor, actor=actor
        ),
        (Step.ADD_EVIDENCE,): lambda: workflow.evidence_add(
            claim=claim, actor=actor, url="https://example.org/new", stance="context"
        ),
        (Step.ADD_NOTE,): lambda: workflow.note_add(
            claim=claim, actor=actor, body="A note."
        ),
    }
    evidence = claim.evidence.order_by("id").first()

    def remove():
        if evidence is None:
            raise ValidationError("nothing to remove", code="no_evidence")
        workflow.evidence_remove(evidence=evidence, actor=actor)

    calls[(Step.REMOVE_EVIDENCE,)] = remove
    for verdict in VERDICT_ORDER:
        calls[(Step.SET_VERDICT, verdict)] = lambda verdict=verdict: (
            workflow.claim_set_verdict(
                claim=claim, verdict=verdict, note="Because.", actor=actor
            )
        )

    def save_quantities():
        workflow.quantities_save(
            claim=claim,
            actor=actor,
            save=[Quantity(kind="count", low=3, high=3, text="three")],
            note="Reason.",
        )

    def update(field: str, value: str):
        return lambda: workflow.claim_update(
            claim=claim,
            actor=actor,
            expected_version=claim.version,
            changes={field: value},
            note="Reason.",
        )

    for field, value in EDIT_FIELDS.items():
        calls[(Step.EDIT, field)] = (
            save_quantities if field == "quantities" else update(field, value)
        )
    return calls


def offered(offers: dict, key: tuple) -> bool:
    step = key[0]
    if step not in offers:
        return False
    if step == Step.SET_VERDICT:
        return key[1] in offers[step].choices
    if step == Step.EDIT:
        return key[1] in offers[step].fields
    return True


# (status, approved): every state a claim can be in.
STATES = [(Status.UNREVIEWED, False), (Status.RESEARCHING, False)] + [
    (verdict, approved) for verdict in VERDICT_ORDER for approved in (False, True)
]
CASES = [
    (status, approved, evidence, proposer)
    for (status, approved), evidence, proposer in itertools.product(
        STATES, (0, 1, 2), ("reviewer", "editor")
    )
    # A sourced verdict always has evidence (its last link cannot go).
    if not (status in VERDICTS_NEEDING_EVIDENCE and evidence == 0)
    # Who proposed only matters once there is a verdict.
    and (status in VERDICTS or proposer == "reviewer")
]


def build(episode, status, approved, evidence, proposer, editor2, reviewer):
    """A claim in that state, through the workflow, as the desk would reach it."""
    claim = make_claim(episode)
    if status == Status.UNREVIEWED:
        for i in range(evidence):
            add_evidence(claim, reviewer, url=f"https://example.org/{i}")
        return claim
    workflow.claim_start_research(claim=claim, actor=proposer)
    for i in range(evidence):
        add_evidence(claim, reviewer, url=f"https://example.org/{i}")
    if status in VERDICTS:
        workflow.claim_set_verdict(
            claim=claim, verdict=status, note="The rationale.", actor=proposer
        )
    if approved:
        workflow.claim_approve(claim=claim, actor=editor2)
    return Claim.objects.get(pk=claim.pk)


@pytest.mark.parametrize(("status", "approved", "evidence", "proposer"), CASES)
def test_available_steps_are_exactly_what_the_workflow_accepts(
    episode, reviewer, editor, editor2, outsider, status, approved, evidence, proposer
):
    proposer_user = reviewer if proposer == "reviewer" else editor
    claim = build(episode, status, approved, evidence, proposer_user, editor2, reviewer)
    assert (claim.status, claim.is_approved) == (status, approved)
    for actor in (outsider, reviewer, editor, editor2):
        claim = Claim.objects.get(pk=claim.pk)
        offers = workflow.available_steps(claim, actor)
        for key, call in attempts(claim, actor).items():
            assert accepted(call) == offered(offers, key), (
                f"{key} for {actor} on a {status}"
                f"{' approved' if approved else ''} claim with {evidence} evidence, "
                f"proposed by {proposer}: offered={offered(offers, key)}"
            )
