"""claim_newest_idx carries quote_start (INCLUDE), so that walking the
list's order is an index-only scan (the index's Coalesce(quote_start, 0)
alone does not give the planner the column).

Rebuilt CONCURRENTLY: dropped and built again without locking out writes
(about two seconds at a million claims; the lists run meanwhile on a sort).
"""

import django.db.models.functions.comparison
from django.contrib.postgres.operations import (
    AddIndexConcurrently,
    RemoveIndexConcurrently,
)
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0024_published_search_index"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="claim", name="claim_newest_idx"),
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(
                models.OrderBy(models.F("episode_date"), descending=True),
                models.OrderBy(models.F("episode_id"), descending=True),
                django.db.models.functions.comparison.Coalesce("quote_start", 0),
                models.F("id"),
                include=("quote_start",),
                name="claim_newest_idx",
            ),
        ),
    ]
