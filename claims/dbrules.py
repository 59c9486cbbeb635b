"""Every rule the database enforces with a trigger, in one file.

Check constraints stay in each model's ``Meta``; everything that needs a
trigger is declared here, in Python, with django-pgtrigger, and registered on
its model when the claims app is ready (``ClaimsConfig.ready``). ``manage.py
makemigrations`` writes them into migrations like any other schema change, so
the trigger code is versioned and reviewed with the code that relies on it.

The rules, by table:

claims_claim
    ``quote_in_source`` / ``inserted_quotes``: a claim's quote is the episode
    source at its offsets (checked per row on UPDATE, deferrable so a
    corrected source and its moved quotes are checked together at commit;
    once per statement on INSERT, so an import's bulk insert is one query).
    ``derived_columns``: the search vector, the copy of the episode's date,
    and no claimant when the speaker is the claimant.
    ``version``: any change of what a claim says bumps its version, whoever
    writes it, so a form opened before a raw fix sees a conflict.
claims_mention
    ``quote_in_source`` / ``inserted_quotes``: as for claims.
claims_reviewnote, claims_statuschange
    ``append_only``: UPDATE and DELETE are refused.
episodes_episode
    ``source_holds_quotes``: the source text cannot change under a quote.
    ``date_to_claims``: a new episode date is copied to its claims.

Each trigger function is prefixed by pgtrigger's own check of
``pgtrigger.ignore``; nothing in Claimdesk sets it.
"""

from __future__ import annotations

import pgtrigger
from django.db import models

# --- shared SQL -------------------------------------------------------------

_APPEND_ONLY = """
RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Add a new row instead.';
"""

# substr past the end returns a shorter string, which never equals the quote;
# the source's length is read only to word the error.
_CLAIM_QUOTE = """
IF NEW.quote_start IS NULL THEN
    RETURN NULL;
END IF;
IF (SELECT substr(source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
      FROM episodes_episode WHERE id = NEW.episode_id) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'claim %: the source text at %..% is not the quote (the source has % characters)',
        NEW.id, NEW.quote_start, NEW.quote_end,
        (SELECT char_length(source_text) FROM episodes_episode WHERE id = NEW.episode_id)
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_claim_quote_in_source';
END IF;
RETURN NULL;
"""

_CLAIM_QUOTES_INSERTED = """
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
"""

_MENTION_QUOTE = """
IF (SELECT substr(e.source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
      FROM claims_claim c JOIN episodes_episode e ON e.id = c.episode_id
     WHERE c.id = NEW.claim_id) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
        NEW.id, NEW.claim_id, NEW.quote_start, NEW.quote_end
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_mention_quote_in_source';
END IF;
RETURN NULL;
"""

_MENTION_QUOTES_INSERTED = """
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
"""

_SOURCE_HOLDS_QUOTES = """
SELECT c.id INTO bad FROM claims_claim c
 WHERE c.episode_id = NEW.id AND c.quote_start IS NOT NULL
   AND substr(NEW.source_text, c.quote_start + 1, c.quote_end - c.quote_start)
       IS DISTINCT FROM c.quote
 LIMIT 1;
IF bad IS NULL THEN
    SELECT m.claim_id INTO bad FROM claims_mention m
      JOIN claims_claim c ON c.id = m.claim_id
     WHERE c.episode_id = NEW.id
       AND substr(NEW.source_text, m.quote_start + 1, m.quote_end - m.quote_start)
           IS DISTINCT FROM m.quote
     LIMIT 1;
END IF;
IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'episode %: the new source text no longer holds the quote of claim %',
        NEW.id, bad
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'episodes_episode_source_holds_quotes';
END IF;
RETURN NULL;
"""

_DATE_TO_CLAIMS = """
UPDATE claims_claim
   SET episode_date = coalesce(NEW.published_on, DATE '0001-01-01')
 WHERE episode_id = NEW.id;
RETURN NULL;
"""

# Text weighs more (A) than the quote (B) in the claim list's search. Undated
# episodes sort last (0001-01-01). A claimant who is the speaker is no
# separate claimant (a merge of two people can make one).
_DERIVED_COLUMNS = """
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
IF NEW.claimant_id = NEW.speaker_id THEN
    NEW.claimant_id := NULL;
END IF;
RETURN NEW;
"""

# Columns the database keeps itself, or that record the write; a change of
# any other column is a change of the claim.
CLAIM_BOOKKEEPING = ("version", "updated_at", "search_vector", "episode_date")


def _distinct(model: type[models.Model], exclude: tuple[str, ...]) -> str:
    """SQL: OLD and NEW differ in a column of ``model`` not in ``exclude``."""
    columns = [
        field.column
        for field in model._meta.concrete_fields
        if field.column not in exclude
    ]
    return " OR ".join(
        f'OLD."{column}" IS DISTINCT FROM NEW."{column}"' for column in columns
    )


def append_only(name: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func=_APPEND_ONLY,
    )


def claim_triggers(claim: type[models.Model]) -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="quote_in_source",
            when=pgtrigger.After,
            operation=pgtrigger.UpdateOf(
                "quote", "quote_start", "quote_end", "episode_id"
            ),
            timing=pgtrigger.Immediate,
            func=_CLAIM_QUOTE,
        ),
        pgtrigger.Trigger(
            name="inserted_quotes",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            declare=[("bad", "record")],
            func=_CLAIM_QUOTES_INSERTED,
        ),
        pgtrigger.Trigger(
            name="derived_columns_insert",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            func=_DERIVED_COLUMNS,
        ),
        pgtrigger.Trigger(
            name="derived_columns_update",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                "OLD.text IS DISTINCT FROM NEW.text"
                " OR OLD.quote IS DISTINCT FROM NEW.quote"
                " OR OLD.episode_id IS DISTINCT FROM NEW.episode_id"
                " OR OLD.episode_date IS DISTINCT FROM NEW.episode_date"
                " OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id"
                " OR OLD.claimant_id IS DISTINCT FROM NEW.claimant_id"
            ),
            func=_DERIVED_COLUMNS,
        ),
        pgtrigger.Trigger(
            name="version",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                "OLD.version = NEW.version AND ("
                + _distinct(claim, CLAIM_BOOKKEEPING)
                + ")"
            ),
            func="NEW.version := OLD.version + 1; NEW.updated_at := now(); RETURN NEW;",
        ),
    ]


def mention_triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="quote_in_source",
            when=pgtrigger.After,
            operation=pgtrigger.UpdateOf(
                "quote", "quote_start", "quote_end", "claim_id"
            ),
            timing=pgtrigger.Immediate,
            func=_MENTION_QUOTE,
        ),
        pgtrigger.Trigger(
            name="inserted_quotes",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            declare=[("bad", "record")],
            func=_MENTION_QUOTES_INSERTED,
        ),
    ]


def episode_triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="source_holds_quotes",
            when=pgtrigger.After,
            operation=pgtrigger.UpdateOf("source_text"),
            timing=pgtrigger.Immediate,
            declare=[("bad", "bigint")],
            func=_SOURCE_HOLDS_QUOTES,
        ),
        pgtrigger.Trigger(
            name="date_to_claims",
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                "OLD.published_on IS DISTINCT FROM NEW.published_on"
            ),
            func=_DATE_TO_CLAIMS,
        ),
    ]


# Constraint triggers a corrected-source import defers to its commit.
DEFERRABLE = (
    ("claims.Claim", "quote_in_source"),
    ("claims.Mention", "quote_in_source"),
    ("episodes.Episode", "source_holds_quotes"),
)


def register() -> None:
    """Register every trigger on its model (``ClaimsConfig.ready``)."""
    from django.apps import apps

    claim = apps.get_model("claims", "Claim")
    pgtrigger.register(*claim_triggers(claim))(claim)
    pgtrigger.register(*mention_triggers())(apps.get_model("claims", "Mention"))
    pgtrigger.register(append_only("append_only"))(
        apps.get_model("claims", "ReviewNote")
    )
    pgtrigger.register(append_only("append_only"))(
        apps.get_model("claims", "StatusChange")
    )
    pgtrigger.register(*episode_triggers())(apps.get_model("episodes", "Episode"))


def deferrable_constraint_names() -> list[str]:
    """The names ``SET CONSTRAINTS`` knows the deferrable quote checks by."""
    from django.apps import apps

    names = []
    for label, trigger_name in DEFERRABLE:
        model = apps.get_model(label)
        trigger = next(t for t in model._meta.triggers if t.name == trigger_name)
        names.append(trigger.get_pgid(model))
    return names
