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
    ``status_by_workflow``: a change of status or approval is refused unless
    a workflow function makes it and has written the event that records it,
    so a raw ``UPDATE … SET status`` can never publish a verdict silently.
    ``never_deleted``: a wrong claim is marked not checkable, not deleted.
claims_mention
    ``quote_in_source`` / ``inserted_quotes``: as for claims.
claims_reviewnote, audit_event
    ``append_only``: UPDATE, DELETE and TRUNCATE are refused.
episodes_episode
    ``source_holds_quotes``: the source text cannot change under a quote.
    ``date_to_claims``: a new episode date is copied to its claims.
Every table the workflow writes (claims, amounts, mentions, evidence, notes,
people, aliases, look-alikes, shows, episodes, appearances)
    ``log_insert`` / ``log_update`` / ``log_delete``: a change made outside
    the workflow (raw SQL, ``QuerySet.update``, ``bulk_create``, COPY) is
    written to the log with the columns that changed and the database user.
    The workflow marks its own transactions (``audit.log.writes``), so what it
    records itself is not recorded twice.

Each trigger function is prefixed by pgtrigger's own check of
``pgtrigger.ignore``; nothing in Claimdesk sets it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pgtrigger
from django.db import models

# --- shared SQL -------------------------------------------------------------

_APPEND_ONLY = """
RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Add a new row instead.';
"""

# Quotes are checked against the source in chunks of this many characters
# (the most a PostgreSQL regular expression repeats is 255).
QUOTE_CHUNK = 255


def misquoted(*, rows: str, sources: str, select: str) -> str:
    """SQL: ``SELECT <select> INTO bad`` of the first row of ``rows`` whose
    quote is not its source text at its offsets.

    ``rows`` is a query of (id, claim_id, source_id, quote, quote_start,
    quote_end), offsets not null; ``sources`` a relation of (id,
    source_text). substr() on UTF-8 text walks from the start of the text to
    reach a character offset, so calling it per row costs rows × source
    length (17,910 quotes in a 1.8 MB source took two minutes). Here each
    source is cut once, up to its farthest quote, into chunks of QUOTE_CHUNK
    characters (one linear pass of a regular expression; ``.`` matches
    newlines too), and each quote is compared with the concatenation of the
    few chunks it spans. A quote whose offsets span more or fewer characters
    than it has is wrong too, even where the source ends inside the span.
    """
    size = QUOTE_CHUNK
    return f"""
WITH quoted AS (
    SELECT row_number() OVER () AS key, q.* FROM ({rows}) q
), reach AS (
    SELECT source_id, max(quote_end) AS upto FROM quoted GROUP BY source_id
), chunks AS MATERIALIZED (
    SELECT r.source_id, c.k - 1 AS k, c.piece[1] AS piece
      FROM reach r
      JOIN {sources} s ON s.id = r.source_id
     CROSS JOIN LATERAL regexp_matches(substr(s.source_text, 1, r.upto), '.{{1,{size}}}', 'g')
           WITH ORDINALITY AS c(piece, k)
), spans AS (
    SELECT q.key, q.id, q.claim_id, q.source_id, q.quote, q.quote_start, q.quote_end,
           coalesce(string_agg(c.piece, '' ORDER BY c.k), '') AS around
      FROM quoted q
     CROSS JOIN LATERAL generate_series(
           q.quote_start / {size}, (q.quote_start + char_length(q.quote)) / {size}) AS g(k)
      LEFT JOIN chunks c ON c.source_id = q.source_id AND c.k = g.k
     GROUP BY q.key, q.id, q.claim_id, q.source_id, q.quote, q.quote_start, q.quote_end
)
SELECT {select} INTO bad FROM spans
 WHERE quote_end - quote_start <> char_length(quote)
    OR substr(around, quote_start % {size} + 1, quote_end - quote_start) IS DISTINCT FROM quote
 LIMIT 1;"""


# The quote of one updated row: substr() walks the source up to its offset,
# once. A span longer than the quote is refused even where the source ends
# inside it (substr would return the shorter tail).
_CLAIM_QUOTE = """
IF NEW.quote_start IS NULL THEN
    RETURN NULL;
END IF;
IF NEW.quote_end - NEW.quote_start <> char_length(NEW.quote)
   OR (SELECT substr(source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
         FROM episodes_episode WHERE id = NEW.episode_id) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'claim %: the source text at %..% is not the quote (the source has % characters)',
        NEW.id, NEW.quote_start, NEW.quote_end,
        (SELECT char_length(source_text) FROM episodes_episode WHERE id = NEW.episode_id)
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_claim_quote_in_source';
END IF;
RETURN NULL;
"""

_CLAIM_QUOTES_INSERTED = (
    misquoted(
        rows="SELECT id, id AS claim_id, episode_id AS source_id, quote,"
        " quote_start, quote_end FROM new_rows WHERE quote_start IS NOT NULL",
        sources="episodes_episode",
        select="id, source_id, quote_start, quote_end",
    )
    + """
IF FOUND THEN
    RAISE EXCEPTION 'claim %: the source text at %..% is not the quote (the source has % characters)',
        bad.id, bad.quote_start, bad.quote_end,
        (SELECT char_length(source_text) FROM episodes_episode WHERE id = bad.source_id)
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_claim_quote_in_source';
END IF;
RETURN NULL;
"""
)

_MENTION_QUOTE = """
IF NEW.quote_end - NEW.quote_start <> char_length(NEW.quote)
   OR (SELECT substr(e.source_text, NEW.quote_start + 1, NEW.quote_end - NEW.quote_start)
         FROM claims_claim c JOIN episodes_episode e ON e.id = c.episode_id
        WHERE c.id = NEW.claim_id) IS DISTINCT FROM NEW.quote THEN
    RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
        NEW.id, NEW.claim_id, NEW.quote_start, NEW.quote_end
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_mention_quote_in_source';
END IF;
RETURN NULL;
"""

_MENTION_QUOTES_INSERTED = (
    misquoted(
        rows="SELECT n.id, n.claim_id, c.episode_id AS source_id, n.quote,"
        " n.quote_start, n.quote_end"
        " FROM new_rows n JOIN claims_claim c ON c.id = n.claim_id",
        sources="episodes_episode",
        select="id, claim_id, quote_start, quote_end",
    )
    + """
IF FOUND THEN
    RAISE EXCEPTION 'mention % of claim %: the source text at %..% is not the quote',
        bad.id, bad.claim_id, bad.quote_start, bad.quote_end
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'claims_mention_quote_in_source';
END IF;
RETURN NULL;
"""
)

# Every quote of the episode, its claims' and their mentions', against the
# new source text; the claim is named.
_SOURCE_HOLDS_QUOTES = (
    misquoted(
        rows="SELECT c.id, c.id AS claim_id, c.episode_id AS source_id, c.quote,"
        " c.quote_start, c.quote_end"
        " FROM claims_claim c WHERE c.episode_id = NEW.id AND c.quote_start IS NOT NULL"
        " UNION ALL SELECT m.id, m.claim_id, c.episode_id, m.quote, m.quote_start,"
        " m.quote_end FROM claims_mention m JOIN claims_claim c ON c.id = m.claim_id"
        " WHERE c.episode_id = NEW.id",
        sources="(SELECT NEW.id AS id, NEW.source_text AS source_text)",
        select="claim_id",
    )
    + """
IF FOUND THEN
    RAISE EXCEPTION 'episode %: the new source text no longer holds the quote of claim %',
        NEW.id, bad.claim_id
        USING ERRCODE = 'check_violation',
              CONSTRAINT = 'episodes_episode_source_holds_quotes';
END IF;
RETURN NULL;
"""
)

_DATE_TO_CLAIMS = """
UPDATE claims_claim
   SET episode_date = coalesce(NEW.published_on, DATE '0001-01-01')
 WHERE episode_id = NEW.id;
RETURN NULL;
"""

# The text search configuration of claims' search vectors and of every search
# of them: PostgreSQL's English (stemming, stop words) with accents dropped
# first (the ``unaccent`` dictionary), so that "jose" finds "José" and
# "Zoë" finds "Zoe", as the people lookup already did (migration 0032).
SEARCH_CONFIG = "claimdesk_english"

# Text weighs more (A) than the quote (B) in the claim list's search; most
# imported claims' text is their quote, parsed once then (to_tsvector is
# most of this trigger's cost). The summary, the headline readers see, weighs
# as the text (A), after it; most claims have none. Undated episodes sort
# last (0001-01-01). A claimant who is the speaker is no separate claimant
# (a merge of two people can make one).
_DERIVED_COLUMNS = f"""
IF TG_OP = 'INSERT' OR NEW.text IS DISTINCT FROM OLD.text
   OR NEW.quote IS DISTINCT FROM OLD.quote
   OR NEW.summary IS DISTINCT FROM OLD.summary THEN
    words := to_tsvector('{SEARCH_CONFIG}', coalesce(NEW.text, ''));
    NEW.search_vector := setweight(words, 'A') || setweight(
        CASE WHEN NEW.quote IS NOT DISTINCT FROM NEW.text THEN words
             ELSE to_tsvector('{SEARCH_CONFIG}', coalesce(NEW.quote, '')) END, 'B');
    IF coalesce(NEW.summary, '') <> '' THEN
        NEW.search_vector := NEW.search_vector
            || setweight(to_tsvector('{SEARCH_CONFIG}', NEW.summary), 'A');
    END IF;
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
CLAIM_BOOKKEEPING = (
    "version",
    "updated_at",
    "search_vector",
    "episode_date",
    "published_changed_at",
)
# The columns of a claim its readers see (its page, the API, the exports, its
# ClaimReview): a change of one on a published claim moves
# published_changed_at, what readers are told as its last change. A note, an
# assignment or a check-worthiness score does not.
CLAIM_PUBLIC_COLUMNS = (
    "text",
    "summary",
    "quote",
    "quote_start",
    "quote_end",
    "timestamp_seconds",
    "claim_type",
    "status",
    "rationale",
    "approved_at",
    "approved_by_id",
    "speaker_id",
    "claimant_id",
    "episode_id",
    "resolves_on",
)


def _distinct(model: type[models.Model], exclude: tuple[str, ...]) -> str:
    """SQL: OLD and NEW differ in a column of ``model`` not in ``exclude``."""
    return _any_distinct(
        field.column
        for field in model._meta.concrete_fields
        if field.column not in exclude
    )


def _any_distinct(columns: Iterable[str]) -> str:
    """SQL: OLD and NEW differ in one of ``columns``."""
    return " OR ".join(
        f'OLD."{column}" IS DISTINCT FROM NEW."{column}"' for column in columns
    )


def append_only(name: str) -> list[pgtrigger.Trigger]:
    """UPDATE and DELETE refused row by row, TRUNCATE for the whole table."""
    return [
        pgtrigger.Trigger(
            name=name,
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            func=_APPEND_ONLY,
        ),
        pgtrigger.Trigger(
            name=f"{name}_truncate",
            level=pgtrigger.Statement,
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            func=_APPEND_ONLY,
        ),
    ]


# The only TRUNCATE of an append-only table: the test runner's flush between
# transactional tests (tests/conftest.py lets it through with pgtrigger.ignore).
TRUNCATE_GUARDS = (
    "claims.ReviewNote:append_only_truncate",
    "audit.Event:append_only_truncate",
)


def quote_triggers(
    *, parent_column: str, on_update: str, on_insert: str
) -> list[pgtrigger.Trigger]:
    """A quote is the source text at its offsets: checked per row when a
    quote moves (deferrable), once per statement when rows are inserted."""
    return [
        pgtrigger.Trigger(
            name="quote_in_source",
            when=pgtrigger.After,
            operation=pgtrigger.UpdateOf(
                "quote", "quote_start", "quote_end", parent_column
            ),
            timing=pgtrigger.Immediate,
            func=on_update,
        ),
        pgtrigger.Trigger(
            name="inserted_quotes",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            declare=[("bad", "record")],
            func=on_insert,
        ),
    ]


def claim_triggers(claim: type[models.Model]) -> list[pgtrigger.Trigger]:
    return [
        *quote_triggers(
            parent_column="episode_id",
            on_update=_CLAIM_QUOTE,
            on_insert=_CLAIM_QUOTES_INSERTED,
        ),
        pgtrigger.Trigger(
            name="derived_columns_insert",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            declare=[("words", "tsvector")],
            func=_DERIVED_COLUMNS,
        ),
        pgtrigger.Trigger(
            name="derived_columns_update",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                "OLD.text IS DISTINCT FROM NEW.text"
                " OR OLD.quote IS DISTINCT FROM NEW.quote"
                " OR OLD.summary IS DISTINCT FROM NEW.summary"
                " OR OLD.episode_id IS DISTINCT FROM NEW.episode_id"
                " OR OLD.episode_date IS DISTINCT FROM NEW.episode_date"
                " OR OLD.speaker_id IS DISTINCT FROM NEW.speaker_id"
                " OR OLD.claimant_id IS DISTINCT FROM NEW.claimant_id"
            ),
            declare=[("words", "tsvector")],
            func=_DERIVED_COLUMNS,
        ),
        # Approval (its time), or a change readers see on a published claim
        # (the time of the change itself, clock_timestamp, not the
        # transaction's start; never before the approval, whose time comes
        # from Python); leaving publication (reopened) clears it.
        pgtrigger.Trigger(
            name="published_changes",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(
                "OLD.approved_at IS DISTINCT FROM NEW.approved_at"
                " OR (NEW.approved_at IS NOT NULL AND ("
                + _any_distinct(CLAIM_PUBLIC_COLUMNS)
                + "))"
            ),
            func="NEW.published_changed_at := CASE"
            " WHEN NEW.approved_at IS NULL THEN NULL"
            " WHEN OLD.approved_at IS DISTINCT FROM NEW.approved_at THEN NEW.approved_at"
            " ELSE greatest(clock_timestamp(), NEW.approved_at) END; RETURN NEW;",
        ),
        pgtrigger.Trigger(
            name="published_changes_insert",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            condition=pgtrigger.Condition("NEW.approved_at IS NOT NULL"),
            func="NEW.published_changed_at := coalesce(NEW.published_changed_at,"
            " NEW.approved_at); RETURN NEW;",
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
    return quote_triggers(
        parent_column="claim_id",
        on_update=_MENTION_QUOTE,
        on_insert=_MENTION_QUOTES_INSERTED,
    )


def episode_triggers() -> list[pgtrigger.Trigger]:
    return [
        pgtrigger.Trigger(
            name="source_holds_quotes",
            when=pgtrigger.After,
            operation=pgtrigger.UpdateOf("source_text"),
            timing=pgtrigger.Immediate,
            declare=[("bad", "record")],
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


# --- the log: what the workflow did not record itself -----------------------

MARK = "claimdesk.workflow"  # set by audit.log.writes, transaction-local
_SKIP_IF_RECORDED = f"""
IF coalesce(current_setting('{MARK}', true), '') = 'on' THEN
    RETURN NULL;
END IF;
"""

_STATUS_COLUMNS = (
    "status",
    "approved_at",
    "approved_by_id",
    "verdict_by_id",
    "rationale",
)
_STATUS_KINDS = (
    "claim.research_started",
    "claim.verdict_proposed",
    "claim.approved",
    "claim.reopened",
)
# Both: the workflow's mark (cleared when each workflow function returns, so
# a raw write later in the same transaction is not covered) and the event
# that records the change.
_STATUS_BY_WORKFLOW = f"""
IF coalesce(current_setting('{MARK}', true), '') <> 'on' OR NOT EXISTS (
    SELECT 1 FROM audit_event
     WHERE topic_type = 'claims.claim' AND topic_id = NEW.id
       AND txid = txid_current()
       AND kind IN ({", ".join(f"'{kind}'" for kind in _STATUS_KINDS)})
) THEN
    RAISE EXCEPTION 'claim %: its status and approval change only through the workflow, which records who changed them and why; nothing was changed', NEW.id
        USING ERRCODE = 'restrict_violation',
              HINT = 'Use the editorial desk, the claim page or claims.workflow (manage.py shell), or write the claim.* event of the change in the same transaction.';
END IF;
RETURN NEW;
"""

_NEVER_DELETED = """
RAISE EXCEPTION 'claim %: claims are never deleted', OLD.id
    USING ERRCODE = 'restrict_violation',
          HINT = 'Mark a wrong claim not checkable, with a note that says why.';
"""


def _row_json(alias: str, exclude: tuple[str, ...], digest: tuple[str, ...]) -> str:
    """SQL: a transition-table row as JSON, without bookkeeping columns and
    with long texts (a whole transcript) as their md5."""
    sql = f"to_jsonb({alias})"
    dropped = (*exclude, *digest)
    if dropped:
        sql += " - ARRAY[" + ", ".join(f"'{c}'" for c in dropped) + "]::text[]"
    for column in digest:
        sql += f" || jsonb_build_object('{column}_md5', md5({alias}.{column}))"
    return sql


def log_triggers(
    model: type[models.Model],
    *,
    topic: str,
    topic_column: str = "id",
    exclude: tuple[str, ...] = (),
    digest: tuple[str, ...] = (),
) -> list[pgtrigger.Trigger]:
    """Three statement triggers (PostgreSQL allows one transition table per
    event) that log inserts, updates and deletes of ``model``'s table made
    outside the workflow, one event per row, on the ``topic`` timeline."""
    label = model._meta.label_lower
    insert_into = (
        "INSERT INTO audit_event (kind, at, db_user, object_type, object_id,"
        " topic_type, topic_id, changes, note, request_id)"
    )

    def select(kind: str, row: str) -> str:
        return (
            f"SELECT '{kind}', statement_timestamp(), current_user, '{label}', {row}.id,"
            f" '{topic}', {row}.{topic_column}, d.changes, '', ''"
        )

    new = _row_json("n", exclude, digest)
    old = _row_json("o", exclude, digest)
    inserted = f"""{_SKIP_IF_RECORDED}
{insert_into}
{select("db.insert", "n")}
  FROM new_rows n
 CROSS JOIN LATERAL (
    SELECT coalesce(jsonb_object_agg(e.key, jsonb_build_array(NULL, e.value)), '{{}}') AS changes
      FROM jsonb_each({new}) e WHERE e.value <> 'null'::jsonb) d;
RETURN NULL;
"""
    updated = f"""{_SKIP_IF_RECORDED}
{insert_into}
{select("db.update", "n")}
  FROM new_rows n JOIN old_rows o ON o.id = n.id
 CROSS JOIN LATERAL (SELECT {old} AS oj, {new} AS nj) j
 CROSS JOIN LATERAL (
    SELECT jsonb_object_agg(e.key, jsonb_build_array(j.oj -> e.key, e.value)) AS changes
      FROM jsonb_each(j.nj) e WHERE (j.oj -> e.key) IS DISTINCT FROM e.value) d
 WHERE d.changes IS NOT NULL;
RETURN NULL;
"""
    deleted = f"""{_SKIP_IF_RECORDED}
{insert_into}
{select("db.delete", "o")}
  FROM old_rows o
 CROSS JOIN LATERAL (
    SELECT coalesce(jsonb_object_agg(e.key, jsonb_build_array(e.value, NULL)), '{{}}') AS changes
      FROM jsonb_each({old}) e WHERE e.value <> 'null'::jsonb) d;
RETURN NULL;
"""
    statement = {"level": pgtrigger.Statement, "when": pgtrigger.After}
    return [
        pgtrigger.Trigger(
            name="log_insert",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=inserted,
            **statement,
        ),
        pgtrigger.Trigger(
            name="log_update",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=updated,
            **statement,
        ),
        pgtrigger.Trigger(
            name="log_delete",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=deleted,
            **statement,
        ),
    ]


# Each logged table: (model label, columns left out of the logged values,
# long columns logged as their md5). The timeline of each row is what its
# model names in ``audit_timeline`` (audit.log.timeline_of), else the row.
LOGGED = (
    ("claims.Claim", CLAIM_BOOKKEEPING, ()),
    ("claims.Quantity", (), ()),
    ("claims.Mention", (), ()),
    ("claims.Evidence", (), ()),
    ("claims.ReviewNote", (), ()),
    ("people.Person", (), ()),
    ("people.PersonAlias", (), ()),
    ("people.PossibleDuplicate", (), ()),
    ("episodes.Show", (), ()),
    ("episodes.Episode", ("updated_at",), ("source_text",)),
    ("episodes.Appearance", (), ()),
)


def _timeline(model: type[models.Model]) -> tuple[str, str]:
    """(timeline label, column holding its id) of ``model``'s rows."""
    field = getattr(model, "audit_timeline", None)
    if field is None:
        return model._meta.label_lower, model._meta.pk.column
    foreign_key = model._meta.get_field(field)
    return foreign_key.related_model._meta.label_lower, foreign_key.column


def claim_guards() -> list[pgtrigger.Trigger]:
    changed = " OR ".join(
        f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _STATUS_COLUMNS
    )
    return [
        pgtrigger.Trigger(
            name="status_by_workflow_insert",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            condition=pgtrigger.Condition(
                "NEW.status <> 'unreviewed' OR NEW.approved_at IS NOT NULL"
                " OR NEW.approved_by_id IS NOT NULL OR NEW.verdict_by_id IS NOT NULL"
                " OR NEW.rationale <> ''"
            ),
            func=_STATUS_BY_WORKFLOW,
        ),
        pgtrigger.Trigger(
            name="status_by_workflow_update",
            when=pgtrigger.Before,
            operation=pgtrigger.Update,
            condition=pgtrigger.Condition(changed),
            func=_STATUS_BY_WORKFLOW,
        ),
        pgtrigger.Trigger(
            name="never_deleted",
            when=pgtrigger.Before,
            operation=pgtrigger.Delete,
            func=_NEVER_DELETED,
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
    pgtrigger.register(*claim_triggers(claim), *claim_guards())(claim)
    pgtrigger.register(*mention_triggers())(apps.get_model("claims", "Mention"))
    pgtrigger.register(*append_only("append_only"))(
        apps.get_model("claims", "ReviewNote")
    )
    pgtrigger.register(*append_only("append_only"))(apps.get_model("audit", "Event"))
    pgtrigger.register(*episode_triggers())(apps.get_model("episodes", "Episode"))
    for label, exclude, digest in LOGGED:
        model = apps.get_model(label)
        topic, topic_column = _timeline(model)
        pgtrigger.register(
            *log_triggers(
                model,
                topic=topic,
                topic_column=topic_column,
                exclude=exclude,
                digest=digest,
            )
        )(model)


def deferrable_constraint_names() -> list[str]:
    """The names ``SET CONSTRAINTS`` knows the deferrable quote checks by."""
    from django.apps import apps

    names = []
    for label, trigger_name in DEFERRABLE:
        model = apps.get_model(label)
        trigger = next(t for t in model._meta.triggers if t.name == trigger_name)
        names.append(trigger.get_pgid(model))
    return names
