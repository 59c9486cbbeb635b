"""A search index of published claims only (what anonymous searches read).

Built CONCURRENTLY: at a million claims the build takes about a second, and
writes to the claim table go on meanwhile.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0023_single_column_indexes_covered"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(
                    ("approved_at__isnull", False),
                    (
                        "status__in",
                        [
                            "disputed",
                            "false",
                            "misleading",
                            "not_checkable",
                            "unverifiable",
                            "verified",
                        ],
                    ),
                ),
                fields=["search_vector"],
                name="claim_published_search_idx",
            ),
        ),
    ]
