"""claim_speaker_idx in the lists' order: (speaker, then claim_newest_idx's
key), quote_start included, so that a speaker's page of the admin list is a
walk of 50 index entries rather than a fetch and sort of all their claims.
Still leads with the speaker: it serves the foreign key as before.

Rebuilt CONCURRENTLY, as 0025.
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
        ("claims", "0025_newest_index_covers_quote_start"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="claim", name="claim_speaker_idx"),
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(
                models.F("speaker"),
                models.OrderBy(models.F("episode_date"), descending=True),
                models.OrderBy(models.F("episode_id"), descending=True),
                django.db.models.functions.comparison.Coalesce("quote_start", 0),
                models.F("id"),
                include=("quote_start",),
                name="claim_speaker_idx",
            ),
        ),
    ]
