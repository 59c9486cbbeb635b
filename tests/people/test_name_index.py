"""The name trigram indexes take new names at once (no GIN pending list):
a bulk load of people left 5,000 names pending, read in full by every
name look-up until a VACUUM (11-13 ms instead of 1 per claim search)."""

from __future__ import annotations

from django.db import connection


def test_the_name_indexes_have_no_pending_list(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class"
            " WHERE relname IN ('person_name_trgm_idx', 'alias_name_trgm_idx',"
            " 'person_name_unaccent_trgm_idx', 'alias_name_unaccent_trgm_idx')"
            " ORDER BY relname"
        )
        assert cursor.fetchall() == [
            ("alias_name_trgm_idx", ["fastupdate=off"]),
            ("alias_name_unaccent_trgm_idx", ["fastupdate=off"]),
            ("person_name_trgm_idx", ["fastupdate=off"]),
            ("person_name_unaccent_trgm_idx", ["fastupdate=off"]),
        ]
