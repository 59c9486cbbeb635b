"""claimdesk.planner: planner methods off for one block, back on after."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from claimdesk.planner import planner_without
from claims.models import Claim


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_methods_are_off_inside_and_on_after_even_inside_a_transaction():
    with transaction.atomic():
        with planner_without("enable_seqscan", "enable_sort"):
            assert setting("enable_seqscan") == "off"
            assert setting("enable_sort") == "off"
            assert setting("enable_bitmapscan") == "on"
        # Still in the outer transaction, where SET LOCAL would have lasted.
        assert setting("enable_seqscan") == "on"
        assert setting("enable_sort") == "on"


@pytest.mark.django_db
def test_an_error_inside_puts_the_settings_back():
    with pytest.raises(ZeroDivisionError), planner_without("enable_bitmapscan"):
        1 / 0  # noqa: B018
    assert setting("enable_bitmapscan") == "on"


def test_only_known_planner_methods_can_be_set():
    with (
        pytest.raises(ValueError, match="Not a planner method"),
        planner_without("work_mem; DROP TABLE claims_claim"),
    ):
        pass


@pytest.mark.django_db
def test_a_search_leaves_the_planner_as_it_was(episode):
    list(Claim.objects.search("Dario Amodei"))
    assert setting("enable_seqscan") == "on"


# serialized_rollback, as every transactional test here: the flush after a
# test without it recreates the content types, and the next test that
# restores the migrations' rows would then collide with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_each_query_carries_the_settings_in_one_round_trip(
    django_assert_num_queries,
):
    # One statement sent: the settings and the query in one string, which
    # PostgreSQL runs as one implicit transaction (no BEGIN, no COMMIT).
    with django_assert_num_queries(1) as sent, planner_without("enable_seqscan"):
        assert setting("enable_seqscan") == "off"
    assert sent.captured_queries[0]["sql"] == (
        "SET LOCAL enable_seqscan TO off; SHOW enable_seqscan"
    )
    assert not connection.in_atomic_block
    # The settings ended with the query's implicit transaction.
    assert setting("enable_seqscan") == "on"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_cursor_reads_the_querys_own_rows():
    Claim.objects.all().delete()
    with planner_without("enable_indexscan", "enable_sort"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n, current_setting('enable_indexscan'), "
                "current_setting('enable_sort'), current_setting('enable_seqscan') "
                "FROM generate_series(1, %s) AS n",
                [3],
            )
            assert cursor.fetchall() == [(n, "off", "off", "on") for n in (1, 2, 3)]
        # An ORM query, as the pages run them, and a nested block.
        with planner_without("enable_seqscan"):
            assert Claim.objects.count() == 0
            assert setting("enable_seqscan") == "off"
            assert setting("enable_sort") == "off"
    assert setting("enable_sort") == "on"
    assert setting("enable_seqscan") == "on"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_failing_query_leaves_nothing_behind():
    from django.db import DataError

    with (
        pytest.raises(DataError),
        planner_without("enable_seqscan"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    # The connection is usable and the setting is back.
    assert setting("enable_seqscan") == "on"
    assert not connection.needs_rollback


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_executemany_is_refused_rather_than_run_with_the_default_planner():
    with (
        pytest.raises(ValueError, match="executemany"),
        planner_without("enable_seqscan"),
        connection.cursor() as cursor,
    ):
        cursor.executemany("SELECT %s", [[1], [2]])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_iterators_server_side_cursor_is_refused_too():
    with (
        pytest.raises(ValueError, match="iterator"),
        planner_without("enable_seqscan"),
    ):
        list(Claim.objects.iterator())
    assert setting("enable_seqscan") == "on"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_autocommit_off_the_settings_are_put_back():
    transaction.set_autocommit(False)
    try:
        with planner_without("enable_sort"):
            assert setting("enable_sort") == "off"
        # atomic() does not commit here: the transaction goes on.
        assert setting("enable_sort") == "on"
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_atomic_block_inside_rolls_back_to_its_savepoints():
    from django.db import IntegrityError

    from episodes.models import Show

    Show.objects.create(name="S", slug="s")
    with planner_without("enable_seqscan"), transaction.atomic():
        try:
            with transaction.atomic():
                Show.objects.create(name="S", slug="s")  # the slug is taken
        except IntegrityError:
            pass
        # The outer transaction goes on, with the settings.
        assert not connection.needs_rollback
        Show.objects.create(name="T", slug="t")
        assert setting("enable_seqscan") == "off"
    assert set(Show.objects.values_list("slug", flat=True)) >= {"s", "t"}
    assert setting("enable_seqscan") == "on"
