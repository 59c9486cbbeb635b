"""Keep Claim.search_vector current in the database, whoever writes.

The claim text weighs more (A) than the quote (B). A BEFORE trigger covers
the ORM, bulk inserts and raw SQL alike; existing rows are filled once here.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION claims_claim_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'B');
    RETURN NEW;
END $$;

CREATE TRIGGER claims_claim_search_vector
    BEFORE INSERT OR UPDATE OF text, quote ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector();

UPDATE claims_claim SET text = text;
"""

REVERSE = """
DROP TRIGGER IF EXISTS claims_claim_search_vector ON claims_claim;
DROP FUNCTION IF EXISTS claims_claim_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_search_vector")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
