"""Known people from a file (``seeds/people.json``): names, descriptions and
the other spellings of their names, so a misspelt or reported name in a
transcript lands on the right person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify

from audit.log import record, writes
from audit.models import Kind
from people import workflow
from people.models import Person, PersonAlias

_NAME_MAX = 200  # Person.name


class PeopleFileError(Exception):
    """An entry cannot be loaded; the message says which and why."""


@dataclass(frozen=True)
class PeopleLoaded:
    created: int
    aliases_added: int


def _entry_fields(index: int, entry: Any) -> tuple[str, str, str, list[str]]:
    """(name, slug, description, aliases) of one people.json entry, checked."""
    where = f"entry {index}"
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
        raise PeopleFileError(f"{where} needs a “name” (a string)")
    name = " ".join(entry["name"].split())
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise PeopleFileError(f"{where} ({name}): “aliases” must be a list of strings")
    slug = entry.get("slug") or slugify(name)
    if not name or not slug or len(name) > _NAME_MAX:
        raise PeopleFileError(f"{where}: “{name[:40]}” is not a usable name")
    description = str(entry.get("description", "")).strip()
    return name, slug, description, [" ".join(a.split()) for a in aliases if a.strip()]


@writes
def load_people(entries: Iterable[Any]) -> PeopleLoaded:
    """Create known people and their aliases; running it again adds only what is new.

    A person is found by slug; an existing blank description is filled in, a
    written one is left alone. An alias that already names someone else is
    refused (it would make name matching ambiguous).
    """
    created = aliases_added = 0
    for index, entry in enumerate(entries, start=1):
        name, slug, description, aliases = _entry_fields(index, entry)
        person = Person.objects.filter(slug=slug).first()
        if person is None:
            owner = PersonAlias.objects.filter(name__iexact=name).first()
            if owner is not None:
                raise PeopleFileError(
                    f"entry {index} ({name}): the name is an alias of "
                    f"{owner.person}; merge the two or drop the alias"
                )
            person = workflow.person_create(
                name=name, slug=slug, description=description, actor=None
            )
            created += 1
        elif description and not person.description:
            person.description = description
            person.save(update_fields=["description"])
            record(
                kind=Kind.PERSON_EDITED,
                actor=None,
                obj=person,
                changes={"description": ["", description]},
                note="Loaded from a file of known people.",
            )
        for alias in aliases:
            if alias.casefold() == person.name.casefold():
                continue  # the name itself, listed again
            owner = PersonAlias.objects.filter(name__iexact=alias).first()
            if owner is not None and owner.person_id == person.pk:
                continue  # loaded before
            namesake = Person.objects.filter(name__iexact=alias).first()
            if namesake is not None:
                raise PeopleFileError(
                    f"entry {index} ({name}): the alias “{alias}” is the name of "
                    f"another person, {namesake.name} ({namesake.slug}); merge the "
                    "two or drop the alias"
                )
            if owner is None:
                workflow.alias_add(person=person, name=alias, actor=None)
                aliases_added += 1
            else:
                raise PeopleFileError(
                    f"entry {index} ({name}): the alias “{alias}” already belongs "
                    f"to {owner.person}; remove it from one of them"
                )
    return PeopleLoaded(created=created, aliases_added=aliases_added)
