"""The quote checks compare the slice only; the source's length is read just to
word the error. With the source stored uncompressed (episodes 0004) a slice
is cheap, while char_length() reads the whole text."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION claims_check_quote_offsets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.quote_start IS NULL THEN
        RETURN NULL;
    END IF;
    -- substr past the end returns a shorter string, which never equals the quote.
    IF (SELECT substr(source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
          FROM episodes_episode WHERE id = NEW.episode_id) IS DISTINCT FROM NEW.quote THEN
        RAISE EXCEPTION 'claim %: the source text at %..% is not the quote (the source has % characters)',
            NEW.id, NEW.quote_start, NEW.quote_end,
            (SELECT char_length(source_text) FROM episodes_episode WHERE id = NEW.episode_id)
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_claim_quote_in_source';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claims_check_mention_offsets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT substr(e.source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
          FROM claims_claim c JOIN episodes_episode e ON e.id = c.episode_id
         WHERE c.id = NEW.claim_id) IS DISTINCT FROM NEW.quote THEN
        RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
            NEW.id, NEW.claim_id, NEW.quote_start, NEW.quote_end
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_mention_quote_in_source';
    END IF;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_change_kind_source"),
        ("episodes", "0004_source_text_external_storage"),
    ]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
