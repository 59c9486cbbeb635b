"""Who may take which step on a claim: the one place that decides.

Each step has a ``check_…`` predicate over a claim and a user. It raises
``ValidationError`` with a ``code`` and a message that says what to do, or
returns. The workflow functions call the same predicate on the locked claim
before they write; ``available_steps`` calls it on the claim a page shows, so
the admin's buttons and actions, the claim page's forms, the dashboard's
queues and the API offer exactly what the workflow would accept. What a step
needs from its form (a rationale, a web address) is checked by the function
itself, after the predicate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError

from claimdesk.roles import User, is_editor, is_reviewer
from claims.models import VERDICTS, VERDICTS_NEEDING_EVIDENCE, Claim, Status

# Fields a reviewer may change on the claim form; status, approval and the
# assignee change only through the step functions.
EDITABLE_FIELDS = frozenset(
    {
        "text",
        "summary",
        "quote",
        "quote_start",
        "quote_end",
        "speaker",
        "claimant",
        "timestamp_seconds",
        "claim_type",
        "checkworthiness",
        "resolves_on",
    }
)
# What a published verdict rates: changing any of these changes what readers
# were told was checked. On a published claim only an editor may, and the
# claim goes back to research, to be approved again (``claim_update``).
RATED_FIELDS = frozenset(
    {
        "text",
        "summary",
        "quote",
        "quote_start",
        "quote_end",
        "speaker",
        "claimant",
        "quantities",
    }
)


class Step(StrEnum):
    START_RESEARCH = "start-research"
    SET_VERDICT = "set-verdict"
    APPROVE = "approve"
    REOPEN = "reopen"
    ASSIGN_TO_ME = "assign-to-me"
    ADD_EVIDENCE = "add-evidence"
    REMOVE_EVIDENCE = "remove-evidence"
    ADD_NOTE = "add-note"
    EDIT = "edit"


# --- roles ----------------------------------------------------------------------

# The role each step needs, whatever the claim; the predicates below start
# with it, and the admin's action permissions ask it for a list of claims.
EDITOR_STEPS = frozenset({Step.APPROVE, Step.REOPEN, Step.REMOVE_EVIDENCE})


def one_line(summary: str) -> str:
    """A claim's summary as it is kept: the public headline is one line (the
    page's title, og:title, the lists' links), so line breaks and runs of
    spaces are one space, whoever wrote it (a form, the API, an import)."""
    return " ".join(summary.split())


def has_role_for(step: Step, actor: User) -> bool:
    """Whether ``actor``'s role lets them take ``step`` on some claim."""
    return is_editor(actor) if step in EDITOR_STEPS else is_reviewer(actor)


def require_reviewer(actor: User) -> None:
    if not is_reviewer(actor):
        raise ValidationError(
            "Only members of the Reviewer or Editor group can do this. "
            "Ask an editor to add you to a group.",
            code="not_reviewer",
        )


def require_editor(actor: User, action: str) -> None:
    if not is_editor(actor):
        raise ValidationError(
            f"Only members of the Editor group can {action}.", code="not_editor"
        )


# --- the predicates ---------------------------------------------------------------


def check_start_research(claim: Claim, actor: User) -> None:
    require_reviewer(actor)
    if claim.status != Status.UNREVIEWED:
        raise ValidationError(
            f"Research can only start on an unreviewed claim; this one is "
            f"{claim.get_status_display().lower()}.",
            code="bad_transition",
        )


def evidence_count(claim: Claim) -> int:
    """The claim's evidence links; a list's ``evidence_count`` saves a query."""
    count = getattr(claim, "evidence_count", None)
    return count if count is not None else claim.evidence.count()


def has_evidence(claim: Claim) -> bool:
    return evidence_count(claim) > 0


def check_set_verdict(claim: Claim, actor: User, verdict: str | None = None) -> None:
    """May ``actor`` propose a verdict (``verdict`` in particular) now?"""
    require_reviewer(actor)
    if verdict is not None and verdict not in VERDICTS:
        raise ValidationError(
            f"“{verdict}” is not a verdict; choose one of "
            f"{', '.join(sorted(VERDICTS))}.",
            code="not_a_verdict",
        )
    if claim.is_approved:
        raise ValidationError(
            "This verdict is approved. An editor must reopen the claim before "
            "it can get another verdict.",
            code="bad_transition",
        )
    if claim.status == Status.UNREVIEWED and verdict not in (
        None,
        Status.NOT_CHECKABLE,
    ):
        raise ValidationError(
            "Start research on this claim before giving it a verdict; an "
            "unreviewed claim can only be marked not checkable.",
            code="bad_transition",
        )
    if verdict in VERDICTS_NEEDING_EVIDENCE and not has_evidence(claim):
        raise ValidationError(
            f"A “{Status(verdict).label}” verdict needs at least one evidence "
            "link. Add the source first.",
            code="evidence_required",
        )


def verdict_choices(claim: Claim, actor: User) -> list[Status]:
    """The verdicts ``actor`` may propose for ``claim`` now, in display order."""
    choices = []
    for status in Status:
        if status not in VERDICTS:
            continue
        try:
            check_set_verdict(claim, actor, status)
        except ValidationError:
            continue
        choices.append(status)
    return choices


def check_approve(claim: Claim, actor: User) -> None:
    require_editor(actor, "approve verdicts")
    if claim.status not in VERDICTS:
        raise ValidationError(
            "Only a verdict can be approved; this claim has none yet.",
            code="not_a_verdict",
        )
    if claim.is_approved:
        raise ValidationError(
            "This verdict is already approved.", code="already_approved"
        )
    if claim.verdict_by_id == actor.pk:
        raise ValidationError(
            "You proposed this verdict, so another editor must approve it "
            "(four-eyes rule).",
            code="four_eyes",
        )


def check_reopen(claim: Claim, actor: User) -> None:
    require_editor(actor, "reopen a verdict")
    if claim.status not in VERDICTS:
        raise ValidationError(
            "Only a claim with a verdict can be reopened.", code="bad_transition"
        )


def check_assign(claim: Claim, actor: User, assignee: User | None) -> None:
    """Reviewers take claims themselves; editors assign anyone with a role."""
    require_reviewer(actor)
    if assignee is not None and assignee.pk != actor.pk:
        require_editor(actor, "assign claims to someone else")
    if assignee is not None and not is_reviewer(assignee):
        raise ValidationError(
            f"{assignee} is neither a Reviewer nor an Editor; assign the claim "
            "to a member of one of those groups.",
            code="assignee_not_reviewer",
        )
    if claim.assignee_id not in (None, actor.pk) and not is_editor(actor):
        # Taking a claim off someone else (to nobody, or to oneself) is an
        # editor's call: two reviewers do not pull a claim back and forth.
        raise ValidationError(
            f"This claim is assigned to {claim.assignee}. Ask an editor to "
            "reassign it.",
            code="not_editor",
        )
    if claim.assignee_id == (assignee.pk if assignee is not None else None):
        raise ValidationError(
            "The claim is assigned to "
            + (
                "you"
                if assignee is not None and assignee.pk == actor.pk
                else str(assignee)
                if assignee is not None
                else "nobody"
            )
            + " already.",
            code="no_change",
        )


def check_assign_to_me(claim: Claim, actor: User) -> None:
    check_assign(claim, actor, actor)


def check_add_evidence(claim: Claim, actor: User) -> None:
    require_reviewer(actor)


def check_add_note(claim: Claim, actor: User) -> None:
    require_reviewer(actor)


def check_remove_evidence(claim: Claim, actor: User) -> None:
    require_editor(actor, "remove evidence")
    count = evidence_count(claim)
    if not count:
        raise ValidationError("This claim has no evidence.", code="no_evidence")
    if claim.status in VERDICTS_NEEDING_EVIDENCE and count == 1:
        raise ValidationError(
            "This is the only evidence for the claim's verdict. Reopen the claim "
            "or add other evidence before removing it.",
            code="evidence_required",
        )


def editable_fields(claim: Claim, actor: User) -> frozenset[str]:
    """The fields ``actor`` may change on ``claim`` (and "quantities")."""
    if not is_reviewer(actor):
        return frozenset()
    fields = EDITABLE_FIELDS | {"quantities"}
    if claim.is_approved and not is_editor(actor):
        return fields - RATED_FIELDS
    return fields


def check_edit(claim: Claim, actor: User, fields: frozenset[str] = frozenset()) -> None:
    """May ``actor`` edit ``claim`` (change ``fields`` in particular)?"""
    require_reviewer(actor)
    unknown = fields - EDITABLE_FIELDS - {"quantities"}
    if unknown:
        raise ValidationError(
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}.",
            code="not_editable",
        )
    if fields - editable_fields(claim, actor):
        raise ValidationError(
            "This claim's verdict is published, so what it rates (its text, "
            "summary, quote, speaker, claimant and amounts) cannot change under "
            "its readers. Ask an editor: an editor's change takes the claim back "
            "to research, to be approved again.",
            code="published",
        )


def reopens(claim: Claim, fields: frozenset[str] | set[str]) -> bool:
    """Whether changing ``fields`` takes ``claim`` back to research: they are
    what its published verdict rates."""
    return claim.is_approved and bool(set(fields) & RATED_FIELDS)


def sends_back(claim: Claim, fields: frozenset[str] | set[str]) -> bool:
    """Whether changing ``fields`` sends ``claim``'s verdict back to
    research: they are what it rates, and it has one, published
    (``reopens``) or only proposed. A proposed verdict was written for the
    words it rates; changed under it, the editor who approves it would
    approve words nobody checked against it, and the editor who changed
    them could approve their own wording (found by a new user: an editor
    reworded a proposed "verified" claim from $75 billion to $7.5 billion,
    then approved it, four-eyes rule and all)."""
    return claim.status in VERDICTS and bool(set(fields) & RATED_FIELDS)


# The reason recorded when a change of what a proposed verdict rates sends
# it back and its author gave none (a published one needs theirs).
PROPOSAL_UNSETTLED = (
    "What the proposed verdict rated changed: back to research, to be proposed again."
)


def check_reopen_reason(
    claim: Claim, fields: frozenset[str] | set[str], note: str
) -> str:
    """The reason given for changing ``fields`` (stripped); refused when the
    change takes a published verdict back to research without one. The
    workflow asks it before it writes, the forms before anything is saved."""
    note = (note or "").strip()
    if reopens(claim, fields) and not note:
        raise ValidationError(
            "Changing what a published verdict rates needs a note that says "
            "why: the claim goes back to research, to be approved again.",
            code="note_required",
        )
    return note


# --- what a user may do now ----------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """A step ``actor`` may take on ``claim`` now."""

    step: Step
    # For SET_VERDICT: the verdicts that may be proposed.
    choices: tuple[Status, ...] = ()
    # For EDIT: the fields that may be changed.
    fields: frozenset[str] = field(default_factory=frozenset)


PREDICATES: dict[Step, Callable[[Claim, User], None]] = {
    Step.START_RESEARCH: check_start_research,
    Step.SET_VERDICT: check_set_verdict,
    Step.APPROVE: check_approve,
    Step.REOPEN: check_reopen,
    Step.ASSIGN_TO_ME: check_assign_to_me,
    Step.ADD_EVIDENCE: check_add_evidence,
    Step.REMOVE_EVIDENCE: check_remove_evidence,
    Step.ADD_NOTE: check_add_note,
    Step.EDIT: check_edit,
}


def refusal(step: Step, claim: Claim, actor: User) -> ValidationError | None:
    """Why ``actor`` may not take ``step`` on ``claim`` now (None: they may)."""
    try:
        PREDICATES[step](claim, actor)
    except ValidationError as error:
        return error
    if step == Step.SET_VERDICT and not verdict_choices(claim, actor):
        return ValidationError("No verdict can be given now.", code="bad_transition")
    return None


def can(step: Step, claim: Claim, actor: User) -> bool:
    return refusal(step, claim, actor) is None


def available_steps(claim: Claim, actor: User) -> dict[Step, Offer]:
    """Every step ``actor`` may take on ``claim`` now, in display order."""
    offers: dict[Step, Offer] = {}
    for step in Step:
        if not can(step, claim, actor):
            continue
        if step == Step.SET_VERDICT:
            offers[step] = Offer(step, choices=tuple(verdict_choices(claim, actor)))
        elif step == Step.EDIT:
            offers[step] = Offer(step, fields=editable_fields(claim, actor))
        else:
            offers[step] = Offer(step)
    return offers
