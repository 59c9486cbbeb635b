"""Mentions obey the same rule as claims: the quote is the source text at its
offsets; and a source text may not change under a mention's quote either."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION claims_check_mention_offsets() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    src text;
BEGIN
    SELECT e.source_text INTO src
      FROM claims_claim c JOIN episodes_episode e ON e.id = c.episode_id
     WHERE c.id = NEW.claim_id;
    IF NEW.quote_end > char_length(src)
       OR substr(src, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start) <> NEW.quote THEN
        RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
            NEW.id, NEW.claim_id, NEW.quote_start, NEW.quote_end
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_mention_quote_in_source';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER claims_mention_quote_in_source
    AFTER INSERT OR UPDATE OF quote, quote_start, quote_end, claim_id ON claims_mention
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_mention_offsets();

CREATE OR REPLACE FUNCTION claims_check_source_keeps_quotes() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad bigint;
BEGIN
    SELECT c.id INTO bad FROM claims_claim c
     WHERE c.episode_id = NEW.id AND c.quote_start IS NOT NULL
       AND (c.quote_end > char_length(NEW.source_text)
            OR substr(NEW.source_text, c.quote_start + 1, c.quote_end - c.quote_start) <> c.quote)
     LIMIT 1;
    IF bad IS NULL THEN
        SELECT m.claim_id INTO bad FROM claims_mention m
          JOIN claims_claim c ON c.id = m.claim_id
         WHERE c.episode_id = NEW.id
           AND (m.quote_end > char_length(NEW.source_text)
                OR substr(NEW.source_text, m.quote_start + 1, m.quote_end - m.quote_start) <> m.quote)
         LIMIT 1;
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'episode %: the new source text no longer holds the quote of claim %',
            NEW.id, bad
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'episodes_episode_source_holds_quotes';
    END IF;
    RETURN NULL;
END $$;
"""

REVERSE = """
DROP TRIGGER IF EXISTS claims_mention_quote_in_source ON claims_mention;
DROP FUNCTION IF EXISTS claims_check_mention_offsets();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_mentions_reasons_resolves_on")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
