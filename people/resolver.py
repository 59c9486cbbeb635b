"""Names as written in a source → ``Person`` rows, without silent merges.

1. An exact name or alias (any case, spaces collapsed) is that person: once an
   editor records "Dario Amade" as an alias of Dario Amodei, the misspelling
   lands on him.
2. Otherwise a new person is made; if an existing name or alias looks alike
   (pg_trgm finds candidates through its index, rapidfuzz scores them), the
   pair is flagged as a ``PossibleDuplicate`` for an editor to merge or
   dismiss. "Jon Smith" may be a typo of "John Smith", or someone else.

An import resolves all its names at once (``PeopleResolver.resolve_all``),
in a fixed number of queries however many names the file has: a file of 199
speakers took a thousand queries, one name after another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from rapidfuzz import fuzz, utils

from claimdesk.slugs import unique_slugs
from people.models import Person, PossibleDuplicate

# rapidfuzz ratio (0..100) from which two names are flagged. Seen on real
# names: a one-letter typo scores 87-95 ("Dario Amade"/"Dario Amodei" 87,
# "Jon Smith"/"John Smith" 95); different people sharing a surname score
# lower ("John Smith"/"Jane Smith" 80).
SIMILAR_NAME_SCORE = 85.0
# Look-alikes flagged for one new name, best first.
MAX_FLAGS = 5
# Candidates pg_trgm passes on to rapidfuzz for one name, most similar first.
MAX_CANDIDATES = 50


def normalise_name(name: str) -> str:
    return " ".join(name.split())


@dataclass(frozen=True)
class Lookalike:
    person: Person
    name: str  # the name or alias that matched
    score: float


# People whose name or an alias equals each name (any case; the first made).
_EXACT = """
SELECT n.i, min(s.id)
  FROM unnest(%s::text[]) WITH ORDINALITY AS n(name, i)
  JOIN (SELECT id, upper(name::text) AS u FROM people_person
        UNION ALL
        SELECT person_id, upper(name::text) FROM people_personalias) s
    ON s.u = upper(n.name)
 GROUP BY n.i
"""

# For each name, people made before ``below`` whose name or an alias is
# trigram-similar to it (`%`, similarity >= 0.3, through the GIN indexes).
_SIMILAR = """
SELECT n.i, c.person_id
  FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS n(name, below, i)
 CROSS JOIN LATERAL (
    SELECT s.person_id FROM (
        SELECT id AS person_id, similarity(name, n.name) AS score
          FROM people_person WHERE name %% n.name AND id < n.below
        UNION ALL
        SELECT person_id, similarity(name, n.name)
          FROM people_personalias WHERE name %% n.name AND person_id < n.below
    ) s
     GROUP BY s.person_id
     ORDER BY max(s.score) DESC, s.person_id
     LIMIT %s) c
"""


def _similar(names: list[str], below: list[int]) -> list[list[Lookalike]]:
    """Look-alikes of each name among the people made before ``below``, best
    first: two queries for all the names (candidates, then their spellings)."""
    with connection.cursor() as cursor:
        cursor.execute(_SIMILAR, [names, below, MAX_CANDIDATES])
        rows = cursor.fetchall()
    people = Person.objects.prefetch_related("aliases").in_bulk(
        {person_id for _, person_id in rows}
    )
    found: list[list[Lookalike]] = [[] for _ in names]
    for i, person_id in rows:
        name, person = names[i - 1], people[person_id]
        spellings = [person.name, *(alias.name for alias in person.aliases.all())]
        score, spelling = max(
            (fuzz.ratio(name, s, processor=utils.default_process), s) for s in spellings
        )
        if score >= SIMILAR_NAME_SCORE:
            found[i - 1].append(Lookalike(person, spelling, score))
    # Equal scores: the person made first.
    return [sorted(each, key=lambda f: (-f.score, f.person.pk)) for each in found]


def lookalikes(name: str) -> list[Lookalike]:
    """Existing people whose name or an alias looks like ``name``, best first."""
    return _similar([normalise_name(name)], [2**63 - 1])[0]


class PeopleResolver:
    """Resolves the names of one import, each name looked up once."""

    def __init__(self) -> None:
        self._known: dict[str, Person] = {}
        self.created: list[Person] = []
        self.flagged: list[PossibleDuplicate] = []

    def find(self, name: str) -> Person | None:
        """The person with exactly this name or alias, if any."""
        name = normalise_name(name)
        key = name.casefold()
        if key not in self._known:
            person = Person.objects.matching_name(name).order_by("pk").first()
            if person is None:
                return None
            self._known[key] = person
        return self._known[key]

    def resolve(self, name: str) -> Person:
        """The person of this name; a new one (flagged if it has a look-alike)."""
        self.resolve_all([name])
        return self._known[normalise_name(name).casefold()]

    def resolve_all(self, names: Iterable[str]) -> None:
        """Resolve ``names`` in order, as ``resolve`` would one after another
        (a name sees the people made for the names before it), in at most
        eight queries however many names there are; ``resolve`` then answers
        from memory."""
        pending: dict[str, str] = {}
        for name in names:
            name = normalise_name(name)
            key = name.casefold()
            if key not in self._known and key not in pending:
                pending[key] = name
        if not pending:
            return
        keys, spelled = list(pending), list(pending.values())
        with connection.cursor() as cursor:
            cursor.execute(_EXACT, [spelled])
            matches = dict(cursor.fetchall())
        existing = Person.objects.in_bulk(set(matches.values()))
        new = []
        for i, (key, name) in enumerate(zip(keys, spelled, strict=True), start=1):
            if i in matches:
                self._known[key] = existing[matches[i]]
            else:
                new.append((key, name))
        if not new:
            return
        slugs = unique_slugs(Person, [name for _, name in new], "person")
        # Made in the order of the names, so ids say which came first.
        created = Person.objects.bulk_create(
            Person(name=name, slug=slug)
            for (_, name), slug in zip(new, slugs, strict=True)
        )
        for (key, _), person in zip(new, created, strict=True):
            self._known[key] = person
        self.created.extend(created)
        # The closest few are what an editor needs to see; a name like
        # "Speaker 12" looks like every other "Speaker n" and would flag them
        # all, one row each.
        similar = _similar([p.name for p in created], [p.pk for p in created])
        self.flagged.extend(
            PossibleDuplicate.objects.bulk_create(
                PossibleDuplicate(
                    person=person, similar_to=match.person, score=round(match.score, 1)
                )
                for person, matches in zip(created, similar, strict=True)
                for match in matches[:MAX_FLAGS]
            )
        )
