"""Every change of a claim's state, in one place.

The admin, the pages, the importer and any later API call these functions and
nothing else to write claims, evidence, notes and history. Each function:

- takes keyword arguments and the acting user;
- locks the claim row (``SELECT … FOR UPDATE``) so concurrent editors queue up
  instead of overwriting each other;
- checks the role and the rule, raising ``ValidationError`` with a ``code``
  that forms, admin messages and API views can show;
- writes its history row in the same transaction.

Rules (README has the table):

unreviewed → researching → verdict (verified, disputed, false, misleading,
unverifiable, not_checkable). A verdict needs a rationale note; the first four
also need evidence. A verdict is *proposed* until an Editor other than its
proposer approves it. An Editor may reopen any verdict to researching with a
note, which clears the approval.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claimdesk.roles import is_editor, is_reviewer
from claims.extraction.types import QuantityData
from claims.models import (
    VERDICTS,
    VERDICTS_NEEDING_EVIDENCE,
    ChangeKind,
    Claim,
    ClaimType,
    Evidence,
    Mention,
    Quantity,
    ReviewNote,
    Stance,
    Status,
    StatusChange,
)
from episodes.models import Episode
from people.models import Person

User = AbstractBaseUser | AnonymousUser

# Fields a reviewer may change on the claim form; status, approval and the
# assignee change only through the functions below.
EDITABLE_FIELDS = frozenset(
    {
        "text",
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

_http_url = URLValidator(schemes=["http", "https"])


class MentionLike(Protocol):
    """Another passage of the source that states the claim (a Mention row)."""

    quote: str
    start: int
    end: int
    timestamp_seconds: int | None


# --- checks -------------------------------------------------------------------


def _require_reviewer(actor: User) -> None:
    if not is_reviewer(actor):
        raise ValidationError(
            "Only members of the Reviewer or Editor group can do this. "
            "Ask an editor to add you to a group.",
            code="not_reviewer",
        )


def _require_editor(actor: User, action: str) -> None:
    if not is_editor(actor):
        raise ValidationError(
            f"Only members of the Editor group can {action}.", code="not_editor"
        )


def _lock(claim: Claim, expected_version: int | None) -> Claim:
    """Lock the claim row and check it is still the version the caller saw."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            "Someone else changed this claim while you were working on it "
            f"(you loaded version {expected_version}, it is now version "
            f"{locked.version}). Nothing was saved; your input is kept. "
            "Check the current state, then submit again.",
            code="stale",
        )
    return locked


def _require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            f"{what} needs a note that says why. Write the rationale and submit again.",
            code="note_required",
        )
    return note


def _bump(claim: Claim, fields: Iterable[str]) -> None:
    """Save the named fields, bump the version and updated_at."""
    claim.version = F("version") + 1
    claim.save(update_fields=[*fields, "version", "updated_at"])
    claim.refresh_from_db(fields=["version", "updated_at"])


def _record(
    claim: Claim,
    *,
    actor: User | None,
    to_status: str,
    from_status: str,
    kind: str = ChangeKind.TRANSITION,
    note: str = "",
) -> StatusChange:
    return StatusChange.objects.create(
        claim=claim,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )


# --- creating and editing -----------------------------------------------------


@dataclass(frozen=True)
class ClaimDraft:
    """A claim to create: what the importer found, or an editor typed."""

    text: str
    quote: str
    quote_start: int | None = None
    quote_end: int | None = None
    speaker: Person | None = None
    claimant: Person | None = None
    timestamp_seconds: int | None = None
    claim_type: str = ClaimType.OTHER
    checkworthiness: float | None = None
    checkworthiness_reasons: tuple[str, ...] = ()
    resolves_on: datetime.date | None = None
    quantities: tuple[QuantityData, ...] = ()
    mentions: tuple[MentionLike, ...] = ()


@transaction.atomic
def claims_create(
    *,
    episode: Episode,
    drafts: Iterable[ClaimDraft],
    actor: User | None = None,
    note: str = "",
) -> list[Claim]:
    """Log new claims as unreviewed, each with its "created" history row.

    ``actor`` is None for the command-line importer; anyone else must be an
    editor. A whole episode's claims go in a handful of bulk INSERTs (claims,
    quantities, mentions, history), not a few queries per claim: an import of
    a one-hour transcript writes dozens of claims.
    """
    if actor is not None and not is_editor(actor):
        raise ValidationError(
            "Only members of the Editor group can add claims by hand.",
            code="not_editor",
        )
    drafts = list(drafts)
    if any(not (draft.text or "").strip() for draft in drafts):
        raise ValidationError("A claim needs its text in one sentence.", code="no_text")
    claims = Claim.objects.bulk_create(
        Claim(
            episode=episode,
            text=draft.text.strip(),
            quote=draft.quote,
            quote_start=draft.quote_start,
            quote_end=draft.quote_end,
            speaker=draft.speaker,
            claimant=draft.claimant,
            timestamp_seconds=draft.timestamp_seconds,
            claim_type=draft.claim_type,
            checkworthiness=draft.checkworthiness,
            checkworthiness_reasons=list(draft.checkworthiness_reasons),
            resolves_on=draft.resolves_on,
        )
        for draft in drafts
    )
    pairs = list(zip(claims, drafts, strict=True))
    Quantity.objects.bulk_create(
        _quantity(claim, q) for claim, draft in pairs for q in draft.quantities
    )
    Mention.objects.bulk_create(
        _mention(claim, m) for claim, draft in pairs for m in draft.mentions
    )
    author = actor if actor is not None and actor.is_authenticated else None
    StatusChange.objects.bulk_create(
        StatusChange(
            claim=claim,
            kind=ChangeKind.CREATED,
            from_status="",
            to_status=Status.UNREVIEWED,
            actor=author,
            note=note,
        )
        for claim in claims
    )
    return claims


def claim_create(
    *, episode: Episode, actor: User | None = None, note: str = "", **fields
) -> Claim:
    """Log one new claim; ``fields`` are those of ``ClaimDraft``."""
    return claims_create(
        episode=episode, drafts=[ClaimDraft(**fields)], actor=actor, note=note
    )[0]


@transaction.atomic
def claim_update(
    *, claim: Claim, actor: User, expected_version: int, changes: dict
) -> Claim:
    """Change descriptive fields of a claim, refusing a stale edit."""
    _require_reviewer(actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}.",
            code="not_editable",
        )
    locked = _lock(claim, expected_version)
    changed = [
        name for name, value in changes.items() if getattr(locked, name) != value
    ]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, changes[name])
    _bump(locked, changed)
    return locked


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee: User | None,
    actor: User,
    expected_version: int | None = None,
) -> Claim:
    _require_reviewer(actor)
    if assignee is not None and assignee != actor:
        _require_editor(actor, "assign claims to someone else")
    if assignee is not None and not is_reviewer(assignee):
        raise ValidationError(
            f"{assignee} is neither a Reviewer nor an Editor; assign the claim "
            "to a member of one of those groups.",
            code="assignee_not_reviewer",
        )
    locked = _lock(claim, expected_version)
    if assignee is None and locked.assignee_id not in (None, actor.pk):
        _require_editor(actor, "take a claim away from someone else")
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    locked.assignee = assignee
    _bump(locked, ["assignee"])
    return locked


def _mention(claim: Claim, mention: MentionLike) -> Mention:
    return Mention(
        claim=claim,
        quote=mention.quote,
        quote_start=mention.start,
        quote_end=mention.end,
        timestamp_seconds=mention.timestamp_seconds,
    )


def _quantity(claim: Claim, q: QuantityData) -> Quantity:
    return Quantity(
        claim=claim,
        kind=q.kind,
        low=q.low,
        high=q.high,
        unit=q.unit,
        approx=q.approx,
        text=q.text,
    )


@transaction.atomic
def claim_follow_source(
    *,
    claim: Claim,
    actor: User | None,
    note: str,
    quote: str | None,
    quote_start: int | None = None,
    quote_end: int | None = None,
    timestamp_seconds: int | None = None,
    mentions: Iterable[MentionLike] = (),
    quantities: Iterable[QuantityData] | None = None,
) -> Claim:
    """Point a claim at its place in a corrected source, keeping everything else.

    Used when an episode is re-imported in a corrected version. ``quote`` None
    means the passage is gone from the source: the claim keeps its last quote
    but loses its offsets. Status, verdict, evidence, notes and history are
    untouched; ``quantities`` replaces the parsed amounts when the quote's
    wording changed. A history row says what happened.
    """
    if actor is not None and not is_editor(actor):
        raise ValidationError(
            "Only members of the Editor group can re-import an episode.",
            code="not_editor",
        )
    locked = _lock(claim, None)
    if quote is None:
        locked.quote_start = locked.quote_end = None
    else:
        locked.quote = quote
        locked.quote_start, locked.quote_end = quote_start, quote_end
        locked.timestamp_seconds = timestamp_seconds
    locked.mentions.all().delete()
    Mention.objects.bulk_create(_mention(locked, m) for m in mentions)
    if quantities is not None:
        locked.quantities.all().delete()
        Quantity.objects.bulk_create(_quantity(locked, q) for q in quantities)
    _record(
        locked,
        actor=actor,
        kind=ChangeKind.SOURCE,
        from_status=locked.status,
        to_status=locked.status,
        note=note,
    )
    _bump(locked, ["quote", "quote_start", "quote_end", "timestamp_seconds"])
    return locked


@transaction.atomic
def quantities_save(
    *,
    claim: Claim,
    actor: User,
    save: Iterable[Quantity] = (),
    delete: Iterable[Quantity] = (),
) -> Claim:
    """Correct the amounts parsed from a claim (Reviewers and Editors).

    ``save`` holds new or changed Quantity rows of this claim, ``delete``
    rows to remove. The claim's version moves on, so a form opened before
    the correction sees it as a change.
    """
    _require_reviewer(actor)
    locked = _lock(claim, None)
    for quantity in (*save, *delete):
        if quantity.claim_id not in (None, locked.pk):
            raise ValidationError(
                "That amount belongs to another claim.", code="wrong_claim"
            )
    for quantity in delete:
        if quantity.pk is not None:
            quantity.delete()
    for quantity in save:
        quantity.claim = locked
        quantity.save()
    _bump(locked, [])
    return locked


# --- status transitions ------------------------------------------------------


@transaction.atomic
def claim_start_research(
    *, claim: Claim, actor: User, note: str = "", expected_version: int | None = None
) -> Claim:
    _require_reviewer(actor)
    locked = _lock(claim, expected_version)
    if locked.status != Status.UNREVIEWED:
        raise ValidationError(
            f"Research can only start on an unreviewed claim; this one is "
            f"{locked.get_status_display().lower()}.",
            code="bad_transition",
        )
    _record(
        locked,
        actor=actor,
        from_status=locked.status,
        to_status=Status.RESEARCHING,
        note=note.strip(),
    )
    locked.status = Status.RESEARCHING
    if locked.assignee_id is None:
        locked.assignee = actor
    _bump(locked, ["status", "assignee"])
    return locked


@transaction.atomic
def claim_set_verdict(
    *,
    claim: Claim,
    verdict: str,
    note: str,
    actor: User,
    expected_version: int | None = None,
) -> Claim:
    """Propose a verdict. It is published only once an editor approves it."""
    _require_reviewer(actor)
    if verdict not in VERDICTS:
        raise ValidationError(
            f"“{verdict}” is not a verdict; choose one of "
            f"{', '.join(sorted(VERDICTS))}.",
            code="not_a_verdict",
        )
    note = _require_note(note, "A verdict")
    locked = _lock(claim, expected_version)
    allowed_from = {Status.RESEARCHING}
    if verdict == Status.NOT_CHECKABLE:
        allowed_from.add(Status.UNREVIEWED)
    revising = locked.status in VERDICTS and locked.approved_at is None
    if locked.status not in allowed_from and not revising:
        if locked.status in VERDICTS:
            message = (
                "This verdict is approved. An editor must reopen the claim "
                "before it can get another verdict."
            )
        else:
            message = "Start research on this claim before giving it a verdict."
        raise ValidationError(message, code="bad_transition")
    if verdict in VERDICTS_NEEDING_EVIDENCE and not locked.evidence.exists():
        raise ValidationError(
            f"A “{Status(verdict).label}” verdict needs at least one evidence "
            "link. Add the source first.",
            code="evidence_required",
        )
    from_status = locked.status
    _record(locked, actor=actor, from_status=from_status, to_status=verdict, note=note)
    locked.status = verdict
    locked.rationale = note
    locked.verdict_by = actor
    _bump(locked, ["status", "rationale", "verdict_by"])
    return locked


@transaction.atomic
def claim_approve(
    *, claim: Claim, actor: User, note: str = "", expected_version: int | None = None
) -> Claim:
    """Sign a proposed verdict off (four-eyes: not its proposer)."""
    _require_editor(actor, "approve verdicts")
    locked = _lock(claim, expected_version)
    if locked.status not in VERDICTS:
        raise ValidationError(
            "Only a verdict can be approved; this claim has none yet.",
            code="not_a_verdict",
        )
    if locked.approved_at is not None:
        raise ValidationError(
            "This verdict is already approved.", code="already_approved"
        )
    if locked.verdict_by_id == actor.pk:
        raise ValidationError(
            "You proposed this verdict, so another editor must approve it "
            "(four-eyes rule).",
            code="four_eyes",
        )
    _record(
        locked,
        actor=actor,
        kind=ChangeKind.APPROVAL,
        from_status=locked.status,
        to_status=locked.status,
        note=note.strip(),
    )
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    _bump(locked, ["approved_by", "approved_at"])
    return locked


@transaction.atomic
def claim_reopen(
    *, claim: Claim, actor: User, note: str, expected_version: int | None = None
) -> Claim:
    """Send a verdict back to research; clears the approval."""
    _require_editor(actor, "reopen a verdict")
    note = _require_note(note, "Reopening")
    locked = _lock(claim, expected_version)
    if locked.status not in VERDICTS:
        raise ValidationError(
            "Only a claim with a verdict can be reopened.", code="bad_transition"
        )
    _record(
        locked,
        actor=actor,
        from_status=locked.status,
        to_status=Status.RESEARCHING,
        note=note,
    )
    # The old rationale stays in the history row of the verdict it explained.
    locked.status = Status.RESEARCHING
    locked.approved_by = None
    locked.approved_at = None
    locked.verdict_by = None
    locked.rationale = ""
    _bump(locked, ["status", "approved_by", "approved_at", "verdict_by", "rationale"])
    return locked


# --- evidence and notes --------------------------------------------------------


def _touch(claim: Claim) -> None:
    """Mark the claim as updated without changing its version."""
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    actor: User,
    url: str,
    stance: str,
    title: str = "",
    publisher: str = "",
    published_on: datetime.date | None = None,
    excerpt: str = "",
) -> Evidence:
    _require_reviewer(actor)
    url = (url or "").strip()
    # "HTTPS://…" is a valid address; store the scheme in lower case, as the
    # database's http(s) rule expects.
    scheme, sep, rest = url.partition("://")
    if sep:
        url = scheme.lower() + sep + rest
    try:
        _http_url(url)
    except ValidationError:
        raise ValidationError(
            f"“{url}” is not a web address. Evidence links must start with "
            "http:// or https://.",
            code="bad_url",
        ) from None
    if stance not in Stance.values:
        raise ValidationError(
            f"Choose a stance: {', '.join(Stance.values)}.", code="bad_stance"
        )
    locked = _lock(claim, None)
    evidence = Evidence.objects.create(
        claim=locked,
        url=url,
        stance=stance,
        title=title.strip(),
        publisher=publisher.strip(),
        published_on=published_on,
        excerpt=excerpt.strip(),
        added_by=actor,
    )
    _touch(locked)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: User, reason: str = "") -> None:
    """Remove an evidence link (Editors only); a note records what and why."""
    _require_editor(actor, "remove evidence")
    locked = _lock(evidence.claim, None)
    if (
        locked.status in VERDICTS_NEEDING_EVIDENCE
        and locked.evidence.exclude(pk=evidence.pk).count() == 0
    ):
        raise ValidationError(
            "This is the only evidence for the claim's verdict. Reopen the claim "
            "or add other evidence before removing it.",
            code="evidence_required",
        )
    body = f"Removed evidence: {evidence.url} ({evidence.get_stance_display()})."
    if reason.strip():
        body += f" Reason: {reason.strip()}"
    ReviewNote.objects.create(claim=locked, author=actor, body=body)
    evidence.delete()
    _touch(locked)


@transaction.atomic
def note_add(*, claim: Claim, actor: User, body: str) -> ReviewNote:
    _require_reviewer(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.", code="note_required")
    locked = _lock(claim, None)
    note = ReviewNote.objects.create(claim=locked, author=actor, body=body)
    _touch(locked)
    return note
