"""A source file → a saved episode with its show, people and claims.

Besides ``claims.workflow`` this is the only module that writes. Reading,
parsing and extraction happen first and touch no database (``plan_import``),
so a dry run is the same code without the writes; the writes then happen in
one transaction per file (``save_plan``), so a file is imported whole or not
at all. Claims are created through ``workflow.claim_create`` and so carry
their "created" history row.

Re-importing the same bytes is detected by their sha256 and changes nothing.
A corrected version of an imported episode (same show, date and title,
different bytes) updates it in place (``_update_episode``): claims are matched
to the new file by their quotes, keep their evidence, notes, status and
history, and follow their passage to its new place; new passages become new
claims; a claim whose passage is gone keeps its quote without offsets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.text import slugify
from rapidfuzz import fuzz

from claims import dbrules, workflow
from claims.extraction.candidates import Candidate, find_candidates

# Check-worthiness below which a sentence is not stored (--min-score).
from claims.extraction.scoring import THRESHOLD as DEFAULT_MIN_SCORE
from claims.models import Claim
from claims.people import PeopleResolver, unique_slug
from claims.roles import is_editor
from claims.workflow import User
from episodes.models import Appearance, Episode, Person, PersonAlias, Role, Show
from episodes.parsers import ItemKind, ParsedEpisode, ParseError, decode, parse

_NAME_MAX = 200  # Show.name, Person.name
_TITLE_MAX = 500  # Episode.title


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what to do."""


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DRY_RUN = "would import"
    DRY_RUN_UPDATE = "would update"


@dataclass(frozen=True)
class ImportPlan:
    """Everything the file would create, computed without the database."""

    name: str
    checksum: str
    parsed: ParsedEpisode
    show_name: str
    candidates: tuple[Candidate, ...]
    # Non-fatal problems to show the user (an encoding fallback, …).
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What Episode.source_text stores and claim offsets point into."""
        return self.parsed.source_text

    @property
    def title(self) -> str:
        title = self.parsed.title or PurePath(self.name).stem
        return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1] + "…"

    def count(self, origin: ItemKind) -> int:
        return sum(1 for c in self.candidates if c.origin == origin)


@dataclass(frozen=True)
class ImportResult:
    outcome: Outcome
    name: str
    episode: Episode | None = None  # the new, updated or already imported episode
    plan: ImportPlan | None = None  # None when unchanged


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int) -> None:
    """Refuse a file over the size limit; callers may check it before reading."""
    limit = settings.CLAIMDESK_MAX_SOURCE_BYTES
    if size > limit:
        raise ImportRefused(
            f"the file is {size:,} bytes, over the {limit:,}-byte limit "
            "(CLAIMDESK_MAX_SOURCE_BYTES); import a smaller export or raise the limit"
        )


def _check_names(parsed: ParsedEpisode, show_name: str) -> None:
    if not show_name:
        raise ImportRefused(
            f"the file names no show (a {parsed.format} file may not carry one); "
            "pass --show with the show's name"
        )
    names = [show_name, *parsed.guests, *parsed.hosts]
    names += [item.speaker or "" for item in parsed.items]
    too_long = next((name for name in names if len(name) > _NAME_MAX), None)
    if too_long:
        raise ImportRefused(
            f"the name “{too_long[:40]}…” is longer than {_NAME_MAX} characters; "
            "check the file's speaker names"
        )


def plan_import(
    data: bytes,
    *,
    name: str,
    show_name: str | None = None,
    fmt: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> ImportPlan:
    """Read, parse and extract; raise ``ImportRefused`` for a file that cannot be."""
    check_size(len(data))
    try:
        decoded = decode(data)
        parsed = parse(decoded.text, fmt)
    except ParseError as error:
        raise ImportRefused(str(error)) from None
    show_name = " ".join((show_name or parsed.show).split())
    _check_names(parsed, show_name)
    return ImportPlan(
        name=name,
        checksum=checksum(data),
        parsed=parsed,
        show_name=show_name,
        candidates=tuple(find_candidates(parsed, min_score=min_score)),
        warnings=tuple(decoded.warnings),
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
        existing = Episode.objects.filter(source_checksum=checksum(data)).first()
        if existing is not None:
            return ImportResult(Outcome.UNCHANGED, name, episode=existing)
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


def _show(name: str) -> Show:
    show = _find_show(name)
    if show is None:
        show = Show.objects.create(name=name, slug=unique_slug(Show, name, "show"))
    return show


def _earlier_version(plan: ImportPlan) -> Episode | None:
    """The episode this file is a corrected version of: same show, date, title."""
    show = _find_show(plan.show_name)
    if show is None:
        return None
    return Episode.objects.filter(
        show=show, published_on=plan.parsed.published_on, title=plan.title
    ).first()


def _appearances(
    episode: Episode, parsed: ParsedEpisode, people: PeopleResolver
) -> None:
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
    Appearance.objects.bulk_create(
        Appearance(episode=episode, person=person, role=role)
        for person, role in roles.values()
        if (person.pk, role) not in existing
    )


@transaction.atomic
def save_plan(plan: ImportPlan, *, actor: User | None = None) -> tuple[Episode, bool]:
    """Write one file: (episode, True if it updated an earlier version)."""
    earlier = _earlier_version(plan)
    people = PeopleResolver()
    if earlier is not None:
        _update_episode(earlier, plan, people, actor)
        return earlier, True
    parsed = plan.parsed
    show = _show(plan.show_name)
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
    _appearances(episode, parsed, people)
    _create_claims(episode, plan.candidates, people, plan.name, actor)
    return episode, False


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


def _create_claims(
    episode: Episode,
    candidates: Iterable[Candidate],
    people: PeopleResolver,
    source_name: str,
    actor: User | None,
) -> None:
    workflow.claims_create(
        episode=episode,
        drafts=[_draft(candidate, people) for candidate in candidates],
        actor=actor,
        note=f"Imported from {source_name}",
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
    then the most similar remaining quote above SAME_QUOTE_SCORE.
    """
    matched: dict[int, Candidate] = {}
    by_quote: dict[str, list[Claim]] = {}
    for claim in claims:
        by_quote.setdefault(_key(claim.quote), []).append(claim)
    unmatched = []
    for candidate in candidates:
        same = by_quote.get(_key(candidate.quote))
        if same:
            matched[same.pop(0).pk] = candidate
        else:
            unmatched.append(candidate)
    new = []
    for candidate in unmatched:
        rest = [c for c in claims if c.pk not in matched]
        best = max(
            rest,
            key=lambda c: fuzz.ratio(_key(c.quote), _key(candidate.quote)),
            default=None,
        )
        if best is not None and (
            fuzz.ratio(_key(best.quote), _key(candidate.quote)) >= SAME_QUOTE_SCORE
        ):
            matched[best.pk] = candidate
        else:
            new.append(candidate)
    return matched, new


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
    matched, new = _match_claims(claims, plan.candidates)
    parsed = plan.parsed
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
    _appearances(episode, parsed, people)
    note = f"Corrected source imported from {plan.name}"
    for claim in claims:
        candidate = matched.get(claim.pk)
        if candidate is None:
            if claim.quote_start is not None or claim.mentions.exists():
                workflow.claim_follow_source(
                    claim=claim,
                    actor=actor,
                    quote=None,
                    note=f"{note}: the quote is no longer in the source.",
                )
            continue
        reworded = candidate.quote != claim.quote
        if (
            not reworded
            and (claim.quote_start, claim.quote_end)
            == (
                candidate.start,
                candidate.end,
            )
            and not candidate.mentions
            and not claim.mentions.exists()
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
            note=f"{note}: "
            + (f"the quote now reads “{candidate.quote}”." if reworded else "moved."),
        )
    _create_claims(episode, new, people, plan.name, actor)


# --- known people ------------------------------------------------------------


@dataclass(frozen=True)
class PeopleLoaded:
    created: int
    aliases_added: int


def _entry_fields(index: int, entry: Any) -> tuple[str, str, str, list[str]]:
    """(name, slug, description, aliases) of one people.json entry, checked."""
    where = f"entry {index}"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
        raise ImportRefused(f"{where} needs a “name” (a string)")
    name = " ".join(entry["name"].split())
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ImportRefused(f"{where} ({name}): “aliases” must be a list of strings")
    slug = entry.get("slug") or slugify(name)
    if not name or not slug or len(name) > _NAME_MAX:
        raise ImportRefused(f"{where}: “{name[:40]}” is not a usable name")
    description = str(entry.get("description", "")).strip()
    return name, slug, description, [" ".join(a.split()) for a in aliases if a.strip()]


@transaction.atomic
def load_people(entries: Iterable[Any]) -> PeopleLoaded:
    """Create known people and their aliases; running it again adds only what is new.

    A person is found by slug; an existing blank description is filled in, a
    written one is left alone. An alias that already names someone else is
    refused (it would make name matching ambiguous).
    """
    created = aliases_added = 0
    for index, entry in enumerate(entries, start=1):
        name, slug, description, aliases = _entry_fields(index, entry)
        person, made = Person.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        created += made
        if not made and description and not person.description:
            person.description = description
            person.save(update_fields=["description"])
        for alias in aliases:
            owner = PersonAlias.objects.filter(name__iexact=alias).first()
            if owner is None:
                PersonAlias.objects.create(person=person, name=alias)
                aliases_added += 1
            elif owner.person_id != person.pk:
                raise ImportRefused(
                    f"entry {index} ({name}): the alias “{alias}” already belongs "
                    f"to {owner.person}; remove it from one of them"
                )
    return PeopleLoaded(created=created, aliases_added=aliases_added)
