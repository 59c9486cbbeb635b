"""``__any``: a list of values sent as one array parameter, as its text."""

from __future__ import annotations

import pytest
from django.db import DataError, connection

from claimdesk.lookups import IntArray
from people.models import Person


@pytest.mark.django_db
def test_any_finds_the_listed_rows_with_one_parameter():
    people = [
        Person.objects.create(name=f"Person {i}", slug=f"p-{i}") for i in range(5)
    ]
    wanted = [people[0].pk, people[3].pk, 10**9]
    found = Person.objects.filter(pk__any=wanted)
    sql, params = found.query.sql_with_params()
    assert '"id" = ANY(%s::bigint[])' in sql
    assert params == (f"{{{people[0].pk},{people[3].pk},1000000000}}",)
    assert sorted(found.values_list("pk", flat=True)) == [people[0].pk, people[3].pk]
    assert not Person.objects.filter(pk__any=[]).exists()


@pytest.mark.django_db
def test_any_takes_a_set_and_values_that_are_not_yet_integers():
    people = [
        Person.objects.create(name=f"Person {i}", slug=f"p-{i}") for i in range(3)
    ]
    by_set = Person.objects.filter(pk__any={people[1].pk, people[2].pk})
    assert sorted(by_set.values_list("pk", flat=True)) == [people[1].pk, people[2].pk]
    # Strings of digits, as a form or an address gives them, are converted
    # as the field converts them; anything else is refused before any SQL.
    by_text = Person.objects.filter(pk__any=[str(people[0].pk)])
    assert list(by_text.values_list("pk", flat=True)) == [people[0].pk]
    with pytest.raises((TypeError, ValueError)):
        list(Person.objects.filter(pk__any=["1); DROP TABLE people_person; --"]))


@pytest.mark.django_db
def test_any_works_on_a_foreign_key(episode):
    from claims.models import Claim

    claim = Claim.objects.create(episode=episode, text="It cost $5 billion.", quote="")
    found = Claim.objects.filter(episode_id__any=[episode.pk])
    assert '"episode_id" = ANY(%s::bigint[])' in found.query.sql_with_params()[0]
    assert list(found) == [claim]


@pytest.mark.django_db
def test_any_sends_the_databases_own_text_of_an_array_as_it_is():
    people = [
        Person.objects.create(name=f"Person {i}", slug=f"p-{i}") for i in range(3)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(id)::text FROM people_person WHERE slug <> 'p-1'"
        )
        (text,) = cursor.fetchone()
    found = Person.objects.filter(pk__any=IntArray(text))
    assert found.query.sql_with_params()[1] == (text,)
    assert sorted(found.values_list("pk", flat=True)) == [people[0].pk, people[2].pk]
    # Cast in the SQL: text that is not an array of integers is an error of
    # the database's, never part of the statement.
    with pytest.raises(DataError):
        list(Person.objects.filter(pk__any=IntArray("{1,2); DROP TABLE x; --}")))
