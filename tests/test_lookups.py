"""``__any``: a list of values sent as one array parameter."""

from __future__ import annotations

import pytest

from people.models import Person


@pytest.mark.django_db
def test_any_finds_the_listed_rows_with_one_parameter():
    people = [
        Person.objects.create(name=f"Person {i}", slug=f"p-{i}") for i in range(5)
    ]
    wanted = [people[0].pk, people[3].pk, 10**9]
    found = Person.objects.filter(pk__any=wanted)
    sql, params = found.query.sql_with_params()
    assert '"id" = ANY(%s)' in sql
    assert params == (wanted,)
    assert sorted(found.values_list("pk", flat=True)) == [people[0].pk, people[3].pk]
    assert not Person.objects.filter(pk__any=[]).exists()


@pytest.mark.django_db
def test_any_works_on_a_foreign_key(episode):
    from claims.models import Claim

    claim = Claim.objects.create(episode=episode, text="It cost $5 billion.", quote="")
    found = Claim.objects.filter(episode_id__any=[episode.pk])
    assert '"episode_id" = ANY(%s)' in found.query.sql_with_params()[0]
    assert list(found) == [claim]
