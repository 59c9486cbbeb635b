"""Querysets compiled once (claimdesk.prepared): the rows the ORM gives,
from SQL built once per variant, with each use's values put in."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from audit.models import Event
from claimdesk.lookups import int_array
from claimdesk.prepared import Prepared
from claims.models import Claim
from tests.conftest import make_claim

DAY = datetime.date(2027, 6, 30)


@pytest.fixture
def forecasts(episode, speaker):
    return [
        make_claim(episode, speaker=speaker, resolves_on=DAY),
        make_claim(
            episode,
            "a 5 to $6,000,000,000 data center",
            speaker=speaker,
            resolves_on=DAY + datetime.timedelta(days=200),
        ),
    ]


def due(reviewer: bool, today):
    return (
        Claim.objects.visible_to_role(reviewer=reviewer)
        .forecasts_due(today)
        .select_related("episode__show", "speaker")
        .annotate(n_evidence=Count("evidence"))
        .only(
            "text",
            "resolves_on",
            "episode__title",
            "episode__show__name",
            "speaker__name",
        )
        .order_by("resolves_on", "id")
    )


DUE = Prepared(due, markers={"today": datetime.date(1, 1, 1)})


def shown(row) -> tuple:
    """What a row of DUE shows, read through its related objects."""
    return (
        row.text,
        row.resolves_on,
        row.episode.title,
        row.episode.show.name,
        row.speaker.name,
        row.n_evidence,
    )


def test_the_rows_are_the_orms(forecasts):
    later = DAY + datetime.timedelta(days=365)
    expected = list(due(True, later))
    with CaptureQueriesContext(connection) as queries:
        rows = DUE.list(True, today=later)
        # What the row shows was read with it: no query per row.
        seen = [shown(row) for row in rows]
    assert len(queries) == 1
    assert (
        [row.pk for row in rows]
        == [row.pk for row in expected]
        == [
            forecasts[0].pk,
            forecasts[1].pk,
        ]
    )
    assert seen == [shown(row) for row in expected]
    assert rows[0].get_deferred_fields() == expected[0].get_deferred_fields()
    assert "quote" in rows[0].get_deferred_fields()


def test_each_use_puts_its_own_values_in(forecasts):
    assert [row.pk for row in DUE.list(True, today=DAY)] == [forecasts[0].pk]
    assert DUE.list(True, today=DAY - datetime.timedelta(days=1)) == []
    # The same SQL each time; only the value moved.
    assert DUE.sql(True, today=DAY)[0] == DUE.sql(True, today=DAY.replace(day=1))[0]
    assert DAY in DUE.sql(True, today=DAY)[1]


def test_a_variant_is_compiled_apart(forecasts):
    # Readers see published verdicts only: neither forecast is one.
    assert DUE.list(False, today=DAY) == []
    assert len(DUE.list(True, today=DAY)) == 1
    assert DUE.sql(False, today=DAY)[0] != DUE.sql(True, today=DAY)[0]


def test_it_is_built_once_per_variant(forecasts):
    built = []

    def build(today):
        built.append(today)
        return due(True, today)

    prepared = Prepared(build, markers={"today": datetime.date(1, 1, 1)})
    for day in (DAY, DAY, DAY.replace(year=2030)):
        prepared.list(today=day)
    # Built twice when compiled (to see that nothing unmarked changes), then
    # never again.
    assert built == [datetime.date(1, 1, 1)] * 2


def test_value_lists_and_adapted_values(claim, editor):
    ids = Prepared(
        lambda ids: Claim.objects.filter(pk__any=ids).values_list("id", "text"),
        markers={"ids": [-1]},
        adapt={"ids": int_array},
    )
    assert ids.list(ids={claim.pk, 10**9}) == [(claim.pk, claim.text)]
    assert ids.list(ids=[]) == []
    events = Prepared(lambda: Event.objects.select_related("actor").newest_first()[:1])
    [event] = events.list()
    assert event == Event.objects.newest_first().first()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_threads_connection(forecasts):
    # Compiled here, run there: on that thread's connection, which sees the
    # committed rows (this test commits them).
    DUE.list(True, today=DAY)
    found = []

    def other():
        try:
            found.append([row.pk for row in DUE.list(True, today=DAY)])
            found.append(connections["default"])
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    rows, wrapper = found
    assert rows == [forecasts[0].pk]
    assert wrapper is not connections["default"]


@pytest.mark.parametrize(
    ("marker", "count"),
    [(datetime.date(2027, 6, 30), 2), (datetime.date(2001, 1, 1), 0)],
)
def test_a_marker_must_be_one_parameter(db, marker, count):
    # Compiled with a value the builder also uses elsewhere (or never uses):
    # its place in the SQL is not known, and the builder is refused.
    prepared = Prepared(
        lambda today: Claim.objects.filter(resolves_on__lte=today).exclude(
            resolves_on=DAY
        ),
        markers={"today": marker},
    )
    if count == 0:
        prepared = Prepared(
            lambda today: Claim.objects.filter(resolves_on__lte=DAY),
            markers={"today": marker},
        )
    with pytest.raises(ImproperlyConfigured, match=f"is {count} parameters"):
        prepared.list(today=DAY)


def test_the_values_are_named(db):
    with pytest.raises(TypeError, match="takes the values"):
        DUE.list(True, day=DAY)
    with pytest.raises(TypeError, match="takes the values"):
        DUE.list(True)


def test_a_value_read_at_build_time_is_refused(db):
    # Not a marker: it would be frozen into every use.
    from django.utils import timezone

    changing = Prepared(lambda: Claim.objects.filter(updated_at__lte=timezone.now()))
    with pytest.raises(ImproperlyConfigured, match="mark what changes"):
        changing.list()


def test_a_value_of_another_type_than_its_marker_is_refused(db):
    with pytest.raises(TypeError, match="today must be a date, not a datetime"):
        DUE.list(True, today=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))


def test_an_evaluated_template_is_not_served(forecasts):
    # Were the template ever evaluated, its rows must not stand for a use's.
    template = DUE.compiled(True)[0]
    list(template)
    make_claim(forecasts[0].episode, "fully built", resolves_on=DAY)
    assert len(DUE.list(True, today=DAY)) == 2
