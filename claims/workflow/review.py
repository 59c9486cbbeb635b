"""The status steps: start research, propose a verdict, approve, reopen.

unreviewed → researching → verdict (verified, disputed, false, misleading,
unverifiable, not_checkable). A verdict needs a rationale note; the first
four also need evidence. A verdict is *proposed* until an Editor other than
its proposer approves it; only then is it published. An Editor may reopen
any verdict to researching with a note, which clears the approval.
"""

from __future__ import annotations

from django.utils import timezone

from audit.log import diff, record, writes
from audit.models import Kind
from claimdesk.roles import User
from claims.models import Claim, Status
from claims.workflow import rules
from claims.workflow.base import bump, lock, require_note


@writes
def claim_start_research(
    *, claim: Claim, actor: User, note: str = "", expected_version: int | None = None
) -> Claim:
    locked = lock(claim, expected_version)
    rules.check_start_research(locked, actor)
    changes = {"status": [locked.status, Status.RESEARCHING.value]}
    if locked.assignee_id is None:
        changes["assignee"] = [None, {"id": actor.pk, "label": str(actor)}]
        locked.assignee = actor
    record(
        kind=Kind.RESEARCH_STARTED,
        actor=actor,
        obj=locked,
        changes=changes,
        note=(note or "").strip(),
    )
    locked.status = Status.RESEARCHING
    bump(locked, ["status", "assignee"])
    return locked


@writes
def claim_set_verdict(
    *,
    claim: Claim,
    verdict: str,
    note: str,
    actor: User,
    expected_version: int | None = None,
) -> Claim:
    """Propose a verdict, with its rationale (``note``). It is published only
    once another editor approves it."""
    rules.require_reviewer(actor)
    note = require_note(note, "A verdict")
    locked = lock(claim, expected_version)
    rules.check_set_verdict(locked, actor, verdict)
    record(
        kind=Kind.VERDICT_PROPOSED,
        actor=actor,
        obj=locked,
        changes={
            "status": [locked.status, verdict],
            "rationale": [locked.rationale, note],
        },
        note=note,
    )
    locked.status = verdict
    locked.rationale = note
    locked.verdict_by = actor
    bump(locked, ["status", "rationale", "verdict_by"])
    return locked


@writes
def claim_approve(
    *, claim: Claim, actor: User, note: str = "", expected_version: int | None = None
) -> Claim:
    """Sign a proposed verdict off (four-eyes: not its proposer)."""
    locked = lock(claim, expected_version)
    rules.check_approve(locked, actor)
    now = timezone.now()
    record(
        kind=Kind.APPROVED,
        actor=actor,
        obj=locked,
        changes={
            "approved_by": [None, {"id": actor.pk, "label": str(actor)}],
            "approved_at": [None, now.isoformat()],
            "status": [locked.status, locked.status],
        },
        note=(note or "").strip(),
        at=now,
    )
    locked.approved_by = actor
    locked.approved_at = now
    bump(locked, ["approved_by", "approved_at"])
    return locked


@writes
def claim_reopen(
    *, claim: Claim, actor: User, note: str, expected_version: int | None = None
) -> Claim:
    """Send a verdict back to research; clears the approval."""
    rules.require_editor(actor, "reopen a verdict")
    note = require_note(note, "Reopening")
    locked = lock(claim, expected_version)
    rules.check_reopen(locked, actor)
    reopen(locked, actor=actor, note=note)
    bump(locked, REOPEN_FIELDS)
    return locked


# The columns ``reopen`` changes.
REOPEN_FIELDS = ("status", "approved_by", "approved_at", "verdict_by", "rationale")


def reopen(
    locked: Claim,
    *,
    actor: User | None,
    note: str,
    changes: dict | None = None,
    cause=None,
) -> None:
    """Take a locked claim with a verdict back to research, recording why.

    Also used by an editor's change of what a published verdict rates
    (``claim_update``): ``changes`` then holds those fields too. The caller
    saves ``REOPEN_FIELDS``.
    """
    record(
        kind=Kind.REOPENED,
        actor=actor,
        obj=locked,
        changes={
            **(changes or {}),
            **diff(
                {
                    "status": locked.status,
                    "approved_at": locked.approved_at,
                    "approved_by": locked.approved_by,
                    "verdict_by": locked.verdict_by,
                    "rationale": locked.rationale,
                },
                {
                    "status": Status.RESEARCHING.value,
                    "approved_at": None,
                    "approved_by": None,
                    "verdict_by": None,
                    "rationale": "",
                },
            ),
        },
        note=note,
        cause=cause,
    )
    # The old rationale stays in the event of the verdict it explained.
    locked.status = Status.RESEARCHING
    locked.approved_by = None
    locked.approved_at = None
    locked.verdict_by = None
    locked.rationale = ""
