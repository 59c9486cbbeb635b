"""Store episode sources uncompressed, out of line.

Claim and mention quotes are checked against ``substr(source_text, …)`` by
triggers, once per inserted row. On a compressed value every substr
decompresses the whole source (a one-hour transcript is ~40 KB); with
STORAGE EXTERNAL PostgreSQL fetches only the slice it needs. Costs disk,
saves the import's time (docs/performance.md). Applies to rows written from
now on.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("episodes", "0003_trigram_name_indexes")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE episodes_episode ALTER COLUMN source_text SET STORAGE EXTERNAL",
            "ALTER TABLE episodes_episode ALTER COLUMN source_text SET STORAGE EXTENDED",
        )
    ]
