"""Names → people: aliases, fuzzy look-alikes flagged, merges by editors."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from episodes.models import Appearance
from people import workflow
from people.models import Person, PersonAlias, PossibleDuplicate
from people.resolver import PeopleResolver, lookalikes
from tests.conftest import make_claim


@pytest.fixture
def amodei(db) -> Person:
    return Person.objects.create(name="Dario Amodei", slug="dario-amodei")


def test_alias_resolves_to_its_person_in_any_case(amodei):
    PersonAlias.objects.create(person=amodei, name="Dario Amade")
    people = PeopleResolver()
    assert people.resolve("dario  AMADE") == amodei
    assert not people.created and not PossibleDuplicate.objects.exists()


def test_misspelling_without_alias_is_a_new_person_flagged_as_lookalike(amodei):
    people = PeopleResolver()
    amade = people.resolve("Dario Amade")
    assert amade != amodei and amade.slug == "dario-amade"
    flag = PossibleDuplicate.objects.get()
    assert (flag.person, flag.similar_to) == (amade, amodei)
    assert 85 <= flag.score < 100
    # The same name again in the same import is the same person, flagged once.
    assert people.resolve("Dario Amade") == amade
    assert PossibleDuplicate.objects.count() == 1


def test_lookalike_through_an_alias(amodei):
    PersonAlias.objects.create(person=amodei, name="D. Amodei")
    assert [m.person for m in lookalikes("D. Amodel")] == [amodei]


def test_different_people_with_one_surname_are_not_flagged(db):
    Person.objects.create(name="John Smith", slug="john-smith")
    PeopleResolver().resolve("Jane Smith")
    assert not PossibleDuplicate.objects.exists()


NAMES = [
    "Dario Amade",  # like an existing person
    "Dario Amadei",  # like the existing person and the name before it
    "DARIO  amade",  # the first name again, other case and spacing
    "D. Amodei",  # an existing alias
    "Ana B",
    "Ana-B",  # another name with the same slug
    "Jane Smith",
    *(f"Speaker {n}" for n in range(12)),  # each like all the others
]


def resolved(people: PeopleResolver) -> tuple[list, list, list]:
    """What a resolver made: people, slugs and flags, by name."""
    return (
        [p.name for p in people.created],
        [p.slug for p in people.created],
        sorted(
            (f.person.name, f.similar_to.name, f.score)
            for f in PossibleDuplicate.objects.select_related("person", "similar_to")
        ),
    )


def test_resolving_all_names_at_once_makes_what_one_after_another_does(amodei):
    PersonAlias.objects.create(person=amodei, name="D. Amodei")
    Person.objects.create(name="Ana Bee", slug="ana-b")
    with transaction.atomic():
        one_by_one = PeopleResolver()
        people = [one_by_one.resolve(name) for name in NAMES]
        expected = resolved(one_by_one)
        assert people[3] == amodei and people[0] == people[2]
        transaction.set_rollback(True)
    at_once = PeopleResolver()
    at_once.resolve_all(NAMES)
    assert resolved(at_once) == expected
    assert expected[1][:4] == ["dario-amade", "dario-amadei", "ana-b-2", "ana-b-3"]
    assert ("Dario Amadei", "Dario Amade", 95.7) in expected[2]
    assert [at_once.resolve(name).name for name in NAMES[:4]] == [
        "Dario Amade",
        "Dario Amadei",
        "Dario Amade",
        "Dario Amodei",
    ]


def test_resolving_names_takes_the_same_queries_for_few_or_many(
    amodei, django_assert_num_queries
):
    PersonAlias.objects.create(person=amodei, name="D. Amodei")
    # exact matches + the people matched + free slugs + the new people +
    # look-alike candidates + their people + their aliases + the flags
    for count in (3, 60):
        names = ["D. Amodei", *(f"Guest {count} {n}" for n in range(count))]
        with django_assert_num_queries(8):
            PeopleResolver().resolve_all(names)
        assert Person.objects.filter(name__startswith=f"Guest {count} ").count() == (
            count
        )


def test_editor_merges_duplicate_into_person(amodei, episode, editor):
    amade = PeopleResolver().resolve("Dario Amade")
    Appearance.objects.create(episode=episode, person=amade, role="guest")
    claim = make_claim(episode, claimant=amade)
    workflow.person_merge(keep=amodei, duplicate=amade, actor=editor)
    claim.refresh_from_db()
    assert claim.claimant == amodei
    assert claim.version == 2  # open forms on the claim see the change
    assert list(amodei.aliases.values_list("name", flat=True)) == ["Dario Amade"]
    assert Appearance.objects.get(episode=episode).person == amodei
    assert not Person.objects.filter(name="Dario Amade").exists()
    assert not PossibleDuplicate.objects.exists()
    # The next import of the misspelling lands on the right person.
    assert PeopleResolver().resolve("Dario Amade") == amodei


def test_a_merge_hands_the_duplicates_other_flags_to_the_person_kept(editor):
    keep = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    duplicate = Person.objects.create(name="Dario Amade", slug="dario-amade")
    third = Person.objects.create(name="Dario Amodeo", slug="dario-amodeo")
    fourth = Person.objects.create(name="Daria Amodei", slug="daria-amodei")
    PossibleDuplicate.objects.create(person=duplicate, similar_to=third, score=90)
    PossibleDuplicate.objects.create(
        person=fourth, similar_to=duplicate, score=88, resolution="Different people."
    )
    # keep already has a flag with the fourth: that one stays, alone.
    PossibleDuplicate.objects.create(person=keep, similar_to=fourth, score=89)
    workflow.person_merge(keep=keep, duplicate=duplicate, actor=editor)
    assert sorted(
        PossibleDuplicate.objects.values_list(
            "person__slug", "similar_to__slug", "score"
        )
    ) == [
        ("dario-amodei", "daria-amodei", 89.0),
        ("dario-amodei", "dario-amodeo", 90.0),
    ]


def test_reviewer_cannot_merge_people(amodei, reviewer):
    amade = PeopleResolver().resolve("Dario Amade")
    with pytest.raises(ValidationError) as exc:
        workflow.person_merge(keep=amodei, duplicate=amade, actor=reviewer)
    assert exc.value.code == "not_editor"
    assert Person.objects.filter(pk=amade.pk).exists()


def test_person_cannot_be_merged_into_itself(amodei, editor):
    with pytest.raises(ValidationError) as exc:
        workflow.person_merge(keep=amodei, duplicate=amodei, actor=editor)
    assert exc.value.code == "same_person"


def test_editor_dismisses_a_lookalike_pair(amodei, editor, reviewer):
    PeopleResolver().resolve("Dario Amade")
    flag = PossibleDuplicate.objects.get()
    with pytest.raises(ValidationError):
        workflow.duplicate_dismiss(flag=flag, actor=reviewer)
    workflow.duplicate_dismiss(flag=flag, actor=editor, note="Different person.")
    flag.refresh_from_db()
    assert flag.resolved_at is not None
    assert "Different people" in flag.resolution


def test_a_renamed_person_keeps_the_old_name_as_an_alias(amodei, editor):
    """Renamed in the desk, then a corrected episode that says the old name
    was imported: a new person of that name took the published claims'
    speaker and reopened them (found by the second new-user review)."""
    renamed = workflow.person_update(
        person=amodei, actor=editor, changes={"name": "Dario Amodei-Smith"}
    )
    assert list(renamed.aliases.values_list("name", flat=True)) == ["Dario Amodei"]
    people = PeopleResolver()
    assert people.resolve("Dario Amodei") == renamed
    assert not people.created
    # Back to the old name: the alias is the name again, the other one an alias.
    back = workflow.person_update(
        person=renamed, actor=editor, changes={"name": "Dario Amodei"}
    )
    assert list(back.aliases.values_list("name", flat=True)) == ["Dario Amodei-Smith"]


def test_a_change_of_case_or_of_a_name_someone_else_has_keeps_no_alias(amodei, editor):
    workflow.person_update(
        person=amodei, actor=editor, changes={"name": "DARIO AMODEI"}
    )
    assert not amodei.aliases.exists()
    # Two people of one name (allowed: namesakes); renaming one leaves the
    # name to the other, not an alias the other's imports would lose.
    Person.objects.create(name="Jack Clark", slug="jack-clark")
    namesake = Person.objects.create(name="Jack Clark", slug="jack-clark-2")
    workflow.person_update(
        person=namesake, actor=editor, changes={"name": "Jack Clarke"}
    )
    assert not namesake.aliases.exists()
