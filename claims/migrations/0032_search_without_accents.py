"""Claims' search without accents: a text search configuration,
``claimdesk_english`` (PostgreSQL's English with the ``unaccent`` dictionary
before the stemmer), for the search vectors the trigger keeps and for every
search of them; the stored vectors made again with it.

Remaking the vectors rewrites every claim: 12.0 s at 200,000 claims
on the embedded server (each new row version goes into every index of the
table; claims can be read meanwhile, not changed). ``search_vector`` is
bookkeeping: no version bump, no event in the log, no change to what
readers are told changed.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


# Made afresh (a database reset by dropping its tables keeps it).
CREATE_CONFIG = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS claimdesk_english;
CREATE TEXT SEARCH CONFIGURATION claimdesk_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION claimdesk_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS claimdesk_english"


def vectors(config: str) -> str:
    """Every claim's vector as the trigger (claims.dbrules) makes it.

    Under the workflow's mark, as the generator writes: the log triggers
    then skip the statement at once instead of comparing a million old and
    new rows to find that only bookkeeping changed (nothing they would log):
    49 s → 10 s at 200,000 claims. The mark is cleared after it. The
    column's statistics are made again with it: the admin search's bound
    (ClaimQuerySet.search_statistics) reads its most common words, which
    would otherwise be the old ones until autovacuum's next ANALYZE."""
    return f"""
SELECT set_config('claimdesk.workflow', 'on', true);
UPDATE claims_claim
   SET search_vector =
       setweight(to_tsvector('{config}', coalesce(text, '')), 'A')
       || setweight(to_tsvector('{config}', coalesce(quote, '')), 'B')
       || CASE WHEN coalesce(summary, '') <> ''
               THEN setweight(to_tsvector('{config}', summary), 'A')
               ELSE ''::tsvector END;
SELECT set_config('claimdesk.workflow', '', true);
ANALYZE claims_claim (search_vector);
"""  # noqa: S608 (a fixed name)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0031_published_changed_index"),
        ("people", "0006_unaccent_extension"),
    ]

    operations = [
        migrations.RunSQL(CREATE_CONFIG, DROP_CONFIG),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="derived_columns_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="claim",
            name="derived_columns_update",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="derived_columns_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE words tsvector;",
                    func="\nIF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text\n   OR NEW.quote IS DISTINCT FROM OLD.quote\n   OR NEW.summary IS DISTINCT FROM OLD.summary THEN\n    words := to_tsvector('claimdesk_english', coalesce(NEW.text, ''));\n    NEW.search_vector := setweight(words, 'A') || setweight(\n        CASE WHEN NEW.quote IS NOT DISTINCT FROM NEW.text THEN words\n             ELSE to_tsvector('claimdesk_english', coalesce(NEW.quote, '')) END, 'B');\n    IF coalesce(NEW.summary, '') <> '' THEN\n        NEW.search_vector := NEW.search_vector\n            || setweight(to_tsvector('claimdesk_english', NEW.summary), 'A');\n    END IF;\nEND IF;\nIF TG_OP = 'INSERT' OR NEW.episode_id IS DISTINCT FROM OLD.episode_id\n   OR NEW.episode_date IS DISTINCT FROM OLD.episode_date THEN\n    NEW.episode_date := coalesce(\n        (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),\n        DATE '0001-01-01');\nEND IF;\nIF NEW.claimant_id = NEW.speaker_id THEN\n    NEW.claimant_id := NULL;\nEND IF;\nRETURN NEW;\n",
                    hash="f5c990918166b7157515c80aee562365e7f55ebf",
                    operation="INSERT",
                    pgid="pgtrigger_derived_columns_insert_62ad2",
                    table="claims_claim",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="derived_columns_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.quote IS DISTINCT FROM NEW.quote OR OLD.summary IS DISTINCT FROM NEW.summary OR OLD.episode_id IS DISTINCT FROM NEW.episode_id OR OLD.episode_date IS DISTINCT FROM NEW.episode_date OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.claimant_id IS DISTINCT FROM NEW.claimant_id)",
                    declare="DECLARE words tsvector;",
                    func="\nIF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text\n   OR NEW.quote IS DISTINCT FROM OLD.quote\n   OR NEW.summary IS DISTINCT FROM OLD.summary THEN\n    words := to_tsvector('claimdesk_english', coalesce(NEW.text, ''));\n    NEW.search_vector := setweight(words, 'A') || setweight(\n        CASE WHEN NEW.quote IS NOT DISTINCT FROM NEW.text THEN words\n             ELSE to_tsvector('claimdesk_english', coalesce(NEW.quote, '')) END, 'B');\n    IF coalesce(NEW.summary, '') <> '' THEN\n        NEW.search_vector := NEW.search_vector\n            || setweight(to_tsvector('claimdesk_english', NEW.summary), 'A');\n    END IF;\nEND IF;\nIF TG_OP = 'INSERT' OR NEW.episode_id IS DISTINCT FROM OLD.episode_id\n   OR NEW.episode_date IS DISTINCT FROM OLD.episode_date THEN\n    NEW.episode_date := coalesce(\n        (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),\n        DATE '0001-01-01');\nEND IF;\nIF NEW.claimant_id = NEW.speaker_id THEN\n    NEW.claimant_id := NULL;\nEND IF;\nRETURN NEW;\n",
                    hash="5c59b371b6edef7e5f1c656fbe3c83b3bd316a70",
                    operation="UPDATE",
                    pgid="pgtrigger_derived_columns_update_5d375",
                    table="claims_claim",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunSQL(vectors("claimdesk_english"), vectors("english")),
    ]
