"""Keep Claim.episode_date equal to its episode's date, whoever writes.

A claim takes its episode's date when it is inserted or moved to another
episode; a change of an episode's date is copied to its claims. Undated
episodes sort last (0001-01-01). Existing rows are filled here.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION claims_claim_episode_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.episode_date := coalesce(
        (SELECT published_on FROM episodes_episode WHERE id = NEW.episode_id),
        DATE '0001-01-01');
    RETURN NEW;
END $$;

CREATE TRIGGER claims_claim_episode_date
    BEFORE INSERT OR UPDATE OF episode_id, episode_date ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_episode_date();

CREATE OR REPLACE FUNCTION episodes_episode_date_to_claims() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claims_claim
       SET episode_date = coalesce(NEW.published_on, DATE '0001-01-01')
     WHERE episode_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER episodes_episode_date_to_claims
    AFTER UPDATE OF published_on ON episodes_episode
    FOR EACH ROW WHEN (OLD.published_on IS DISTINCT FROM NEW.published_on)
    EXECUTE FUNCTION episodes_episode_date_to_claims();

UPDATE claims_claim c
   SET episode_date = coalesce(e.published_on, DATE '0001-01-01')
  FROM episodes_episode e
 WHERE e.id = c.episode_id;
"""

REVERSE = """
DROP TRIGGER IF EXISTS claims_claim_episode_date ON claims_claim;
DROP TRIGGER IF EXISTS episodes_episode_date_to_claims ON episodes_episode;
DROP FUNCTION IF EXISTS claims_claim_episode_date();
DROP FUNCTION IF EXISTS episodes_episode_date_to_claims();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_episode_date"),
        ("episodes", "0004_source_text_external_storage"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
