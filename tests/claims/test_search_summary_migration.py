"""Migration 0028: the claims that already have a summary are found by it."""

from __future__ import annotations

import pytest
from django.db import connection

BEFORE = ("claims", "0027_published_newest_index")
AFTER = ("claims", "0028_search_covers_summary")


def vector(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM claims_claim WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


# serialized_rollback: as tests/test_history_migration.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_summaries_are_put_in_the_search_vector(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    Show = old.apps.get_model("episodes", "Show")
    Episode = old.apps.get_model("episodes", "Episode")
    Claim = old.apps.get_model("claims", "Claim")
    show = Show.objects.create(name="Show", slug="show")
    episode = Episode.objects.create(
        show=show,
        title="Episode",
        slug="episode",
        source_format="summary",
        source_text="80 times growth",
        source_checksum="0" * 64,
    )
    summed = Claim.objects.create(
        episode=episode,
        text="80 times growth",
        quote="80 times growth",
        summary="Doubling every year",
    )
    plain = Claim.objects.create(episode=episode, text="Growth", quote="80 times")
    plain_before = vector(plain.pk)
    assert "doubl" not in vector(summed.pk)

    migrator.apply_tested_migration(AFTER)
    assert (
        vector(summed.pk)
        == "'80':1A,4B 'doubl':7A 'everi':8A 'growth':3A,6B 'time':2A,5B 'year':9A"
    )
    assert vector(plain.pk) == plain_before

    migrator.apply_tested_migration(BEFORE)
    assert "doubl" not in vector(summed.pk)
