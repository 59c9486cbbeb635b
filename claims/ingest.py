"""A source file → a saved episode with its show, people and claims.

Besides ``claims.workflow`` this is the only module that writes. Reading,
parsing and extraction happen first and touch no database (``plan_import``),
so a dry run is the same code without the writes; the writes then happen in
one transaction per file (``save_plan``), so a file is imported whole or not
at all. Claims are created through ``workflow.claim_create`` and so carry
their "created" history row.

Re-importing the same bytes is detected by their sha256 and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import slugify

from claims import workflow
from claims.extraction.candidates import Candidate, find_candidates
from claims.people import PeopleResolver
from claims.workflow import User
from episodes.models import Appearance, Episode, Person, PersonAlias, Role, Show
from episodes.parsers import ItemKind, ParsedEpisode, ParseError, parse

_NAME_MAX = 200  # Show.name, Person.name
_TITLE_MAX = 500  # Episode.title
_SLUG_MAX = 200


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what to do."""


class Outcome(StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    DRY_RUN = "would import"


@dataclass(frozen=True)
class ImportPlan:
    """Everything the file would create, computed without the database."""

    name: str
    checksum: str
    text: str
    parsed: ParsedEpisode
    show_name: str
    candidates: tuple[Candidate, ...]

    @property
    def title(self) -> str:
        title = self.parsed.title
        return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1] + "…"

    def count(self, origin: ItemKind) -> int:
        return sum(1 for c in self.candidates if c.origin == origin)


@dataclass(frozen=True)
class ImportResult:
    outcome: Outcome
    name: str
    episode: Episode | None = None  # the new or the already imported episode
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


def decode_source(data: bytes) -> str:
    """The file's text, or ``ImportRefused`` if it is empty, too big or not text."""
    if not data.strip():
        raise ImportRefused("the file is empty; export the episode page again")
    check_size(len(data))
    if b"\x00" in data:
        raise ImportRefused(
            "the file is binary (it contains NUL bytes), not a text export; "
            "save the episode page as UTF-8 text"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"the file is not UTF-8 text (undecodable byte at position "
            f"{error.start}); save it as UTF-8 and import it again"
        ) from None


def _check_names(parsed: ParsedEpisode, show_name: str) -> None:
    if not show_name:
        raise ImportRefused("the show name is empty; pass --show with a name")
    names = [show_name, parsed.guest or "", *parsed.hosts]
    names += [item.speaker or "" for item in parsed.items]
    too_long = next((name for name in names if len(name) > _NAME_MAX), None)
    if too_long:
        raise ImportRefused(
            f"the name “{too_long[:40]}…” is longer than {_NAME_MAX} characters; "
            "check the file's first line and its “— Speaker” lines"
        )


def plan_import(data: bytes, *, name: str, show_name: str | None = None) -> ImportPlan:
    """Read, parse and extract; raise ``ImportRefused`` for a file that cannot be."""
    text = decode_source(data)
    try:
        parsed = parse(text)
    except ParseError as error:
        raise ImportRefused(str(error)) from None
    show_name = " ".join((show_name or parsed.show).split())
    _check_names(parsed, show_name)
    return ImportPlan(
        name=name,
        checksum=checksum(data),
        text=text,
        parsed=parsed,
        show_name=show_name,
        candidates=tuple(find_candidates(parsed)),
    )


def import_episode(
    data: bytes,
    *,
    name: str,
    show_name: str | None = None,
    dry_run: bool = False,
    actor: User | None = None,
) -> ImportResult:
    """Import one file's bytes; ``name`` is the file name, kept on the episode.

    ``actor`` is the editor uploading it in the admin (None for the command
    line); the workflow refuses claims from anyone else.
    """
    if data.strip():
        existing = Episode.objects.filter(source_checksum=checksum(data)).first()
        if existing is not None:
            return ImportResult(Outcome.UNCHANGED, name, episode=existing)
    plan = plan_import(data, name=name, show_name=show_name)
    if dry_run:
        return ImportResult(Outcome.DRY_RUN, name, plan=plan)
    try:
        episode = save_plan(plan, actor=actor)
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
    return ImportResult(Outcome.IMPORTED, name, episode=episode, plan=plan)


# --- writing -----------------------------------------------------------------


def _unique_slug(model: type[models.Model], base: str, fallback: str) -> str:
    base = (base or fallback)[: _SLUG_MAX - 4].rstrip("-")
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _show(name: str) -> Show:
    slug = slugify(name)
    show = Show.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
    if show is None:
        show = Show.objects.create(name=name, slug=_unique_slug(Show, slug, "show"))
    return show


def _refuse_changed_copy(plan: ImportPlan, show: Show) -> None:
    """The same episode from different bytes would duplicate every claim."""
    earlier = Episode.objects.filter(
        show=show, published_on=plan.parsed.published_on, title=plan.title
    ).first()
    if earlier is not None:
        raise ImportRefused(
            f"this file differs from the one already imported as episode "
            f"“{earlier.slug}” (same show, date and title); updating an imported "
            "episode from a changed file is not supported yet, so nothing was "
            "written"
        )


def _appearances(
    episode: Episode, parsed: ParsedEpisode, people: PeopleResolver
) -> None:
    roles: dict[int, tuple[Person, str]] = {}
    for name in parsed.hosts:
        person = people.resolve(name)
        roles[person.pk] = (person, Role.HOST)
    if parsed.guest:
        person = people.resolve(parsed.guest)
        roles.setdefault(person.pk, (person, Role.GUEST))
    for item in parsed.items:
        if item.speaker:
            person = people.resolve(item.speaker)
            roles.setdefault(person.pk, (person, Role.OTHER))
    Appearance.objects.bulk_create(
        Appearance(episode=episode, person=person, role=role)
        for person, role in roles.values()
    )


@transaction.atomic
def save_plan(plan: ImportPlan, *, actor: User | None = None) -> Episode:
    """Write the show, people, episode, appearances and claims of one file."""
    parsed = plan.parsed
    show = _show(plan.show_name)
    _refuse_changed_copy(plan, show)
    date = f"{parsed.published_on:%Y-%m-%d}" if parsed.published_on else ""
    episode = Episode.objects.create(
        show=show,
        title=plan.title,
        slug=_unique_slug(
            Episode, slugify(f"{show.slug} {date} {parsed.guest or ''}"), "episode"
        ),
        subtitle=parsed.subtitle,
        published_on=parsed.published_on,
        source_name=plan.name[:500],
        source_format=parsed.format,
        source_text=plan.text,
        source_checksum=plan.checksum,
    )
    people = PeopleResolver()
    _appearances(episode, parsed, people)
    for candidate in plan.candidates:
        speaker = people.resolve(candidate.speaker) if candidate.speaker else None
        # A reported name resolves like a speaker's: an alias lands on its
        # person; an unknown name is a new person, flagged if it looks like
        # someone known ("Dario Amade" ~ "Dario Amodei").
        claimant = people.resolve(candidate.claimant) if candidate.claimant else None
        workflow.claim_create(
            episode=episode,
            text=candidate.text,
            quote=candidate.quote,
            quote_start=candidate.start,
            quote_end=candidate.end,
            speaker=speaker,
            claimant=claimant if claimant != speaker else None,
            claim_type=candidate.claim_type,
            checkworthiness=candidate.checkworthiness,
            quantities=candidate.quantities,
            actor=actor,
            note=f"Imported from {plan.name}",
        )
    return episode


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
