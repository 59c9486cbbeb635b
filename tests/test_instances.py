"""Instances without Model.__init__ (claimdesk.instances): from rows
already read (from_rows), the instances a raw query builds; through the
ORM (QuickLoading), the instances Django's from_db builds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import DEFERRED, Model, signals

from audit.models import Event
from claimdesk.instances import from_rows, is_plain
from claims import workflow
from claims.models import Claim, Evidence, Mention, Quantity, ReviewNote
from episodes.models import Appearance, Episode, Show
from people.models import Person, PersonAlias
from tests.conftest import add_evidence

SQL = (
    "SELECT id, text, status, checkworthiness_reasons, speaker_id, "
    "approved_at, 42 AS extra FROM claims_claim WHERE id = %s"
)


def read(claim):
    with connection.cursor() as cursor:
        cursor.execute(SQL, [claim.pk])
        columns = [column.name for column in cursor.description]
        return columns, cursor.fetchall()


@pytest.fixture
def scored(claim):
    Claim.objects.filter(pk=claim.pk).update(
        checkworthiness_reasons=["a number", "a growth word"]
    )
    return Claim.objects.get(pk=claim.pk)


def test_the_instances_are_a_raw_querys(scored):
    [built] = from_rows(Claim, "default", *read(scored))
    [raw] = Claim.objects.raw(SQL, [scored.pk])
    assert built.__dict__.keys() == raw.__dict__.keys()
    for name in raw.__dict__.keys() - {"_state"}:
        assert getattr(built, name) == getattr(raw, name), name
    # The JSON column went through the field's converter, as Django's does.
    assert built.checkworthiness_reasons == ["a number", "a growth word"]
    assert built.extra == 42
    assert built._state.adding is False
    assert built._state.db == "default"
    assert built.get_deferred_fields() == raw.get_deferred_fields()
    assert "quote" in built.get_deferred_fields()
    # A deferred field loads on first use; the related object through its id.
    assert built.quote == scored.quote
    assert built.speaker == scored.speaker
    assert built == scored


def test_an_instance_saves_what_it_loaded(scored):
    [built] = from_rows(Claim, "default", *read(scored))
    built.refresh_from_db(fields=["text"])
    assert built.text == scored.text


def test_a_model_with_init_receivers_gets_djangos_from_db(scored):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Claim)
    try:
        [built] = from_rows(Claim, "default", *read(scored))
    finally:
        signals.post_init.disconnect(receiver, sender=Claim)
    assert seen == [built]
    assert built.checkworthiness_reasons == ["a number", "a growth word"]
    assert built.extra == 42
    assert "quote" in built.get_deferred_fields()


def test_rows_without_the_primary_key_are_refused():
    with pytest.raises(ValueError, match="no id column"):
        from_rows(Claim, "default", ["text"], [("a claim",)])


# --- QuickLoading: the ORM's instances of the models that use it


def state_of(instance) -> dict:
    """What an instance holds: its values, deferred fields, state, and the
    related instances loaded with it."""
    return {
        "type": type(instance),
        "fields": {k: v for k, v in instance.__dict__.items() if k != "_state"},
        "deferred": instance.get_deferred_fields(),
        "adding": instance._state.adding,
        "db": instance._state.db,
        "related": {
            name: None if other is None else state_of(other)
            for name, other in instance._state.fields_cache.items()
        },
    }


def loaded(claim) -> list[list[dict]]:
    """The claim, its episode, show, speaker and evidence through the ORM's
    several ways of loading."""
    querysets = [
        Claim.objects.filter(pk=claim.pk),
        Claim.objects.only("text", "speaker").filter(pk=claim.pk),
        Claim.objects.defer("quote", "search_vector").filter(pk=claim.pk),
        Claim.objects.for_list().filter(pk=claim.pk),
        Claim.objects.select_related("episode__show", "speaker").only(
            "text", "episode__title", "episode__show__name", "speaker__name"
        ),
        Claim.objects.raw("SELECT id, text, status FROM claims_claim"),
        Episode.objects.select_related("show"),
        Person.objects.all(),
        Evidence.objects.select_related("claim"),
        Quantity.objects.all(),
        Event.objects.all(),
        ReviewNote.objects.select_related("author"),
        Mention.objects.all(),
        PersonAlias.objects.all(),
        Appearance.objects.select_related("person", "episode"),
    ]
    return [[state_of(instance) for instance in queryset] for queryset in querysets]


QUICK = (
    Claim, Episode, Show, Person, Evidence, Quantity, Event, ReviewNote,
    Mention, PersonAlias, Appearance,
)  # fmt: skip


def test_the_models_load_what_djangos_from_db_makes(claim, reviewer):
    add_evidence(claim, reviewer)
    workflow.note_add(claim=claim, actor=reviewer, body="Asked the company.")
    assert all(is_plain(model) for model in QUICK)
    quick = loaded(claim)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(sender)

    # With a post_init receiver no model is plain: Django's from_db, which
    # sends it, makes every instance.
    signals.post_init.connect(receiver)
    try:
        djangos = loaded(claim)
    finally:
        signals.post_init.disconnect(receiver)
    assert {Claim, Episode, Show, Person, Evidence, Event, ReviewNote} <= set(seen)
    assert quick == djangos
    # Every queryset read rows but the amounts, mentions, aliases and
    # appearances, which this claim has none of.
    assert [bool(rows) for rows in quick] == [True] * 9 + [False] + [True] * 2 + [
        False
    ] * 3


def test_a_deferred_value_in_a_full_row_stays_deferred(claim):
    fields = Claim._meta.concrete_fields
    values = [getattr(claim, f.attname) for f in fields]
    values[[f.name for f in fields].index("quote")] = DEFERRED
    built = Claim.from_db("default", [f.attname for f in fields], values)
    djangos = Model.from_db.__func__(
        Claim, "default", [f.attname for f in fields], values
    )
    assert state_of(built) == state_of(djangos)
    assert built.get_deferred_fields() == {"quote"}


def test_field_names_out_of_order_are_placed_as_django_places_them(claim):
    names = ["text", "status", "id"]
    # The values in the model's field order, as from_db takes them.
    values = [
        getattr(claim, f.attname)
        for f in Claim._meta.concrete_fields
        if f.attname in names
    ]
    built = Claim.from_db("default", names, values)
    djangos = Model.from_db.__func__(Claim, "default", names, values)
    assert state_of(built) == state_of(djangos)
    assert built.pk == claim.pk
