"""Every write to people goes through people.workflow and leaves one event on
the person's timeline; the person admin shows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import Event, Kind
from episodes.models import Appearance
from people import workflow
from people.loading import load_people
from people.models import Person, PersonAlias, PossibleDuplicate
from people.resolver import PeopleResolver
from tests.conftest import events, make_claim


@pytest.fixture
def amodei(db) -> Person:
    return workflow.person_create(name="Dario Amodei", actor=None)


def last(person: Person) -> Event:
    return events(person).last()


def test_a_merge_is_one_event_on_the_kept_persons_timeline(amodei, episode, editor):
    amade = PeopleResolver().resolve("Dario Amade")
    Appearance.objects.create(episode=episode, person=amade, role="guest")
    make_claim(episode, claimant=amade)
    workflow.person_merge(keep=amodei, duplicate=amade, actor=editor)
    event = last(amodei)
    assert (event.kind, event.actor) == (Kind.PERSON_MERGED, editor)
    assert event.changes["merged"] == [{"id": amade.pk, "label": "Dario Amade"}, None]
    assert event.changes["aliases"] == [[], ["Dario Amade"]]
    assert "1 claims (claimant)" in event.note and "1 appearances" in event.note
    # Moving the claim and the appearance was the merge's doing: no rows
    # written behind the workflow's back.
    assert not Event.objects.filter(kind__startswith="db.", at__gte=event.at).exists()


def test_dismissing_a_lookalike_is_an_event_of_the_new_name(amodei, editor):
    amade = PeopleResolver().resolve("Dario Amade")
    flag = PossibleDuplicate.objects.get()
    workflow.duplicate_dismiss(flag=flag, actor=editor, note="Different person.")
    event = last(amade)
    assert (event.kind, event.actor, event.note) == (
        Kind.DUPLICATE_DISMISSED,
        editor,
        "Different person.",
    )
    assert event.changes == {
        "similar to": [None, {"id": amodei.pk, "label": "Dario Amodei"}]
    }


def test_only_editors_edit_people(amodei, reviewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        workflow.person_update(person=amodei, actor=reviewer, changes={"name": "X"})
    assert refused.value.code == "not_editor"
    with pytest.raises(ValidationError):
        workflow.alias_add(person=amodei, name="D. Amodei", actor=reviewer)


def test_the_person_admin_writes_through_the_workflow_and_shows_the_history(
    client, amodei, editor
):
    client.force_login(editor)
    url = reverse("admin:people_person_change", args=[amodei.pk])
    response = client.post(
        url,
        {
            "name": "Dario Amodei",
            "slug": amodei.slug,
            "description": "CEO of Anthropic",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-name": "D. Amodei",
        },
    )
    assert response.status_code == 302
    kinds = [(e.kind, e.actor) for e in events(amodei)]
    assert kinds == [
        (Kind.PERSON_ADDED, None),
        (Kind.PERSON_EDITED, editor),
        (Kind.ALIAS_ADDED, editor),
    ]
    assert events(amodei)[1].changes == {"description": ["", "CEO of Anthropic"]}
    page = client.get(url).text
    assert "History, newest first" in page
    assert page.index("Added an alias") < page.index("Edited the person")
    assert "description</span>: — → CEO of Anthropic" in page

    alias = PersonAlias.objects.get(name="D. Amodei")
    response = client.post(
        url,
        {
            "name": "Dario Amodei",
            "slug": amodei.slug,
            "description": "CEO of Anthropic",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "1",
            "aliases-0-id": str(alias.pk),
            "aliases-0-person": str(amodei.pk),
            "aliases-0-name": "D. Amodei",
            "aliases-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert last(amodei).kind == Kind.ALIAS_REMOVED
    assert not PersonAlias.objects.exists()


def test_loading_known_people_records_each_person_and_alias(db):
    load_people([{"name": "Ranjan Roy", "aliases": ["Ranjan"]}])
    person = Person.objects.get()
    assert [(e.kind, e.actor) for e in events(person)] == [
        (Kind.PERSON_ADDED, None),
        (Kind.ALIAS_ADDED, None),
    ]


def test_people_an_import_creates_start_their_timeline_as_part_of_it(db):
    from pathlib import Path

    from claims.ingest import import_episode

    sample = next((Path(__file__).parents[2] / "seeds").glob("big-technology-*.txt"))
    import_episode(sample.read_bytes(), name=sample.name)
    imported = Event.objects.get(kind=Kind.EPISODE_IMPORTED)
    for person in Person.objects.all():
        (added,) = events(person)
        assert (added.kind, added.cause) == (Kind.PERSON_ADDED, imported)
    assert sorted(imported.changes["people_added"][1]) == sorted(
        Person.objects.values_list("name", flat=True)
    )


def test_a_merge_says_so_on_each_moved_claims_timeline(amodei, episode, editor):
    amade = PeopleResolver().resolve("Dario Amade")
    claim = make_claim(episode, speaker=amade)
    workflow.person_merge(keep=amodei, duplicate=amade, actor=editor)
    moved = events(claim).last()
    assert (moved.kind, moved.actor, moved.cause.kind) == (
        Kind.PERSON_REPLACED,
        editor,
        Kind.PERSON_MERGED,
    )
    assert moved.changes == {
        "speaker": [
            {"id": amade.pk, "label": "Dario Amade"},
            {"id": amodei.pk, "label": "Dario Amodei"},
        ]
    }


def test_merging_a_name_the_kept_person_has_as_an_alias_in_other_case(amodei, editor):
    workflow.alias_add(person=amodei, name="dario amade", actor=editor)
    # Made before a name was refused for being someone's alias.
    amade = Person.objects.create(name="Dario Amade", slug="dario-amade")
    workflow.person_merge(keep=amodei, duplicate=amade, actor=editor)
    assert list(amodei.aliases.values_list("name", flat=True)) == ["dario amade"]


def test_a_merge_that_would_steal_a_third_persons_alias_is_refused(
    amodei, editor, client
):
    from django.core.exceptions import ValidationError

    other = workflow.person_create(name="Someone Else", actor=editor)
    workflow.alias_add(person=other, name="Dario Amade", actor=editor)
    # Made before a name was refused for being someone's alias.
    amade = Person.objects.create(name="dario amade", slug="dario-amade")
    with pytest.raises(ValidationError) as refused:
        workflow.person_merge(keep=amodei, duplicate=amade, actor=editor)
    assert refused.value.code == "alias_taken"
    assert Person.objects.filter(pk=amade.pk).exists()


def test_a_merge_of_two_people_of_one_name_shows_as_a_change(episode, editor):
    """The timeline compares what was stored, not what it shows: the claim
    moved from one "Jane Doe" to another, which is a change (old → new),
    not a value recorded as it stood."""
    from audit import timeline

    keep = Person.objects.create(name="Jane Doe", slug="jane-doe")
    duplicate = Person.objects.create(name="Jane Doe", slug="jane-doe-2")
    claim = make_claim(episode, speaker=duplicate)
    workflow.person_merge(keep=keep, duplicate=duplicate, actor=editor)
    (line,) = [
        line
        for line in timeline.lines(events(claim))
        if line.event.kind == Kind.PERSON_REPLACED
    ]
    (change,) = line.changes
    assert (change.old, change.new, change.same) == ("Jane Doe", "Jane Doe", False)
    html = timeline.render(Event.objects.about(claim))
    assert "speaker</span>: Jane Doe → Jane Doe" in html


def test_an_alias_is_neither_the_persons_name_nor_another_persons(editor):
    amodei = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    Person.objects.create(name="Daniela Amodei", slug="daniela-amodei")
    for name, code in (
        ("dario  AMODEI", "alias_is_name"),
        ("Daniela Amodei", "alias_taken"),
    ):
        with pytest.raises(ValidationError) as refused:
            workflow.alias_add(person=amodei, name=name, actor=editor)
        assert refused.value.code == code
    assert not amodei.aliases.exists()


def test_a_persons_name_is_never_another_persons_alias(editor):
    """The alias rule the other way: a new person, or a rename, may not take
    a name that is already someone's alias (found by review)."""
    amodei = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    PersonAlias.objects.create(person=amodei, name="D. Amodei")
    with pytest.raises(ValidationError) as refused:
        workflow.person_create(name="d. amodei", actor=editor)
    assert refused.value.code == "name_is_alias"
    other = workflow.person_create(name="Daniela Amodei", actor=editor)
    with pytest.raises(ValidationError) as refused:
        workflow.person_update(
            person=other, actor=editor, changes={"name": "d. AMODEI"}
        )
    assert refused.value.code == "name_is_alias"
    # A person's own alias may become their name.
    workflow.person_update(person=amodei, actor=editor, changes={"name": "D. Amodei"})


def test_an_alias_added_meanwhile_is_the_usual_refusal_not_a_500(editor, monkeypatch):
    """Two editors adding one alias at once: both checks ran before either
    insert committed, and the second insert hit the unique index, a 500
    (found by the second new-user review). The check runs before the insert,
    so the race is played by letting the first check pass."""
    from django.core.exceptions import ValidationError

    from people import workflow as people_workflow
    from people.models import Person

    alice = Person.objects.create(name="Alice Park", slug="alice-park")
    bob = Person.objects.create(name="Bob Lee", slug="bob-lee")
    people_workflow.alias_add(person=bob, name="The Analyst", actor=editor)
    real, calls = people_workflow.check_alias_name, []

    def checked_before_the_other_committed(name, person_id, *args):
        calls.append(name)
        if len(calls) > 1:
            real(name, person_id, *args)

    monkeypatch.setattr(
        people_workflow, "check_alias_name", checked_before_the_other_committed
    )
    with pytest.raises(ValidationError) as refused:
        people_workflow.alias_add(person=alice, name="the analyst", actor=editor)
    assert refused.value.code == "alias_taken"
    assert "already an alias of Bob Lee" in refused.value.messages[0]
    assert not alice.aliases.exists()


def test_a_name_that_is_another_persons_alias_is_a_form_error_keeping_the_input(
    client, editor
):
    """Refused by the workflow after the save, the page came back with the
    name, the description and the new alias typed all lost (found by the
    second new-user review)."""
    amodei = Person.objects.create(name="Dario Amodei", slug="dario-amodei")
    PersonAlias.objects.create(person=amodei, name="D. Amodei")
    park = Person.objects.create(name="Alice Park", slug="alice-park")
    client.force_login(editor)
    response = client.post(
        reverse("admin:people_person_change", args=[park.pk]),
        {
            "name": "d. amodei",
            "slug": park.slug,
            "description": "Typed, and kept.",
            "profile_url": "",
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-name": "Ally P",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [e.code for e in form.errors.as_data()["name"]] == ["name_is_alias"]
    assert "Typed, and kept." in response.text
    assert 'value="Ally P"' in response.text
    park.refresh_from_db()
    assert (park.name, park.description) == ("Alice Park", "")
    assert not park.aliases.exists()
