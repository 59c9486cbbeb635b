"""The search covers a claim's summary (the headline readers see), weighted
as its text: the derived_columns triggers write it, and the claims that
already have a summary get it in their vector here."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

# The claims that have a summary get it in their search vector, as the
# trigger above now writes it (it runs when text, quote or summary change;
# here none does). Only the vector changes: a bookkeeping column, so no
# version and no event (claims.dbrules.CLAIM_BOOKKEEPING).
WITH_SUMMARY = """
UPDATE claims_claim
   SET search_vector = setweight(to_tsvector('english', coalesce(text, '')), 'A')
       || setweight(to_tsvector('english', coalesce(quote, '')), 'B')
       || setweight(to_tsvector('english', summary), 'A')
 WHERE summary <> ''
"""
WITHOUT_SUMMARY = """
UPDATE claims_claim
   SET search_vector = setweight(to_tsvector('english', coalesce(text, '')), 'A')
       || setweight(to_tsvector('english', coalesce(quote, '')), 'B')
 WHERE summary <> ''
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0027_published_newest_index"),
    ]

    operations = [
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
                    func="\nIF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text\n   OR NEW.quote IS DISTINCT FROM OLD.quote\n   OR NEW.summary IS DISTINCT FROM OLD.summary THEN\n    words := to_tsvector('english', coalesce(NEW.text, ''));\n    NEW.search_vector := setweight(words, 'A') || setweight(\n        CASE WHEN NEW.quote IS NOT DISTINCT FROM NEW.text THEN words\n             ELSE to_tsvector('english', coalesce(NEW.quote, '')) END, 'B');\n    IF coalesce(NEW.summary, '') <> '' THEN\n        NEW.search_vector := NEW.search_vector\n            || setweight(to_tsvector('english', NEW.summary), 'A');\n    END IF;\nEND IF;\nIF TG_OP = 'INSERT' OR NEW.episode_id IS DISTINCT FROM OLD.episode_id\n   OR NEW.episode_date IS DISTINCT FROM OLD.episode_date THEN\n    NEW.episode_date := coalesce(\n        (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),\n        DATE '0001-01-01');\nEND IF;\nIF NEW.claimant_id = NEW.speaker_id THEN\n    NEW.claimant_id := NULL;\nEND IF;\nRETURN NEW;\n",
                    hash="fd44b7d916c24e98a0f85a6db771260eaeb1949e",
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
                    func="\nIF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text\n   OR NEW.quote IS DISTINCT FROM OLD.quote\n   OR NEW.summary IS DISTINCT FROM OLD.summary THEN\n    words := to_tsvector('english', coalesce(NEW.text, ''));\n    NEW.search_vector := setweight(words, 'A') || setweight(\n        CASE WHEN NEW.quote IS NOT DISTINCT FROM NEW.text THEN words\n             ELSE to_tsvector('english', coalesce(NEW.quote, '')) END, 'B');\n    IF coalesce(NEW.summary, '') <> '' THEN\n        NEW.search_vector := NEW.search_vector\n            || setweight(to_tsvector('english', NEW.summary), 'A');\n    END IF;\nEND IF;\nIF TG_OP = 'INSERT' OR NEW.episode_id IS DISTINCT FROM OLD.episode_id\n   OR NEW.episode_date IS DISTINCT FROM OLD.episode_date THEN\n    NEW.episode_date := coalesce(\n        (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),\n        DATE '0001-01-01');\nEND IF;\nIF NEW.claimant_id = NEW.speaker_id THEN\n    NEW.claimant_id := NULL;\nEND IF;\nRETURN NEW;\n",
                    hash="a8f154fce92243a2628430f201f41e488b041b0c",
                    operation="UPDATE",
                    pgid="pgtrigger_derived_columns_update_5d375",
                    table="claims_claim",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.RunSQL(WITH_SUMMARY, WITHOUT_SUMMARY),
    ]
