"""Creating claims and changing what they say: text, quote, people, amounts,
assignee, and following a corrected source."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from audit.log import build, diff, record, record_each, record_many, value, writes
from audit.models import Event, Kind
from claimdesk.bulk import copy_rows, new_ids
from claimdesk.roles import User, is_editor
from claims.extraction.types import ClaimType, QuantityData, QuantityKind, number_day
from claims.models import Claim, Mention, Quantity, Status
from claims.workflow import rules
from claims.workflow.base import bump, lock, touched
from claims.workflow.review import REOPEN_FIELDS, reopen
from episodes.models import Episode
from people.models import Person


class MentionLike(Protocol):
    """Another passage of the source that states the claim (a Mention row)."""

    quote: str
    start: int
    end: int
    timestamp_seconds: int | None


@dataclass(frozen=True)
class ClaimDraft:
    """A claim to create: what the importer found, or an editor typed."""

    text: str
    quote: str
    summary: str = ""
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


def describe_quantity(quantity: Quantity | QuantityData) -> str:
    """One line for the log: “money 5000000000–6000000000 USD (about)”; a
    date amount's bounds as days (“date 2028-01-01–2028-12-31”)."""
    low, high = value(quantity.low), value(quantity.high)
    if quantity.kind == QuantityKind.DATE:
        low, high = (_day_text(bound) for bound in (low, high))
    span = low if low == high else f"{low if low is not None else '…'}–{high or '…'}"
    text = f"{quantity.kind} {span} {quantity.unit}".rstrip()
    return text + (" (about)" if quantity.approx else "") + f" “{quantity.text}”"


def _day_text(logged: str | None) -> str | None:
    """A date amount's bound as the log writes it: its day (YYYY-MM-DD), or
    the number when it is no day."""
    if logged is None:
        return None
    try:
        day = number_day(Decimal(logged))
    except ArithmeticError:
        return logged
    return day.isoformat() if day is not None else logged


_LOGGED_DAYS = re.compile(r"^date (\d{8}|…)(?:–(\d{8}|…))?(?=[ (“]|$)")


def amount_as_read(logged: str) -> str:
    """An amount's text from the log as the desk reads it: events written
    before date amounts were logged as days give their YYYYMMDD numbers,
    read here as days (“date 20281231” → “date 2028-12-31”)."""
    match = _LOGGED_DAYS.match(logged)
    if match is None or match[1] == match[2] == "…" or match[0] == "date …":
        return logged
    low = _day_text(match[1])
    high = _day_text(match[2]) if match[2] and match[2] != "…" else match[2]
    span = low if high is None else f"{low}–{high}"
    return f"date {span}" + logged[match.end() :]


def _first_values(draft: ClaimDraft) -> dict:
    """A new claim's event: every value it starts with (empty ones left out),
    as ``diff({}, values)`` would record them."""
    values = {
        "status": Status.UNREVIEWED.value,
        "text": draft.text.strip(),
        "summary": rules.one_line(draft.summary),
        "quote": draft.quote,
        "quote_start": draft.quote_start,
        "quote_end": draft.quote_end,
        "speaker": value(draft.speaker),
        "claimant": value(draft.claimant),
        "timestamp_seconds": draft.timestamp_seconds,
        "claim_type": str(draft.claim_type),
        "checkworthiness": draft.checkworthiness,
        "resolves_on": value(draft.resolves_on),
        "quantities": [describe_quantity(q) for q in draft.quantities],
        "mentions": [m.quote for m in draft.mentions],
    }
    return {k: [None, v] for k, v in values.items() if v not in (None, "", [])}


_CLAIM_FIELDS = tuple(field.attname for field in Claim._meta.concrete_fields)
_QUANTITY_FIELDS = ("claim", "kind", "low", "high", "unit", "approx", "text")
_MENTION_FIELDS = ("claim", "quote", "quote_start", "quote_end", "timestamp_seconds")


def _claim_row(pk: int, episode: Episode, draft: ClaimDraft, now) -> list:
    """The row of a new claim, every column in model order (COPY applies no
    Django default); the database fills the search vector and the date."""
    values = {
        "id": pk,
        "episode_id": episode.pk,
        "speaker_id": draft.speaker.pk if draft.speaker else None,
        "claimant_id": draft.claimant.pk if draft.claimant else None,
        "text": draft.text.strip(),
        "summary": rules.one_line(draft.summary),
        "quote": draft.quote,
        "quote_start": draft.quote_start,
        "quote_end": draft.quote_end,
        "timestamp_seconds": draft.timestamp_seconds,
        "claim_type": draft.claim_type,
        "status": Status.UNREVIEWED.value,
        "checkworthiness": draft.checkworthiness,
        "checkworthiness_reasons": list(draft.checkworthiness_reasons),
        "resolves_on": draft.resolves_on,
        "assignee_id": None,
        "verdict_by_id": None,
        "rationale": "",
        "approved_by_id": None,
        "approved_at": None,
        "episode_date": datetime.date(1, 1, 1),
        "search_vector": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "published_changed_at": None,  # unpublished
    }
    return [values[name] for name in _CLAIM_FIELDS]


def _insert_claims(
    *,
    episode: Episode,
    drafts: list[ClaimDraft],
    actor: User | None,
    note: str,
    cause: Event | None,
) -> list[list]:
    """Write the claims, their amounts, mentions and events; their rows."""
    if actor is not None and not is_editor(actor):
        raise ValidationError(
            "Only members of the Editor group can add claims by hand.",
            code="not_editor",
        )
    if any(not (draft.text or "").strip() for draft in drafts):
        raise ValidationError("A claim needs its text in one sentence.", code="no_text")
    now = timezone.now()
    ids = new_ids(Claim, len(drafts))
    rows = [
        _claim_row(pk, episode, draft, now)
        for pk, draft in zip(ids, drafts, strict=True)
    ]
    copy_rows(Claim, _CLAIM_FIELDS, rows)
    pairs = list(zip(ids, drafts, strict=True))
    copy_rows(
        Quantity,
        _QUANTITY_FIELDS,
        (
            (pk, q.kind, q.low, q.high, q.unit, q.approx, q.text)
            for pk, draft in pairs
            for q in draft.quantities
        ),
    )
    copy_rows(
        Mention,
        _MENTION_FIELDS,
        (
            (pk, m.quote, m.start, m.end, m.timestamp_seconds)
            for pk, draft in pairs
            for m in draft.mentions
        ),
    )
    record_each(
        kind=Kind.CLAIM_CREATED,
        actor=actor,
        model=Claim,
        changes=((pk, _first_values(draft)) for pk, draft in pairs),
        note=note,
        cause=cause,
    )
    return rows


@writes
def claims_create(
    *,
    episode: Episode,
    drafts: Iterable[ClaimDraft],
    actor: User | None = None,
    note: str = "",
    cause: Event | None = None,
) -> list[int]:
    """Log new claims as unreviewed, each with its "created" event; their ids.

    ``actor`` is None for the command-line importer; anyone else must be an
    editor. ``cause`` is the import the claims come from. However many
    claims, five queries: their ids, then one COPY each for claims,
    amounts, mentions and events (claimdesk/bulk.py), and no model instance
    per claim. A one-hour transcript holds dozens of claims, a dense file
    just inside the import limits 18,000.
    """
    rows = _insert_claims(
        episode=episode, drafts=list(drafts), actor=actor, note=note, cause=cause
    )
    return [row[0] for row in rows]


@writes
def claim_create(
    *, episode: Episode, actor: User | None = None, note: str = "", **fields
) -> Claim:
    """Log one new claim; ``fields`` are those of ``ClaimDraft``."""
    draft = ClaimDraft(**fields)
    (row,) = _insert_claims(
        episode=episode, drafts=[draft], actor=actor, note=note, cause=None
    )
    claim = Claim.from_db(DEFAULT_DB_ALIAS, None, row)
    # The objects at hand, so reading them costs no query.
    claim.episode, claim.speaker, claim.claimant = (
        episode,
        draft.speaker,
        draft.claimant,
    )
    return claim


@writes
def claim_update(
    *,
    claim: Claim,
    actor: User,
    expected_version: int,
    changes: dict,
    note: str = "",
) -> Claim:
    """Change what a claim says, refusing a stale edit.

    On a published claim, what the verdict rates (``rules.RATED_FIELDS``)
    changes only by an editor, with a note, and the claim goes back to
    research: it is approved again before it reads differently to the public.
    """
    rules.require_reviewer(actor)
    unknown = set(changes) - rules.EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            f"These fields cannot be edited here: {', '.join(sorted(unknown))}.",
            code="not_editable",
        )
    if "summary" in changes:
        changes = {**changes, "summary": rules.one_line(changes["summary"] or "")}
    locked = lock(claim, expected_version)
    changed = [name for name, new in changes.items() if getattr(locked, name) != new]
    rules.check_edit(locked, actor, frozenset(changed))
    if not changed:
        return locked
    recorded = diff(
        {name: getattr(locked, name) for name in changed},
        {name: changes[name] for name in changed},
    )
    fields = list(changed)
    note = rules.check_reopen_reason(locked, set(changed), note)
    if rules.sends_back(locked, set(changed)):
        reopen(
            locked,
            actor=actor,
            note=note or rules.PROPOSAL_UNSETTLED,
            changes=recorded,
        )
        fields += REOPEN_FIELDS
    else:
        record(
            kind=Kind.CLAIM_EDITED,
            actor=actor,
            obj=locked,
            changes=recorded,
            note=(note or "").strip(),
        )
    for name in changed:
        setattr(locked, name, changes[name])
    bump(locked, fields)
    return locked


@writes
def claim_assign(
    *,
    claim: Claim,
    assignee: User | None,
    actor: User,
    expected_version: int | None = None,
) -> Claim:
    locked = lock(claim, expected_version)
    rules.check_assign(locked, actor, assignee)
    record(
        kind=Kind.CLAIM_ASSIGNED,
        actor=actor,
        obj=locked,
        changes={"assignee": [value(locked.assignee), value(assignee)]},
    )
    locked.assignee = assignee
    bump(locked, ["assignee"])
    return locked


@writes
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
    speaker: Person | None = None,
    text: str | None = None,
    cause: Event | None = None,
) -> Claim:
    """Point a claim at its place in a corrected source, keeping everything else.

    Used when an episode is re-imported in a corrected version. ``quote`` None
    means the passage is gone from the source: the claim keeps its last quote
    but loses its offsets. Evidence and notes are untouched; ``quantities``
    replaces the parsed amounts when the quote's wording changed;
    ``speaker`` (None: as it is) is who the corrected source says spoke;
    ``text`` (None: as it is) the claim's new wording. The event says what
    moved. A verdict, published or only proposed, that rated other words,
    amounts or another speaker goes back to research with the event.
    """
    if actor is not None and not is_editor(actor):
        raise ValidationError(
            "Only members of the Editor group can re-import an episode.",
            code="not_editor",
        )
    locked = lock(claim, None)
    before = {
        "quote": locked.quote,
        "quote_start": locked.quote_start,
        "quote_end": locked.quote_end,
        "timestamp_seconds": locked.timestamp_seconds,
        "speaker": locked.speaker,
        "text": locked.text,
    }
    if quote is None:
        locked.quote_start = locked.quote_end = None
    else:
        locked.quote = quote
        locked.quote_start, locked.quote_end = quote_start, quote_end
        locked.timestamp_seconds = timestamp_seconds
    if speaker is not None:
        locked.speaker = speaker
        if locked.claimant_id == speaker.pk:  # one person, said and reported
            before["claimant"] = locked.claimant
            locked.claimant = None
    if text is not None and text.strip():
        locked.text = text
    changes = diff(before, {name: getattr(locked, name) for name in before})
    old_mentions = [m.quote for m in locked.mentions.order_by("quote_start", "id")]
    locked.mentions.all().delete()
    new_mentions = Mention.objects.bulk_create(_mention(locked, m) for m in mentions)
    if sorted(old_mentions) != sorted(m.quote for m in new_mentions):
        changes["mentions"] = [old_mentions, [m.quote for m in new_mentions]]
    if quantities is not None:
        old = [describe_quantity(q) for q in locked.quantities.order_by("id")]
        locked.quantities.all().delete()
        new = Quantity.objects.bulk_create(_quantity(locked, q) for q in quantities)
        if old != [describe_quantity(q) for q in new]:
            changes["quantities"] = [old, [describe_quantity(q) for q in new]]
    fields = ["quote", "quote_start", "quote_end", "timestamp_seconds"]
    fields += [name for name in ("speaker", "claimant", "text") if name in changes]
    # New words, amounts or speaker under a verdict, published or proposed:
    # it no longer rates what the source says, so the claim goes back to
    # research. A quote that only moved keeps its verdict.
    rated = {"quote", "quantities", "speaker", "claimant", "text"} & set(changes)
    if rules.sends_back(locked, rated):
        reopen(locked, actor=actor, note=note, changes=changes, cause=cause)
        fields += REOPEN_FIELDS
    else:
        record(
            kind=Kind.SOURCE_FOLLOWED,
            actor=actor,
            obj=locked,
            changes=changes,
            note=note,
            cause=cause,
        )
    bump(locked, fields)
    return locked


@writes
def quantities_save(
    *,
    claim: Claim,
    actor: User,
    save: Iterable[Quantity] = (),
    delete: Iterable[Quantity] = (),
    note: str = "",
) -> Claim:
    """Correct the amounts parsed from a claim (Reviewers and Editors).

    ``save`` holds new or changed Quantity rows of this claim, ``delete``
    rows to remove. The claim's version moves on, so a form opened before
    the correction sees it as a change. On a published claim this is a
    change of what the verdict rates (see ``claim_update``).
    """
    rules.require_reviewer(actor)
    save, delete = list(save), list(delete)
    locked = lock(claim, None)
    rules.check_edit(locked, actor, frozenset({"quantities"}))
    for quantity in (*save, *delete):
        if quantity.claim_id not in (None, locked.pk):
            raise ValidationError(
                "That amount belongs to another claim.", code="wrong_claim"
            )
    before = [describe_quantity(q) for q in locked.quantities.order_by("id")]
    note = rules.check_reopen_reason(locked, {"quantities"}, note)
    sent_back = rules.sends_back(locked, {"quantities"})
    for quantity in delete:
        if quantity.pk is not None:
            quantity.delete()
    for quantity in save:
        quantity.claim = locked
        quantity.save()
    after = [describe_quantity(q) for q in locked.quantities.order_by("id")]
    if before == after:
        return locked
    changes = {"quantities": [before, after]}
    fields: list[str] = []
    if sent_back:
        reopen(
            locked,
            actor=actor,
            note=note or rules.PROPOSAL_UNSETTLED,
            changes=changes,
        )
        fields += REOPEN_FIELDS
    else:
        record(
            kind=Kind.QUANTITIES_CORRECTED,
            actor=actor,
            obj=locked,
            changes=changes,
            note=(note or "").strip(),
        )
    bump(locked, fields)
    return locked


def person_edited(
    *, person, changes: dict, old_name: str, actor: User, cause: Event
) -> None:
    """What readers see of a person changed (``people.workflow.
    person_update``: their name, their profile link). After a rename each
    claim they spoke or made says so on its timeline; either way a published
    one tells its readers (``published_changed_at``, the ClaimReview's
    dateModified: its author's name and sameAs). A rename corrects a
    spelling of one person, so a published verdict stays published, as
    after a merge. Before, the claim page and the ClaimReview's author
    changed with no trace on the claim (found by a new user), and a new
    profile link with no new dateModified (found in review). One query per
    role and one INSERT of events; linear in the person's claims (20,000
    claims: 5 s, inside the edit's transaction)."""
    before = {"id": person.pk, "label": old_name}
    for role in ("speaker", "claimant"):
        claims = Claim.objects.filter(**{role: person})
        if "name" in changes:
            record_many(
                build(
                    kind=Kind.PERSON_EDITED,
                    actor=actor,
                    obj=claim,
                    changes={role: [before, value(person)]},
                    cause=cause,
                )
                for claim in claims.only("pk")
            )
        touched(claims, public=True)


def episode_or_show_edited(*, obj, changes: dict, actor: User, cause: Event) -> None:
    """A show or an episode was edited in the desk
    (``episodes.workflow.EDIT_LISTENERS``): its published claims tell their
    readers (``published_changed_at``, the ClaimReview's dateModified),
    whose pages and ClaimReview show the episode's title, date and link.
    An episode's new date changed the ClaimReview's datePublished with the
    same dateModified (found by a new user). The edit itself is on the
    episode's or show's timeline. One UPDATE."""
    where = {"episode": obj} if isinstance(obj, Episode) else {"episode__show": obj}
    touched(Claim.objects.filter(approved_at__isnull=False, **where), public=True)
