"""Check the quotes of inserted claims and mentions once per INSERT statement.

An import inserts an episode's claims and mentions in bulk; a statement-level
trigger over the transition table checks them all in one query instead of one
plpgsql call and sub-query per row. Updates keep the row-level, deferrable
constraint triggers (an in-place correction moves quotes and source together
and is checked at commit).
"""

from django.db import migrations

FORWARD = """
DROP TRIGGER claims_claim_quote_in_source ON claims_claim;
CREATE CONSTRAINT TRIGGER claims_claim_quote_in_source
    AFTER UPDATE OF quote, quote_start, quote_end, episode_id ON claims_claim
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_quote_offsets();

DROP TRIGGER claims_mention_quote_in_source ON claims_mention;
CREATE CONSTRAINT TRIGGER claims_mention_quote_in_source
    AFTER UPDATE OF quote, quote_start, quote_end, claim_id ON claims_mention
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_mention_offsets();

CREATE OR REPLACE FUNCTION claims_check_inserted_quotes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.quote_start, n.quote_end, char_length(e.source_text) AS length
      INTO bad
      FROM new_rows n JOIN episodes_episode e ON e.id = n.episode_id
     WHERE n.quote_start IS NOT NULL
       AND substr(e.source_text, n.quote_start + 1, n.quote_end - n.quote_start)
           IS DISTINCT FROM n.quote
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'claim %: the source text at %..% is not the quote (the source has % characters)',
            bad.id, bad.quote_start, bad.quote_end, bad.length
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_claim_quote_in_source';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER claims_claim_inserted_quotes
    AFTER INSERT ON claims_claim
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claims_check_inserted_quotes();

CREATE OR REPLACE FUNCTION claims_check_inserted_mentions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.claim_id, n.quote_start, n.quote_end INTO bad
      FROM new_rows n
      JOIN claims_claim c ON c.id = n.claim_id
      JOIN episodes_episode e ON e.id = c.episode_id
     WHERE substr(e.source_text, n.quote_start + 1, n.quote_end - n.quote_start)
           IS DISTINCT FROM n.quote
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
            bad.id, bad.claim_id, bad.quote_start, bad.quote_end
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_mention_quote_in_source';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER claims_mention_inserted_quotes
    AFTER INSERT ON claims_mention
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claims_check_inserted_mentions();
"""

REVERSE = """
DROP TRIGGER claims_claim_inserted_quotes ON claims_claim;
DROP TRIGGER claims_mention_inserted_quotes ON claims_mention;
DROP FUNCTION claims_check_inserted_quotes();
DROP FUNCTION claims_check_inserted_mentions();
DROP TRIGGER claims_claim_quote_in_source ON claims_claim;
CREATE CONSTRAINT TRIGGER claims_claim_quote_in_source
    AFTER INSERT OR UPDATE OF quote, quote_start, quote_end, episode_id ON claims_claim
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_quote_offsets();
DROP TRIGGER claims_mention_quote_in_source ON claims_mention;
CREATE CONSTRAINT TRIGGER claims_mention_quote_in_source
    AFTER INSERT OR UPDATE OF quote, quote_start, quote_end, claim_id ON claims_mention
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_mention_offsets();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_cheaper_quote_checks")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
