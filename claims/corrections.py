"""The public corrections log: every published verdict that was reopened.

A published verdict changes only by being reopened (by an editor, or by an
editor's change of what it rates, or by a corrected source that changes its
words) and approved again. Each such reopening is an event in the log whose
changes clear ``approved_at``; this module reads them, newest first, with
the verdict that was published before and the one approved after, if any.
The log is append-only, so the corrections log cannot be edited either.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from audit.models import Event, Kind
from claims.models import Claim, Status

CLAIM_TOPIC = Claim._meta.label_lower
# The reopenings of a published verdict (a proposed one was never public).
_PUBLISHED_REOPENINGS = Q(
    kind=Kind.REOPENED, topic_type=CLAIM_TOPIC, changes__has_key="approved_at"
)


def latest_withdrawal():
    """When a published verdict was last reopened (withdrawn from readers),
    or None: from event_kind_idx, newest first."""
    return (
        Event.objects.filter(_PUBLISHED_REOPENINGS)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


# What a reopening's changes record about the verdict itself, not the claim.
_VERDICT_KEYS = frozenset(
    {"status", "approved_at", "approved_by", "verdict_by", "rationale"}
)


@dataclass(frozen=True)
class Correction:
    event: Event
    claim: Claim
    old_verdict: Status
    # The verdict approved after the reopening; None while under review again.
    new_verdict: Status | None
    new_verdict_on: datetime.datetime | None
    # The fields of the claim the reopening changed ("text", "quote", …).
    changed: tuple[str, ...]
    # What readers were last given as the claim: its headline now if it is
    # published, else the one it had when its verdict was last reopened (a
    # claim under review again may already read differently: that draft is
    # not public until an editor approves it).
    headline: str
    # The headline readers had before this correction, when the correction
    # changed it and readers now see another ("" otherwise).
    earlier_headline: str = ""

    @property
    def at(self) -> datetime.datetime:
        return self.event.at

    @property
    def changed_for_readers(self) -> list[str]:
        """What the correction changed, in readers' words ("the quote", "the
        figures"), not the columns (the quote's offsets go with the quote)."""
        words = []
        for name in self.changed:
            word = _READER_WORDS.get(name, name.replace("_", " "))
            if word and word not in words:
                words.append(word)
        return words

    @property
    def reason(self) -> str:
        return self.event.note

    @property
    def old_rationale(self) -> str:
        return (self.event.changes.get("rationale") or [""])[0] or ""


# A changed field as the corrections log names it; None: said by another.
_READER_WORDS: dict[str, str | None] = {
    "text": "the claim's wording",
    "summary": "the summary",
    "quote": "the quote",
    "quote_start": None,
    "quote_end": None,
    "quantities": "the figures",
    "speaker": "the speaker",
    "claimant": "who made the claim",
    "claim_type": "the kind of claim",
    "timestamp_seconds": "the time in the episode",
    "resolves_on": "the re-check date",
}


def _status(value: object) -> Status | None:
    try:
        return Status(value)
    except ValueError:
        return None


def corrections(
    *, before: int | None = None, limit: int = 50
) -> tuple[list[Correction], int | None]:
    """A page of corrections, newest first, and the event id to pass as
    ``before`` for the next page (None on the last). Four queries (the
    reopenings, their claims, the approvals, what changed for readers), two
    more when a claim on the page is under review again."""
    events = Event.objects.filter(_PUBLISHED_REOPENINGS).order_by("-at", "-id")
    if before is not None:
        last = Event.objects.filter(pk=before).values_list("at", flat=True).first()
        if last is not None:
            events = events.filter(Q(at__lt=last) | Q(at=last, id__lt=before))
    page = list(events[: limit + 1])
    next_before = page[limit - 1].pk if len(page) > limit else None
    page = page[:limit]
    claim_ids = {event.topic_id for event in page}
    claims = Claim.objects.select_related("episode__show").defer(
        "search_vector", "episode__source_text"
    )
    by_id = claims.in_bulk(claim_ids)
    approvals: dict[int, list[Event]] = {}
    for approval in Event.objects.filter(
        kind=Kind.APPROVED, topic_type=CLAIM_TOPIC, topic_id__in=claim_ids
    ).order_by("at", "id"):
        approvals.setdefault(approval.topic_id, []).append(approval)
    public = _public_headlines(by_id)
    edits = _reader_changes(page)
    rows = []
    for event in page:
        later = [
            a
            for a in approvals.get(event.topic_id, ())
            if (a.at, a.pk) > (event.at, event.pk)
        ]
        approval = later[0] if later else None
        # What changed for readers: in the reopening itself, or edited after
        # it and before the next approval (an editor may reopen first, then
        # edit: found by the second new-user review).
        start = (event.at, event.pk)
        end = (approval.at, approval.pk) if approval else None
        window = [
            edit
            for edit in edits
            if edit.topic_id == event.topic_id
            and start < (edit.at, edit.pk)
            and (end is None or (edit.at, edit.pk) < end)
        ]
        changed = {name for name in event.changes if name not in _VERDICT_KEYS}
        for edit in window:
            changed |= {name for name in edit.changes if name in _READER_WORDS}
        earlier = (
            _headline_before(by_id[event.topic_id], start, edits)
            if changed & set(_HEADLINE_FIELDS)
            else public[event.topic_id]
        )
        rows.append(
            Correction(
                event=event,
                claim=by_id[event.topic_id],
                old_verdict=_status(event.changes["status"][0]),
                new_verdict=_status(approval.changes["status"][1])
                if approval
                else None,
                new_verdict_on=approval.at if approval else None,
                changed=tuple(sorted(changed)),
                headline=public[event.topic_id],
                earlier_headline=(earlier if earlier != public[event.topic_id] else ""),
            )
        )
    return rows, next_before


# The fields the headline is made of (Claim.headline).
_HEADLINE_FIELDS = ("summary", "text")


def _public_headlines(claims: dict[int, Claim]) -> dict[int, str]:
    """{claim id: the headline readers were last given} (``Correction``).

    A claim under review again shows the headline it had just before its
    latest published reopening (``_headline_before``; two queries), else
    its headline now."""
    headlines = {pk: claim.headline for pk, claim in claims.items()}
    hidden = [pk for pk, claim in claims.items() if not claim.is_approved]
    if not hidden:
        return headlines
    reopened = {
        event.topic_id: (event.at, event.pk)
        for event in Event.objects.filter(
            _PUBLISHED_REOPENINGS, topic_id__in=hidden
        ).order_by("at", "id")
    }
    changes = _headline_changes(hidden, min(at for at, _ in reopened.values()))
    for pk in hidden:
        headlines[pk] = _headline_before(claims[pk], reopened[pk], changes)
    return headlines


def _reader_changes(events: list[Event]) -> list[Event]:
    """The events, from the earliest reopening on the page on, that changed
    something readers see of those claims (a field of ``_READER_WORDS``),
    oldest first: the reopenings' own and the edits after them (one query;
    none for an empty page)."""
    if not events:
        return []
    return list(
        Event.objects.filter(
            topic_type=CLAIM_TOPIC,
            topic_id__in={event.topic_id for event in events},
            at__gte=min(event.at for event in events),
            changes__has_any_keys=list(_READER_WORDS),
        )
        .order_by("at", "id")
        .only("topic_id", "at", "changes")
    )


def _headline_changes(claim_ids, since: datetime.datetime) -> list[Event]:
    """The events since ``since`` that changed a headline field of one of
    ``claim_ids``, oldest first (one query)."""
    return list(
        Event.objects.filter(
            topic_type=CLAIM_TOPIC, topic_id__in=claim_ids, at__gte=since
        )
        .filter(Q(changes__has_key="summary") | Q(changes__has_key="text"))
        .order_by("at", "id")
        .only("topic_id", "at", "changes")
    )


def _headline_before(
    claim: Claim, point: tuple[datetime.datetime, int], changes: list[Event]
) -> str:
    """``claim``'s headline just before the event at ``point`` (at, id): each
    headline field's value before its first change from then on (from
    ``changes``, oldest first), else its value now (unchanged since)."""
    old: dict[str, str] = {}
    for change in changes:
        if change.topic_id == claim.pk and (change.at, change.pk) >= point:
            for field in _HEADLINE_FIELDS:
                if field in change.changes:
                    old.setdefault(field, change.changes[field][0])
    summary = old.get("summary", claim.summary)
    return summary or old.get("text", claim.text)


def corrections_of(claim: Claim) -> list[Event]:
    """The reopenings of ``claim``'s published verdicts, oldest first, each
    with ``old_verdict``: the verdict readers had been given."""
    events = list(
        Event.objects.about(claim).filter(_PUBLISHED_REOPENINGS).order_by("at", "id")
    )
    for event in events:
        event.old_verdict = _status(event.changes["status"][0])
    return events
