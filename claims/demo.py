"""The demo's sample review: one claim of the seed episode taken through the
whole workflow by the demo accounts, so the public side (a published page,
ClaimReview, the feed) can be seen as soon as ``make demo`` starts.

It is labelled on every page as a demo review: its rationale starts with
``DEMO_REVIEW_LABEL``, and ``Claim.is_demo_review`` reads that.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from claims import workflow
from claims.models import DEMO_REVIEW_LABEL, Claim, Status

# The passage of the seed episode the sample review rates.
SAMPLE_QUOTE = "planned for growing about 10 times as big this year"
SAMPLE_SUMMARY = "Anthropic planned for about 10× growth this year"
SAMPLE_RATIONALE = (
    f"{DEMO_REVIEW_LABEL} this sample was made by the demo set-up to show what a "
    "published check looks like; nobody researched the claim. A real review "
    "would link Anthropic's own statement or reporting of it, and say whether "
    "the 10× plan was for revenue, usage or compute."
)


class DemoError(Exception):
    """The sample review cannot be made; the message says why."""


@transaction.atomic
def publish_sample_review() -> tuple[Claim, bool]:
    """The sample review, published now or found already published:
    (claim, whether this call published it). All of it or nothing."""
    users = get_user_model().objects.in_bulk(
        ["editor", "editor2", "reviewer"], field_name="username"
    )
    if len(users) < 3:
        raise DemoError(
            "The demo accounts editor, editor2 and reviewer are missing; run "
            "`manage.py create_demo_users` first (make demo does)."
        )
    claim = Claim.objects.filter(quote__contains=SAMPLE_QUOTE).order_by("id").first()
    if claim is None:
        raise DemoError(
            "The seed episode's claim about “10 times as big this year” is not "
            "in the database; run `manage.py load_seeds` first (make demo does)."
        )
    if claim.is_approved:
        return claim, False
    if claim.status != Status.UNREVIEWED:
        raise DemoError(
            f"Claim {claim.pk} is already being reviewed "
            f"({claim.get_status_display()}); the sample review leaves it "
            "alone. Publish it through the desk, or start from a fresh "
            "database (make clean-db)."
        )
    reviewer, editor = users["reviewer"], users["editor"]
    claim = workflow.claim_assign(
        claim=claim, assignee=reviewer, actor=reviewer, expected_version=claim.version
    )
    claim = workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"summary": SAMPLE_SUMMARY},
    )
    claim = workflow.claim_start_research(
        claim=claim, actor=reviewer, expected_version=claim.version
    )
    note = workflow.note_add(
        claim=claim,
        actor=reviewer,
        body=f"{DEMO_REVIEW_LABEL} the claimant is Dario Amodei, reported by the "
        "speaker; the transcript spells him “Amade”.",
    )
    claim = note.claim
    claim = workflow.claim_set_verdict(
        claim=claim,
        actor=reviewer,
        verdict=Status.UNVERIFIABLE,
        note=SAMPLE_RATIONALE,
        expected_version=claim.version,
    )
    claim = workflow.claim_approve(claim=claim, actor=editor)
    return claim, True
