"""Rules the database keeps whatever the caller: append-only history, quotes that
match their offsets in the episode source."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION claimdesk_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Add a new row (a note or a status change) instead.';
END $$;

CREATE TRIGGER claims_reviewnote_append_only
    BEFORE UPDATE OR DELETE ON claims_reviewnote
    FOR EACH ROW EXECUTE FUNCTION claimdesk_refuse_change();
CREATE TRIGGER claims_statuschange_append_only
    BEFORE UPDATE OR DELETE ON claims_statuschange
    FOR EACH ROW EXECUTE FUNCTION claimdesk_refuse_change();
"""

APPEND_ONLY_REVERSE = """
DROP TRIGGER IF EXISTS claims_reviewnote_append_only ON claims_reviewnote;
DROP TRIGGER IF EXISTS claims_statuschange_append_only ON claims_statuschange;
DROP FUNCTION IF EXISTS claimdesk_refuse_change();
"""

# Offsets are code-point indices, end exclusive, as Python slices them; PostgreSQL's
# substr counts characters of UTF-8 text the same way. Constraint triggers,
# DEFERRABLE: an importer that rewrites a source and its claims' offsets together
# may `SET CONSTRAINTS ... DEFERRED` and be checked at commit.
QUOTE_OFFSETS = """
CREATE OR REPLACE FUNCTION claims_check_quote_offsets() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    src text;
BEGIN
    IF NEW.quote_start IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT source_text INTO src FROM episodes_episode WHERE id = NEW.episode_id;
    IF NEW.quote_end > char_length(src) THEN
        RAISE EXCEPTION 'claim %: quote offsets %..% lie outside the episode source (% characters)',
            NEW.id, NEW.quote_start, NEW.quote_end, char_length(src)
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_claim_quote_in_source';
    END IF;
    IF substr(src, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start) <> NEW.quote THEN
        RAISE EXCEPTION 'claim %: the source text at %..% is not the quote',
            NEW.id, NEW.quote_start, NEW.quote_end
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'claims_claim_quote_in_source';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER claims_claim_quote_in_source
    AFTER INSERT OR UPDATE OF quote, quote_start, quote_end, episode_id ON claims_claim
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_quote_offsets();

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
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'episode %: the new source text no longer holds the quote of claim %',
            NEW.id, bad
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'episodes_episode_source_holds_quotes';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER episodes_episode_source_holds_quotes
    AFTER UPDATE OF source_text ON episodes_episode
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION claims_check_source_keeps_quotes();
"""

QUOTE_OFFSETS_REVERSE = """
DROP TRIGGER IF EXISTS claims_claim_quote_in_source ON claims_claim;
DROP TRIGGER IF EXISTS episodes_episode_source_holds_quotes ON episodes_episode;
DROP FUNCTION IF EXISTS claims_check_quote_offsets();
DROP FUNCTION IF EXISTS claims_check_source_keeps_quotes();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("episodes", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY, APPEND_ONLY_REVERSE),
        migrations.RunSQL(QUOTE_OFFSETS, QUOTE_OFFSETS_REVERSE),
    ]
