"""One BEFORE trigger for the columns the database keeps on a claim.

The search vector (0010) and the copy of the episode's date (0013) were two
row triggers, two plpgsql calls per inserted claim; an import writes dozens
of claims per episode. One function does both, each only when its inputs
are written.
"""

from django.db import migrations

FORWARD = """
DROP TRIGGER claims_claim_search_vector ON claims_claim;
DROP TRIGGER claims_claim_episode_date ON claims_claim;

CREATE OR REPLACE FUNCTION claims_claim_derived_columns() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text
       OR NEW.quote IS DISTINCT FROM OLD.quote THEN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'B');
    END IF;
    IF TG_OP = 'INSERT' OR NEW.episode_id IS DISTINCT FROM OLD.episode_id
       OR NEW.episode_date IS DISTINCT FROM OLD.episode_date THEN
        NEW.episode_date := coalesce(
            (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),
            DATE '0001-01-01');
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER claims_claim_derived_columns
    BEFORE INSERT OR UPDATE OF text, quote, episode_id, episode_date ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_derived_columns();
"""

REVERSE = """
DROP TRIGGER claims_claim_derived_columns ON claims_claim;
DROP FUNCTION claims_claim_derived_columns();
CREATE TRIGGER claims_claim_search_vector
    BEFORE INSERT OR UPDATE OF text, quote ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector();
CREATE TRIGGER claims_claim_episode_date
    BEFORE INSERT OR UPDATE OF episode_id, episode_date ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_episode_date();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_episode_date_triggers")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
