"""Save a planned import: one transaction per file, through the workflow.

Re-importing the same bytes is detected by their sha256 and changes nothing.
A corrected version of an imported episode (same show, date and title,
different bytes) updates it in place (``_update_episode``): claims are matched
to the new file by their quotes, keep their evidence, notes, status and
history, and follow their passage to its new place; new passages become new
claims; a claim whose passage is gone keeps its quote without offsets.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from rapidfuzz import fuzz, process

from audit.log import diff, record, record_each, value, writes
from audit.models import Event, Kind
from claimdesk.roles import User, is_editor
from claimdesk.slugs import unique_slug
from claims import dbrules, workflow
from claims.extraction.candidates import Candidate
from claims.ingest.plan import (
    DEFAULT_MIN_SCORE,
    ImportPlan,
    ImportRefused,
    checksum,
    plan_import,
)
from claims.models import VERDICTS, Claim
from episodes.models import Appearance, Episode, Role, Show
from episodes.parsers import ParsedEpisode
from people.models import Person
from people.resolver import PeopleResolver


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DRY_RUN = "would import"
    DRY_RUN_UPDATE = "would update"


@dataclass(frozen=True)
class ImportResult:
    outcome: Outcome
    name: str
    episode: Episode | None = None  # the new, updated or already imported episode
    plan: ImportPlan | None = None  # None when unchanged
    # Unchanged: the show the import was asked to put it in (None: not asked).
    show_asked: str | None = None

    def elsewhere(self) -> str:
        """For an unchanged file asked into another show than its episode's:
        why it stays where it is, else ""."""
        asked = " ".join((self.show_asked or "").split())
        if self.outcome != Outcome.UNCHANGED or not asked or self.episode is None:
            return ""
        show = self.episode.show.name
        if asked.casefold() == show.casefold():
            return ""
        return (
            f"; it is in the show “{show}”, not “{asked}”: a file is imported "
            "once, so to move it, change the episode's show in the desk"
        )


def import_episode(
    data: bytes,
    *,
    name: str,
    show_name: str | None = None,
    fmt: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    dry_run: bool = False,
    actor: User | None = None,
) -> ImportResult:
    """Import one file's bytes; ``name`` is the file name, kept on the episode.

    A file whose bytes were imported before changes nothing. A corrected
    version of an imported episode (same show, date and title, other bytes)
    updates it in place: claims keep their evidence, notes and history.
    ``actor`` is the editor uploading it in the admin (None for the command
    line); the workflow refuses claims from anyone else.
    """
    if data.strip():
        existing = (
            Episode.objects.filter(source_checksum=checksum(data))
            .select_related("show")
            .first()
        )
        if existing is not None:
            return ImportResult(
                Outcome.UNCHANGED, name, episode=existing, show_asked=show_name
            )
    plan = plan_import(
        data, name=name, show_name=show_name, fmt=fmt, min_score=min_score
    )
    return import_plan(plan, dry_run=dry_run, actor=actor)


def import_plan(
    plan: ImportPlan, *, dry_run: bool = False, actor: User | None = None
) -> ImportResult:
    """Save a plan made by ``plan_import`` (perhaps in another process)."""
    name = plan.name
    existing = Episode.objects.filter(source_checksum=plan.checksum).first()
    if existing is not None:
        return ImportResult(Outcome.UNCHANGED, name, episode=existing)
    if dry_run:
        earlier = _earlier_version(plan)
        outcome = Outcome.DRY_RUN_UPDATE if earlier else Outcome.DRY_RUN
        return ImportResult(outcome, name, episode=earlier, plan=plan)
    try:
        episode, updated = save_plan(plan, actor=actor)
    except IntegrityError as error:
        # Another import of the same bytes committed first: nothing left to do.
        existing = Episode.objects.filter(source_checksum=plan.checksum).first()
        if existing is not None:
            return ImportResult(Outcome.UNCHANGED, name, episode=existing)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ImportRefused(
            f"the database refused it ({reason}); nothing was written. If another "
            "import ran at the same time, run this one again"
        ) from None
    outcome = Outcome.UPDATED if updated else Outcome.IMPORTED
    return ImportResult(outcome, name, episode=episode, plan=plan)


# --- writing -----------------------------------------------------------------


def _find_show(name: str) -> Show | None:
    return Show.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()


def _show(name: str) -> tuple[Show, bool]:
    """The show of this name, and whether the import creates it."""
    show = _find_show(name)
    if show is not None:
        return show, False
    return Show.objects.create(name=name, slug=unique_slug(Show, name, "show")), True


def _earlier_version(plan: ImportPlan) -> Episode | None:
    """The episode this file is a corrected version of: same show, date,
    title, and mostly the same words (``shared_words``). A file that has the
    first three of another episode but not its words (two undated
    "Weekly Roundup" transcripts, two untitled ``captions.vtt``) is refused
    (``ImportRefused``), naming the episode and what to change: taken for a
    correction it would have replaced that episode's source, published
    verdicts' quotes included."""
    show = _find_show(plan.show_name)
    if show is None:
        return None
    earlier = (
        Episode.objects.filter(
            show=show, published_on=plan.parsed.published_on, title=plan.title
        )
        .order_by("pk")
        .first()
    )
    if earlier is None:
        return None
    new_runs = _runs(plan.text)
    shared = shared_words(earlier.source_text, plan.text, new_runs)
    # The claims' passages too: two short episodes that are mostly the same
    # sponsor read share most of their wording, not their claims.
    quotes = [
        runs
        for runs in (
            _runs(quote)
            for quote in Claim.objects.filter(episode=earlier).values_list(
                "quote", flat=True
            )
        )
        if runs
    ]
    kept = sum(1 for runs in quotes if len(runs & new_runs) * 2 >= len(runs))
    if shared < SAME_EPISODE_SHARES or kept < SAME_EPISODE_SHARES * len(quotes):
        what = "date" if plan.parsed.published_on else "no date"
        keeps = (
            f"only {shared:.0%} of its wording"
            if shared < SAME_EPISODE_SHARES
            else f"the passages of only {kept} of its {len(quotes)} claims"
        )
        raise ImportRefused(
            f"it has the show, {what} and title (“{plan.title[:80]}”) of the "
            f"episode imported from {earlier.source_name or 'another file'}, "
            f"but {keeps}, so it is no corrected version of it; nothing was "
            "written. If it is another episode, give it its own title (a "
            "first line, or another file name) or date; if it is a corrected "
            "version, check it is the right file"
        )
    return earlier


# How much of its wording a corrected version keeps, at least: the share of
# the shorter text's runs of four words found in the other, and the share
# of the episode's claims whose quote keeps half its runs. A correction
# (a speaker label, a figure, a misheard word, cues cut another way) keeps
# most; another episode of the same show shares its greeting at most.
SAME_EPISODE_SHARES = 0.5
_RUN = 4


def _runs(text: str) -> set[int]:
    """The hashes of ``text``'s runs of four words (none for fewer words)."""
    words = text.casefold().split()
    return {hash(tuple(words[i : i + _RUN])) for i in range(len(words) - _RUN + 1)}


def shared_words(old: str, new: str, new_runs: set[int] | None = None) -> float:
    """The share (0–1) of the shorter text's runs of four words (each its
    hash) that the other text has too: linear in the texts' length."""
    a, b = _runs(old), _runs(new) if new_runs is None else new_runs
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / min(len(a), len(b))


def _resolve_names(
    parsed: ParsedEpisode, candidates: Iterable[Candidate], people: PeopleResolver
) -> None:
    """Every name the import writes, resolved at once in the order
    ``_appearances`` and ``_draft`` meet them (a handful of queries, not a few
    per name)."""
    names = [*parsed.hosts, *parsed.guests]
    names += [item.speaker for item in parsed.items if item.speaker]
    for candidate in candidates:
        names += [name for name in (candidate.speaker, candidate.claimant) if name]
    people.resolve_all(names)


def _appearances(
    episode: Episode, parsed: ParsedEpisode, people: PeopleResolver
) -> list[str]:
    """Add who appears in the file; "Name (role)" of each appearance added."""
    roles: dict[int, tuple[Person, str]] = {}
    for name in parsed.hosts:
        person = people.resolve(name)
        roles[person.pk] = (person, Role.HOST)
    for name in parsed.guests:
        person = people.resolve(name)
        roles.setdefault(person.pk, (person, Role.GUEST))
    for item in parsed.items:
        if item.speaker:
            person = people.resolve(item.speaker)
            roles.setdefault(person.pk, (person, Role.OTHER))
    existing = set(episode.appearances.values_list("person_id", "role"))
    added = Appearance.objects.bulk_create(
        Appearance(episode=episode, person=person, role=role)
        for person, role in roles.values()
        if (person.pk, role) not in existing
    )
    return [f"{a.person.name} ({a.role})" for a in added]


@writes
def save_plan(plan: ImportPlan, *, actor: User | None = None) -> tuple[Episode, bool]:
    """Write one file: (episode, True if it updated an earlier version)."""
    earlier = _earlier_version(plan)
    people = PeopleResolver()
    if earlier is not None:
        _update_episode(earlier, plan, people, actor)
        return earlier, True
    parsed = plan.parsed
    show, new_show = _show(plan.show_name)
    date = f"{parsed.published_on:%Y-%m-%d}" if parsed.published_on else ""
    episode = Episode.objects.create(
        show=show,
        title=plan.title,
        slug=unique_slug(
            Episode, f"{show.slug} {date} {parsed.guest or plan.title[:60]}", "episode"
        ),
        subtitle=parsed.subtitle,
        published_on=parsed.published_on,
        source_name=plan.name[:500],
        source_format=parsed.format,
        source_text=plan.text,
        source_checksum=plan.checksum,
    )
    _resolve_names(parsed, plan.candidates, people)
    appearances = _appearances(episode, parsed, people)
    drafts = [_draft(candidate, people) for candidate in plan.candidates]
    event = record(
        kind=Kind.EPISODE_IMPORTED,
        actor=actor,
        obj=episode,
        changes=_import_changes(
            plan,
            people,
            appearances,
            claims=[None, len(drafts)],
            title=[None, episode.title],
            published_on=[None, value(episode.published_on)],
            **({"show": [None, show.name]} if new_show else {}),
        ),
        note=f"Imported from {plan.name}",
    )
    _people_added(people, event, actor)
    workflow.claims_create(
        episode=episode,
        drafts=drafts,
        actor=actor,
        note=f"Imported from {plan.name}",
        cause=event,
    )
    return episode, False


def _people_added(people: PeopleResolver, cause: Event, actor: User | None) -> None:
    """Each person an import creates starts their own timeline, as part of it."""
    record_each(
        kind=Kind.PERSON_ADDED,
        actor=actor,
        model=Person,
        changes=((p.pk, {"name": [None, p.name]}) for p in people.created),
        note="Named in an imported episode.",
        cause=cause,
    )


def _import_changes(
    plan: ImportPlan, people: PeopleResolver, appearances: list[str], **extra
) -> dict:
    """What an import wrote besides its claims, for its event."""
    changes = {"source_name": [None, plan.name], **extra}
    if people.created:
        changes["people_added"] = [None, [person.name for person in people.created]]
    if people.flagged:
        changes["look_alikes_flagged"] = [
            None,
            [f"{flag.person.name} ~ {flag.similar_to.name}" for flag in people.flagged],
        ]
    if appearances:
        changes["appearances_added"] = [None, appearances]
    return changes


def _draft(candidate: Candidate, people: PeopleResolver) -> workflow.ClaimDraft:
    speaker = people.resolve(candidate.speaker) if candidate.speaker else None
    # A reported name resolves like a speaker's: an alias lands on its
    # person; an unknown name is a new person, flagged if it looks like
    # someone known ("Dario Amade" ~ "Dario Amodei").
    claimant = people.resolve(candidate.claimant) if candidate.claimant else None
    return workflow.ClaimDraft(
        text=candidate.text,
        quote=candidate.quote,
        quote_start=candidate.start,
        quote_end=candidate.end,
        speaker=speaker,
        claimant=claimant if claimant != speaker else None,
        timestamp_seconds=candidate.timestamp_seconds,
        claim_type=candidate.claim_type,
        checkworthiness=candidate.checkworthiness,
        checkworthiness_reasons=candidate.reasons,
        resolves_on=candidate.resolves_on,
        quantities=candidate.quantities,
        mentions=candidate.mentions,
    )


# A corrected quote still counts as the same claim from this similarity
# (rapidfuzz ratio, 0..100): a fixed typo or figure scores 90+, another
# sentence of the same speaker far lower.
SAME_QUOTE_SCORE = 85.0


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _match_claims(
    claims: list[Claim], candidates: tuple[Candidate, ...]
) -> tuple[dict[int, Candidate], list[Candidate]]:
    """claim id → its candidate in the corrected file, and the new candidates.

    Exact quotes first (the usual case: the text around them was fixed),
    then, for each candidate in file order, the most similar remaining quote
    above SAME_QUOTE_SCORE (the first claim on a tie).

    Linear in the number of claims: past MAX_COMPARED claims, a quote is
    compared only with those sharing one of its rarer words (a corrected
    typo or figure leaves most words of a sentence as they were), at most
    MAX_COMPARED of them; before, every new quote was compared with every
    claim, 320 million comparisons for a corrected file of 18,000 claims.
    """
    matched: dict[int, Candidate] = {}
    by_quote: dict[str, deque[Claim]] = defaultdict(deque)
    for claim in claims:
        by_quote[_key(claim.quote)].append(claim)
    unmatched = []
    for candidate in candidates:
        same = by_quote.get(_key(candidate.quote))
        if same:
            matched[same.popleft().pk] = candidate
        else:
            unmatched.append(candidate)
    rest = [claim for claim in claims if claim.pk not in matched]
    keys = [_key(claim.quote) for claim in rest]
    having: dict[str, list[int]] = defaultdict(list)  # word → indexes in rest
    for index, key in enumerate(keys):
        for word in set(key.split()):
            having[word].append(index)
    left = set(range(len(rest)))
    new = []
    for candidate in unmatched:
        key = _key(candidate.quote)
        pool = _sharing_words(key, having, left)
        best = process.extractOne(
            key,
            [keys[index] for index in pool],
            scorer=fuzz.ratio,
            score_cutoff=SAME_QUOTE_SCORE,
        )
        if best is None:
            new.append(candidate)
        else:
            index = pool[best[2]]
            left.discard(index)
            matched[rest[index].pk] = candidate
    return matched, new


# Claims one corrected quote is compared with, at most.
MAX_COMPARED = 256


def _sharing_words(key: str, having: dict[str, list[int]], left: set[int]) -> list[int]:
    """Indexes of the unmatched claims ``key`` is compared with, in claim
    order: all of them while they are at most MAX_COMPARED (every real
    episode), else those sharing one of its words, the rarest words first,
    until MAX_COMPARED."""
    if len(left) <= MAX_COMPARED:
        return sorted(left)
    pool: set[int] = set()
    for word in sorted(set(key.split()), key=lambda word: len(having.get(word, ()))):
        posting = having.get(word, ())
        if pool and len(pool) + len(posting) > MAX_COMPARED:
            break
        # A bounded look along a common word's list, which may hold claims
        # matched already.
        for index in itertools.islice(posting, 4 * MAX_COMPARED):
            if index in left:
                pool.add(index)
                if len(pool) == MAX_COMPARED:
                    return sorted(pool)
    return sorted(pool)


def _chosen_by_hand(claims: list[Claim]) -> set[tuple[int, str]]:
    """(claim id, "text" or "speaker") for each field of ``claims`` a person
    changed: a claim edit or reopening in the log with that field, not
    caused by an import (an import's own reopening carries a cause). One
    query."""
    chosen = set()
    edits = Event.objects.filter(
        topic_type=Claim._meta.label_lower,
        topic_id__in=[claim.pk for claim in claims],
        kind__in=[Kind.CLAIM_EDITED, Kind.REOPENED],
        cause__isnull=True,
    ).filter(Q(changes__has_key="text") | Q(changes__has_key="speaker"))
    for topic_id, changes in edits.values_list("topic_id", "changes"):
        chosen.update(
            (topic_id, name) for name in ("text", "speaker") if name in changes
        )
    return chosen


def _what_followed(
    claim: Claim, candidate: Candidate, speaker: Person | None, reworded: bool
) -> str:
    """What a corrected source changed of a claim, for its event's note."""
    said = []
    if reworded:
        said.append(f"the quote now reads “{candidate.quote}”")
    if speaker is not None and speaker.pk != claim.speaker_id:
        said.append(f"the speaker is {speaker.name}")
    return "; ".join(said) + "." if said else "moved."


class _Rehearsed(Exception):  # noqa: N818 (not an error: ends a rehearsal)
    """Ends a rehearsal: its transaction is rolled back."""


@dataclass(frozen=True)
class Rehearsal:
    """What confirming a corrected version would do to the episode's claims,
    as they are now, for the preview."""

    # Verdicts, published or proposed, sent back to research: the quoted
    # words, amounts or speaker they rate change.
    reopened: list[Claim]
    # Claims whose passage is not in the corrected source: each keeps its
    # quote without its place, and a published verdict stays published.
    lost: list[Claim]


def rehearse_correction(
    plan: ImportPlan, episode: Episode, actor: User | None = None
) -> Rehearsal:
    """What the corrected version ``plan`` of ``episode`` would do to its
    claims (``Rehearsal``).

    The claims it no longer places come from ``_match_claims``, the matching
    the update itself does, on the same claims in the same order. The
    verdicts it sends back are read by rehearsing the update, in a
    transaction rolled back after: the preview says what confirming does,
    by the same code, not by a second reading of its rules. The rehearsal
    costs the update's work (about 11 queries a claim, the episode's claims
    locked meanwhile), so it runs only when a claim has a verdict. Nothing
    is kept (the log's rows go with the rest); ids the rehearsal drew from
    sequences are not given again.
    """
    claims = list(
        Claim.objects.filter(episode=episode).select_related("speaker").order_by("pk")
    )
    matched, _new = _match_claims(claims, plan.candidates)
    lost = sorted(
        (c for c in claims if c.quote_start is not None and c.pk not in matched),
        key=lambda c: (c.quote_start, c.pk),
    )
    rated = sorted(
        (c for c in claims if c.status in VERDICTS),
        key=lambda c: (c.quote_start is None, c.quote_start or 0, c.pk),
    )
    if not rated:
        return Rehearsal([], lost)
    try:
        with transaction.atomic():
            fresh = Episode.objects.select_for_update().get(pk=episode.pk)
            _update_episode(fresh, plan, PeopleResolver(), actor)
            after = dict(
                Claim.objects.filter(pk__in=[c.pk for c in rated]).values_list(
                    "pk", "status"
                )
            )
            raise _Rehearsed(after)
    except _Rehearsed as rehearsal:
        after = rehearsal.args[0]
    return Rehearsal(
        reopened=[claim for claim in rated if after.get(claim.pk) not in VERDICTS],
        lost=lost,
    )


def _update_episode(
    episode: Episode, plan: ImportPlan, people: PeopleResolver, actor: User | None
) -> None:
    """Apply a corrected version of ``episode`` in place.

    The source text and every claim's offsets change together; the database
    checks quotes against the source at commit (the constraint triggers are
    deferred for this transaction), so no half-way state is ever visible.
    """
    if actor is not None and not is_editor(actor):
        raise ImportRefused("only editors can re-import an episode")
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS "
            + ", ".join(dbrules.deferrable_constraint_names())
            + " DEFERRED"
        )
    claims = list(
        Claim.objects.filter(episode=episode).select_for_update().order_by("pk")
    )
    old_checksum = episode.source_checksum
    matched, new = _match_claims(claims, plan.candidates)
    parsed = plan.parsed
    before = {
        "source_name": episode.source_name,
        "source_format": episode.source_format,
        "subtitle": episode.subtitle,
    }
    episode.source_text = plan.text
    episode.source_checksum = plan.checksum
    episode.source_name = plan.name[:500]
    episode.source_format = parsed.format
    episode.subtitle = parsed.subtitle
    episode.save(
        update_fields=[
            "source_text",
            "source_checksum",
            "source_name",
            "source_format",
            "subtitle",
            "updated_at",
        ]
    )
    _resolve_names(parsed, new, people)
    appearances = _appearances(episode, parsed, people)
    note = f"Corrected source imported from {plan.name}"
    drafts = [_draft(candidate, people) for candidate in new]
    event = record(
        kind=Kind.EPISODE_CORRECTED,
        actor=actor,
        obj=episode,
        changes={
            **_import_changes(
                plan,
                people,
                appearances,
                source_checksum=[old_checksum, plan.checksum],
                claims=[len(claims), len(claims) + len(drafts)],
            ),
            **diff(before, {name: getattr(episode, name) for name in before}),
        },
        note=note,
    )
    _people_added(people, event, actor)
    # What a person set by hand (an edit in the log not caused by an import)
    # stays; the rest follows the corrected file, as the import wrote it.
    chosen = _chosen_by_hand(claims)
    for claim in claims:
        candidate = matched.get(claim.pk)
        if candidate is None:
            if claim.quote_start is not None or claim.mentions.exists():
                workflow.claim_follow_source(
                    claim=claim,
                    actor=actor,
                    quote=None,
                    note=f"{note}: the quote is no longer in the source.",
                    cause=event,
                )
            continue
        reworded = candidate.quote != claim.quote
        speaker = (
            people.resolve(candidate.speaker)
            if candidate.speaker and (claim.pk, "speaker") not in chosen
            else None
        )
        # The import's wording follows the file; a published verdict's text
        # only with its quote (a fixed label alone does not reopen it).
        text = (
            candidate.text
            if (claim.pk, "text") not in chosen
            and candidate.text != claim.text
            and (reworded or not claim.is_approved)
            else None
        )
        if (
            not reworded
            and (claim.quote_start, claim.quote_end)
            == (
                candidate.start,
                candidate.end,
            )
            and not candidate.mentions
            and not claim.mentions.exists()
            and (speaker is None or speaker.pk == claim.speaker_id)
            and text is None
        ):
            continue
        workflow.claim_follow_source(
            claim=claim,
            actor=actor,
            quote=candidate.quote,
            quote_start=candidate.start,
            quote_end=candidate.end,
            timestamp_seconds=candidate.timestamp_seconds,
            mentions=candidate.mentions,
            # Reworded: its amounts are re-read; otherwise reviewers' edits stay.
            quantities=candidate.quantities if reworded else None,
            speaker=speaker,
            text=text,
            note=f"{note}: " + _what_followed(claim, candidate, speaker, reworded),
            cause=event,
        )
    workflow.claims_create(
        episode=episode, drafts=drafts, actor=actor, note=note, cause=event
    )
