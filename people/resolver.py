"""Names as written in a source → ``Person`` rows, without silent merges.

1. An exact name or alias (any case, spaces collapsed) is that person: once an
   editor records "Dario Amade" as an alias of Dario Amodei, the misspelling
   lands on him.
2. Otherwise a new person is made; if an existing name or alias looks alike
   (pg_trgm finds candidates through its index, rapidfuzz scores them), the
   pair is flagged as a ``PossibleDuplicate`` for an editor to merge or
   dismiss. "Jon Smith" may be a typo of "John Smith", or someone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz import fuzz, utils

from claimdesk.slugs import unique_slug
from people.models import Person, PossibleDuplicate

# rapidfuzz ratio (0..100) from which two names are flagged. Seen on real
# names: a one-letter typo scores 87-95 ("Dario Amade"/"Dario Amodei" 87,
# "Jon Smith"/"John Smith" 95); different people sharing a surname score
# lower ("John Smith"/"Jane Smith" 80).
SIMILAR_NAME_SCORE = 85.0
# Look-alikes flagged for one new name, best first.
MAX_FLAGS = 5


def normalise_name(name: str) -> str:
    return " ".join(name.split())


@dataclass(frozen=True)
class Lookalike:
    person: Person
    name: str  # the name or alias that matched
    score: float


def lookalikes(name: str) -> list[Lookalike]:
    """Existing people whose name or an alias looks like ``name``, best first."""
    # `%` (trigram_similar) uses the GIN trigram indexes; it casts a wide net
    # (similarity >= 0.3) and rapidfuzz then scores the few rows it returns.
    people = (
        Person.objects.filter(
            Q(name__trigram_similar=name) | Q(aliases__name__trigram_similar=name)
        )
        .distinct()
        .prefetch_related("aliases")[:50]
    )
    found = []
    for person in people:
        spellings = [person.name, *(alias.name for alias in person.aliases.all())]
        score, spelling = max(
            (fuzz.ratio(name, s, processor=utils.default_process), s) for s in spellings
        )
        if score >= SIMILAR_NAME_SCORE:
            found.append(Lookalike(person, spelling, score))
    return sorted(found, key=lambda found: -found.score)


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
        name = normalise_name(name)
        person = self.find(name)
        if person is not None:
            return person
        similar = lookalikes(name)
        person = Person.objects.create(
            name=name, slug=unique_slug(Person, name, "person")
        )
        self._known[name.casefold()] = person
        self.created.append(person)
        # The closest few are what an editor needs to see; a name like
        # "Speaker 12" looks like every other "Speaker n" and would flag them
        # all, one row each.
        self.flagged.extend(
            PossibleDuplicate.objects.bulk_create(
                PossibleDuplicate(
                    person=person, similar_to=match.person, score=round(match.score, 1)
                )
                for match in similar[:MAX_FLAGS]
            )
        )
        return person
