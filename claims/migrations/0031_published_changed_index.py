"""claim_published_changed_idx: the latest change readers see, over every
published claim, for the ClaimReview feed's dateModified (its first page
said only its own claims' latest, and missed a change to a claim further
on). Partial: one entry per published claim. Built CONCURRENTLY, as 0025 to
0027, without blocking writes.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0030_published_changed_at"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="claim",
            index=models.Index(
                models.OrderBy(models.F("published_changed_at"), descending=True),
                condition=models.Q(("published_changed_at__isnull", False)),
                name="claim_published_changed_idx",
            ),
        ),
    ]
