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
def test_outside_a_transaction_the_blocks_commit_ends_the_settings(
    django_assert_num_queries,
):
    # BEGIN, the settings, the query, COMMIT: nothing to put them back.
    with django_assert_num_queries(4), planner_without("enable_seqscan"):
        assert setting("enable_seqscan") == "off"
    assert not connection.in_atomic_block
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
