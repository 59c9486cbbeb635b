"""Names → people: aliases, fuzzy look-alikes flagged, merges by editors."""

import pytest
from django.core.exceptions import ValidationError

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
