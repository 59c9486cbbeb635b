"""Names found without their accents by the claim search: "Zoe Muller" finds
the claims of Zoë Müller, as "zoe" already found her on the people list.

``unaccent`` is not IMMUTABLE (its dictionary could change), so no index can
use it; ``claimdesk_unaccent`` is the usual immutable wrapper, naming the
extension's schema so that it works under any search_path (pg_dump restores
with an empty one). Trigram indexes on it for names and aliases serve the
claim search's look-up (claims.models._PEOPLE_NAMED), as the plain ones did.
"""

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension"
            " WHERE extname = 'unaccent'"
        )
        schema = cursor.fetchone()[0]
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION claimdesk_unaccent(text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$;
            CREATE INDEX person_name_unaccent_trgm_idx ON people_person
                USING gin (claimdesk_unaccent(name) gin_trgm_ops)
                WITH (fastupdate = off);
            CREATE INDEX alias_name_unaccent_trgm_idx ON people_personalias
                USING gin (claimdesk_unaccent(name) gin_trgm_ops)
                WITH (fastupdate = off);
            """  # noqa: S608 (the extension's schema, from the catalog)
        )


DROP = """
DROP INDEX IF EXISTS alias_name_unaccent_trgm_idx;
DROP INDEX IF EXISTS person_name_unaccent_trgm_idx;
DROP FUNCTION IF EXISTS claimdesk_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0006_unaccent_extension")]

    operations = [
        # Made afresh (a database reset by dropping its tables keeps it).
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS claimdesk_unaccent(text) CASCADE",
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
        migrations.RunSQL(migrations.RunSQL.noop, DROP),
    ]
