"""The name trigram indexes without GIN's pending list (fastupdate off).

With fastupdate on, new names wait in a pending list that every look-up
reads in full until a VACUUM flushes it; after a bulk load of 5,000 people a
claim search's name look-up took 11-13 ms instead of 1. The indexes are
altered in place (ALTER INDEX … SET), not rebuilt, and any names already
pending are moved into the index (gin_clean_pending_list).
"""

import django.contrib.postgres.indexes
from django.db import migrations

INDEXES = ("person_name_trgm_idx", "alias_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_profile_url"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        *(
                            f"ALTER INDEX {name} SET (fastupdate = off)"
                            for name in INDEXES
                        ),
                        *(
                            f"SELECT gin_clean_pending_list('{name}')"
                            for name in INDEXES
                        ),
                    ],
                    reverse_sql=[
                        f"ALTER INDEX {name} RESET (fastupdate)" for name in INDEXES
                    ],
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(
                    model_name="person", name="person_name_trgm_idx"
                ),
                migrations.RemoveIndex(
                    model_name="personalias", name="alias_name_trgm_idx"
                ),
                migrations.AddIndex(
                    model_name="person",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False,
                        fields=["name"],
                        name="person_name_trgm_idx",
                        opclasses=["gin_trgm_ops"],
                    ),
                ),
                migrations.AddIndex(
                    model_name="personalias",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False,
                        fields=["name"],
                        name="alias_name_trgm_idx",
                        opclasses=["gin_trgm_ops"],
                    ),
                ),
            ],
        ),
    ]
