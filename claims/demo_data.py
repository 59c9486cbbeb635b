"""Synthetic data at scale: ``manage.py generate_demo_data --claims N``.

Shows, episodes with speaker-labelled sources, people and their appearances,
claims whose quotes are exact slices of their episode's source, amounts,
evidence (about two per claim), reviewer notes and the claims' history in
the event log (about two events per claim), with a realistic status mix.

Everything is made inside PostgreSQL, set-wise, in one transaction: one
``INSERT … SELECT`` per table from a temporary table of lines, so nothing
crosses the wire row by row. ``setseed`` makes a run reproducible (a
``--seed`` gives the same rows on an empty database).

The database's rules hold for every row: check constraints and foreign keys
are checked as usual. The claim table's per-row triggers are switched off
for the load (``ALTER TABLE … DISABLE TRIGGER USER``, inside the
transaction, so no other session ever sees them off) and their work is done
set-wise instead, with the same expressions:

- ``derived_columns``: the search vector (text weighted A, quote B, no
  summary, as no generated claim has one; the same
  ``to_tsvector(SEARCH_CONFIG, …)``, parsed once per sentence of the pool the
  claims draw their sentences from) and the episode's date are computed in
  the INSERT; no generated claimant equals the speaker;
- ``published_changes_insert``: a published claim's last public change is
  its approval, in the INSERT;
- ``status_by_workflow``: every claim that is not unreviewed gets the
  events of its status changes (research started, verdict proposed,
  approved) in the same transaction, as the workflow writes them;
- ``inserted_quotes``: each quote's offsets are computed from the same
  concatenation that builds the source; after the load the trigger's own
  test (``substr(source, start + 1, length) = quote``) is run on a sample of
  claims, and a mismatch rolls everything back;
- the ``log_*`` triggers see the workflow's mark (set for the transaction)
  and stay quiet, since the generator writes the history itself.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from claimdesk.roles import EDITOR, REVIEWER
from claims.dbrules import SEARCH_CONFIG

CLAIMS_PER_EPISODE = 500
CLAIMS_PER_PERSON = 200
EPISODES_PER_SHOW = 100
SENTENCES = 50_000
SAMPLE_CHECKED = 2000

FIRST_NAMES = [
    "Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan",
    "Jules", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa",
    "Sam", "Tariq", "Uma", "Vera", "Wen", "Xavi", "Yara", "Zoe",
]  # fmt: skip
LAST_NAMES = [
    "Abara", "Bianchi", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia",
    "Haddad", "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura",
    "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka", "Umar", "Varga",
    "Weber", "Xu", "Yilmaz", "Zhou",
]  # fmt: skip
SUBJECTS = [
    "Our revenue", "The data center", "Cloud spending", "The startup",
    "Chip demand", "Ad revenue", "The subscriber base", "Energy use",
    "The model's usage", "Hiring", "The company's valuation", "Battery output",
    "Smartphone sales", "The streaming audience", "Venture funding",
    "Electricity demand", "The network", "Compute capacity",
]  # fmt: skip
VERBS = [
    "grew by", "fell by", "reached", "is expected to hit", "doubled to",
    "will pass", "was about", "came in at", "is planned to grow to",
]  # fmt: skip
TAILS = [
    "this year", "last quarter", "by 2028", "since the launch",
    "in the first half", "according to the filing", "over five years",
    "in the United States", "worldwide", "before the deal",
]  # fmt: skip
FILLERS = [
    "Yeah.", "Right, so.", "I mean,", "Look,", "And honestly,", "So,",
    "Here's the thing:", "You know,", "Okay.", "Exactly.",
]  # fmt: skip
# unit words → (quantity kind, unit, multiplier)
UNITS = [
    (" percent", "percent", "%", 1),
    (" billion dollars", "money", "USD", 1_000_000_000),
    (" times", "multiplier", "x", 1),
    (" million users", "count", "", 1_000_000),
    (" gigawatts", "power", "W", 1_000_000_000),
]
VERDICTS = ["verified", "false", "misleading", "disputed", "unverifiable"]
CLAIM_TYPES = ["statistic", "financial", "forecast", "other"]


@dataclass
class Report:
    claims: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def claims_per_second(self) -> float:
        return self.claims / self.seconds if self.seconds else 0.0


class GenerationError(Exception):
    """The data cannot be generated here; the message says why."""


def _users() -> tuple[list[int], list[int]]:
    """The desk that 'did' the work: eight reviewers and three editors."""
    User = get_user_model()
    reviewers, editors = [], []
    for prefix, group_name, count, ids in (
        ("bench-reviewer", REVIEWER, 8, reviewers),
        ("bench-editor", EDITOR, 3, editors),
    ):
        group = Group.objects.get(name=group_name)
        for n in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"{prefix}-{n}", defaults={"is_staff": True}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(group)
            ids.append(user.pk)
    return reviewers, editors


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
    return cursor.fetchone()[0]


TABLES = (
    "people_person",
    "episodes_show",
    "episodes_episode",
    "episodes_appearance",
    "claims_claim",
    "claims_quantity",
    "claims_evidence",
    "claims_reviewnote",
    "audit_event",
)


def generate(claims: int, *, seed: int = 1, progress=None) -> Report:
    """Add ``claims`` claims (and everything around them) in one transaction."""
    if claims < 1:
        raise GenerationError("Give a number of claims of at least 1.")
    from claims.models import Claim

    if Claim.objects.exists():
        raise GenerationError(
            "The database already holds claims. generate_demo_data fills an "
            "empty one, so that a seed always gives the same data: run it on "
            "a fresh database (make clean-db, then make migrate)."
        )
    report = Report(claims=claims)
    started = time.perf_counter()

    def step(name: str, sql: str, params: dict | None = None) -> None:
        t0 = time.perf_counter()
        cursor.execute(sql, params or {})
        report.steps.append((name, time.perf_counter() - t0))
        if progress:
            progress(name, report.steps[-1][1])

    episodes = max(1, claims // CLAIMS_PER_EPISODE)
    people = max(3, claims // CLAIMS_PER_PERSON)
    shows = max(1, episodes // EPISODES_PER_SHOW)
    with transaction.atomic():
        reviewers, editors = _users()
        cursor = connection.cursor()
        ids = {table: _next_id(cursor, table) for table in TABLES}
        params = {
            "n": claims,
            "sentences": min(claims, SENTENCES),
            "episodes": episodes,
            "people": people,
            "shows": shows,
            "seed": (seed % 1_000_000) / 1_000_000,
            "first": FIRST_NAMES,
            "last": LAST_NAMES,
            "subjects": SUBJECTS,
            "verbs": VERBS,
            "tails": TAILS,
            "fillers": FILLERS,
            "unit_words": [u[0] for u in UNITS],
            "unit_kinds": [u[1] for u in UNITS],
            "unit_symbols": [u[2] for u in UNITS],
            "unit_scales": [u[3] for u in UNITS],
            "verdicts": VERDICTS,
            "claim_types": CLAIM_TYPES,
            "reviewers": reviewers,
            "editors": editors,
            **{f"id_{table}": value for table, value in ids.items()},
        }
        step(
            "set up",
            """
            SELECT set_config('claimdesk.workflow', 'on', true),
                   set_config('max_parallel_workers_per_gather', '0', true),
                   -- See _EVENTS.
                   set_config('enable_memoize', 'off', true),
                   -- Every scan of a table from its first page: the rows
                   -- (and the events' ids) come in the same order each run.
                   set_config('synchronize_seqscans', 'off', true),
                   -- The sorts (an episode's lines in order, each claim's
                   -- events in order) in memory, not in temporary files.
                   set_config('work_mem', '256MB', true),
                   setseed(%(seed)s)
            """,
            params,
        )
        step("people", _PEOPLE, params)
        step("shows", _SHOWS, params)
        step("sentences", _SENTENCES, params)
        step("lines", _LINES, params)
        step("episodes", _EPISODES, params)
        step("appearances", _APPEARANCES, params)
        with bulk_load(cursor, BULK_TABLES, step):
            step("claims", _CLAIMS, params)
            step("history", _EVENTS, params)
            step("amounts", _QUANTITIES, params)
            step("evidence", _EVIDENCE, params)
            step("notes", _NOTES, params)
        step("check quotes", _CHECK_QUOTES, {"sample": SAMPLE_CHECKED})
        bad = cursor.fetchone()[0]
        if bad:
            raise GenerationError(
                f"{bad} generated quotes do not match their sources; nothing "
                "was saved. This is a bug in claims/demo_data.py."
            )
        # The rest of the transaction is nobody's workflow.
        cursor.execute("SELECT set_config('claimdesk.workflow', '', true)")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")
        cursor.execute("SET LOCAL work_mem TO DEFAULT")
        cursor.execute("SET LOCAL enable_memoize TO DEFAULT")
        cursor.execute("SET LOCAL synchronize_seqscans TO DEFAULT")
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            report.rows[table] = cursor.fetchone()[0]
    report.seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        # Every table filled is vacuumed, as autovacuum would do later: its
        # pages are marked all-visible, so index-only scans (the lists'
        # claim_newest_idx, the evidence counts) read no table pages, and
        # a GIN index's pending entries are merged. VACUUM cannot run
        # inside a transaction (a test's); ANALYZE can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in TABLES:
            cursor.execute(f"{command} {table}")
        report.steps.append(("analyze", time.perf_counter() - t0))
    return report


# The big tables: loaded the way pg_restore loads them (rows first, then
# indexes and foreign keys), inside the generator's transaction.
BULK_TABLES = (
    "claims_claim",
    "audit_event",
    "claims_quantity",
    "claims_evidence",
    "claims_reviewnote",
)


@contextmanager
def bulk_load(cursor, tables: tuple[str, ...], step):
    """Load ``tables`` without per-row upkeep, then restore it set-wise.

    Their user triggers are off (their per-row work is done set-wise by the
    loading SQL, see the module's doc; those with a transition table are
    dropped and made again, see below); their primary keys, secondary
    indexes and foreign keys (theirs, and other tables' that refer to them)
    are dropped and, after the load, created again: a CREATE INDEX (an ADD
    PRIMARY KEY builds one, and checks every id is unique) sorts once
    instead of inserting row by row, and ADD FOREIGN KEY checks every row
    in one join. Check constraints stay and check each row as it comes. All
    of it is DDL inside the transaction: another session never sees a table
    without them, and an error (a duplicate id, a missing row) rolls them
    back with the rows. The primary keys too, measured back to back at a
    million claims on fresh servers: 63.8 s with them kept, 56.7 and 50.3 s
    this way (the claims 8.2 → 4.7–5.0 s, the history 14.0 → 9.7–12.5, the
    evidence 7.4 → 5.5; the five keys' builds 1.3–4 s more).
    """
    cursor.execute(
        """
        SELECT format('%%I.%%I', n.nspname, i.relname), pg_get_indexdef(i.oid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          JOIN pg_namespace n ON n.oid = i.relnamespace
         WHERE t.relname = ANY(%(tables)s) AND n.nspname = current_schema()
           AND NOT x.indisprimary AND NOT x.indisunique
        """,
        {"tables": list(tables)},
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_class r ON r.oid = c.confrelid
         WHERE c.contype = 'f'
           AND (t.relname = ANY(%(tables)s) OR r.relname = ANY(%(tables)s))
           AND t.relnamespace = current_schema()::regnamespace
        """,
        {"tables": list(tables)},
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
         WHERE c.contype = 'p' AND t.relname = ANY(%(tables)s)
           AND t.relnamespace = current_schema()::regnamespace
        """,
        {"tables": list(tables)},
    )
    primary_keys = cursor.fetchall()
    # A trigger with a transition table (REFERENCING NEW TABLE: the
    # statement-level log triggers) makes PostgreSQL keep a copy of every
    # row the statement writes even while the trigger is disabled; so these
    # are dropped and made again from their definitions (and pgtrigger's
    # comment, which records the installed version).
    cursor.execute(
        """
        SELECT t.tgrelid::regclass::text, t.tgname, pg_get_triggerdef(t.oid),
               obj_description(t.oid, 'pg_trigger')
          FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
         WHERE c.relname = ANY(%(tables)s)
           AND c.relnamespace = current_schema()::regnamespace
           AND NOT t.tgisinternal
           AND (t.tgnewtable IS NOT NULL OR t.tgoldtable IS NOT NULL)
        """,
        {"tables": list(tables)},
    )
    triggers = cursor.fetchall()
    # No check is left pending at commit that the DDL below would trip on.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    for table, name, _definition, _comment in triggers:
        cursor.execute(f'DROP TRIGGER "{name}" ON {table}')
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    for table, name, _definition in primary_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    # An empty table is emptied once more: TRUNCATE gives it new files, and
    # with ``wal_level = minimal`` (the embedded server's, see
    # claimdesk/database.py) the rows written to files made in this
    # transaction skip the WAL; the files are flushed to disk at commit
    # instead. Its TRUNCATE triggers (append-only tables) are off with the
    # rest; a table that holds rows (the log, once anything has happened) is
    # never truncated. On a server with WAL for replicas it changes nothing.
    # At a million claims: claims 5.4 → 3.6 s, history 10.3 → 6.1, evidence
    # 5.8 → 4.3 (docs/performance.md).
    for table in tables:
        cursor.execute(f"SELECT EXISTS (SELECT FROM {table})")  # noqa: S608
        if not cursor.fetchone()[0]:
            cursor.execute(f"TRUNCATE {table}")
    yield
    step(
        "indexes",
        "SET LOCAL maintenance_work_mem = '512MB';"
        "SET LOCAL max_parallel_maintenance_workers = 2;"
        + ";".join(
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in primary_keys
        )
        + ";"
        + ";".join(definition for _name, definition in indexes),
    )
    step(
        "foreign keys",
        ";".join(
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in foreign_keys
        ),
    )
    for table, name, definition, comment in triggers:
        cursor.execute(definition)
        if comment is not None:
            cursor.execute(
                f'COMMENT ON TRIGGER "{name}" ON {table} IS %(comment)s',
                {"comment": comment},
            )
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _pick(array: str, r: str) -> str:
    """SQL: an element of the array parameter ``array`` chosen by ``r``."""
    return (
        f"(%({array})s::text[])[1 + floor({r} * cardinality(%({array})s::text[]))::int]"
    )


_PEOPLE = f"""
INSERT INTO people_person (id, name, slug, description, profile_url)
SELECT %(id_people_person)s + p,
       {_pick("first", "random()")} || ' ' || {_pick("last", "random()")}
           || ' ' || (p + 1),
       'gen-person-' || (p + 1),
       CASE WHEN p %% 3 = 0 THEN 'Host' ELSE 'Guest' END,
       ''
  FROM generate_series(0, %(people)s - 1) AS p
"""  # noqa: S608 (fixed SQL; _pick names parameters, never values)

_SHOWS = """
INSERT INTO episodes_show (id, name, slug, url)
SELECT %(id_episodes_show)s + s, 'Generated Show ' || (s + 1),
       'gen-show-' || (s + 1), 'https://example.org/shows/' || (s + 1)
  FROM generate_series(0, %(shows)s - 1) AS s
"""

# The sentences the claims say: a pool of SENTENCES different ones (the
# subjects, verbs, amounts and tails above give 785,700), each parsed for
# search once here, as the trigger would parse it (``derived_columns``), and
# said by about claims / SENTENCES claims, as talking points recur across
# episodes. Parsing every claim's sentence took 12 of the claims' 28 s at a
# million claims (docs/performance.md).
_SENTENCES = f"""
CREATE TEMP TABLE gen_sentence ON COMMIT DROP AS
WITH drawn AS (
    SELECT s, random() AS r_subject, random() AS r_verb, random() AS r_tail,
           1 + floor(random() * 97)::int AS number,
           1 + floor(random() * 5)::int AS unit
      FROM generate_series(0, %(sentences)s - 1) AS s
), worded AS (
    SELECT s AS id, number, unit,
           {_pick("subjects", "r_subject")} || ' ' || {_pick("verbs", "r_verb")}
               || ' ' || number || (%(unit_words)s::text[])[unit] || ' '
               || {_pick("tails", "r_tail")} || '.' AS sentence
      FROM drawn
)
-- The trigger's setweight(text, A) || setweight(quote, B); a generated
-- claim's text and quote are its sentence, so one to_tsvector serves both.
SELECT worded.*, setweight(words, 'A') || setweight(words, 'B') AS vector
  FROM worded, LATERAL to_tsvector('{SEARCH_CONFIG}', sentence) AS words;
ALTER TABLE gen_sentence ADD PRIMARY KEY (id);
ANALYZE gen_sentence;
"""  # noqa: S608 (fixed SQL; _pick names parameters, never values)

# One line per claim: "Name: [filler] sentence [filler]\n". Episodes get a
# skewed share of claims (a few long ones, as real shows have).
_LINES = f"""
CREATE TEMP TABLE gen_line ON COMMIT DROP AS
WITH raw AS (
    SELECT k,
           least(%(episodes)s - 1, floor(%(episodes)s * power(random(), 1.08)))::int
               AS ep,
           random() AS r_speaker, random() AS r_sentence, random() AS r_status,
           random() AS r_unit, random() AS r_other,
           floor(random() * %(sentences)s)::int AS sentence_id
      FROM generate_series(0, %(n)s - 1) AS k
), numbered AS (
    SELECT raw.*,
           row_number() OVER (PARTITION BY ep ORDER BY k) - 1 AS idx,
           floor(r_speaker * 3)::int AS seat
      FROM raw
), worded AS (
    SELECT n.*,
           p.name AS speaker_name,
           s.sentence, s.number, s.unit,
           CASE WHEN r_other < 0.5 THEN {_pick("fillers", "r_unit")} || ' '
                ELSE '' END AS before,
           CASE WHEN r_sentence < 0.3 THEN ' ' || {_pick("fillers", "r_other")}
                ELSE '' END AS after
      FROM numbered n
      JOIN gen_sentence s ON s.id = n.sentence_id
      JOIN people_person p
        ON p.id = %(id_people_person)s + ((n.ep * 3 + n.seat) %% %(people)s)
), lined AS (
    SELECT w.*,
           w.speaker_name || ': ' || w.before || w.sentence || w.after || E'\\n'
               AS line,
           char_length(w.speaker_name) + 2 + char_length(w.before) AS prefix_length
      FROM worded w
)
SELECT l.*,
       %(id_claims_claim)s + l.k AS claim_id,
       %(id_episodes_episode)s + l.ep AS episode_id,
       %(id_people_person)s + ((l.ep * 3 + l.seat) %% %(people)s) AS speaker_id,
       coalesce(sum(char_length(l.line)) OVER (
           PARTITION BY l.ep ORDER BY l.idx
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line_start
  FROM lined l;
ANALYZE gen_line;
"""  # noqa: S608 (fixed SQL; _pick names parameters, never values)

_EPISODES = """
INSERT INTO episodes_episode (
    id, title, slug, subtitle, published_on, source_url, source_name,
    source_format, source_text, source_checksum, created_at, updated_at, show_id)
SELECT %(id_episodes_episode)s + e.ep,
       'Generated episode ' || (e.ep + 1),
       'gen-episode-' || (e.ep + 1),
       '',
       DATE '2019-01-01' + (e.ep * 2557 / %(episodes)s),
       'https://example.org/episodes/' || (e.ep + 1),
       'generated-' || (e.ep + 1) || '.txt',
       'transcript',
       coalesce(src.text, ''),
       md5(coalesce(src.text, '')),
       now(), now(),
       %(id_episodes_show)s + (e.ep %% %(shows)s)
  FROM generate_series(0, %(episodes)s - 1) AS e(ep)
  LEFT JOIN (SELECT ep, string_agg(line, '' ORDER BY idx) AS text
               FROM gen_line GROUP BY ep) src ON src.ep = e.ep
"""

_APPEARANCES = """
INSERT INTO episodes_appearance (id, role, episode_id, person_id)
SELECT %(id_episodes_appearance)s + e * 3 + seat,
       CASE seat WHEN 0 THEN 'host' ELSE 'guest' END,
       %(id_episodes_episode)s + e,
       %(id_people_person)s + ((e * 3 + seat) %% %(people)s)
  FROM generate_series(0, %(episodes)s - 1) AS e,
       generate_series(0, 2) AS seat
"""

# Status mix: 45 %% unreviewed, 25 %% researching, 10 %% proposed verdicts,
# 20 %% published (approved) verdicts.
_CLAIMS = """
INSERT INTO claims_claim (
    id, text, summary, quote, quote_start, quote_end, timestamp_seconds,
    claim_type, status, checkworthiness, checkworthiness_reasons, rationale,
    approved_at, approved_by_id, verdict_by_id, assignee_id, version,
    created_at, updated_at, claimant_id, episode_id, speaker_id, resolves_on,
    search_vector, episode_date, published_changed_at)
SELECT g.claim_id,
       g.sentence,
       '',
       g.sentence,
       g.line_start + g.prefix_length,
       g.line_start + g.prefix_length + char_length(g.sentence),
       g.idx * 7,
       (%(claim_types)s::text[])[1 + (g.k %% 4)],
       CASE WHEN g.r_status < 0.45 THEN 'unreviewed'
            WHEN g.r_status < 0.70 THEN 'researching'
            ELSE (%(verdicts)s::text[])[1 + (g.k %% 5)] END,
       round(g.r_other::numeric, 3)::float,
       '["a number"]'::jsonb,
       CASE WHEN g.r_status >= 0.70
            THEN 'Checked against the filing cited in the evidence.' ELSE '' END,
       CASE WHEN g.r_status >= 0.80
            THEN e.published_on + interval '4 days' END,
       CASE WHEN g.r_status >= 0.80
            THEN (%(editors)s::int[])[1 + (g.k %% cardinality(%(editors)s::int[]))]
       END,
       CASE WHEN g.r_status >= 0.70
            THEN (%(reviewers)s::int[])[1 + (g.k %% cardinality(%(reviewers)s::int[]))]
       END,
       CASE WHEN g.r_status >= 0.45 AND g.r_status < 0.70
            THEN (%(reviewers)s::int[])[1 + (g.k %% cardinality(%(reviewers)s::int[]))]
       END,
       1 + (g.r_status >= 0.45)::int + (g.r_status >= 0.70)::int
         + (g.r_status >= 0.80)::int,
       e.published_on + interval '1 day',
       e.published_on + interval '4 days',
       CASE WHEN g.r_speaker > 0.9
            THEN %(id_people_person)s
                 + ((g.ep * 3 + (g.seat + 1) %% 3) %% %(people)s) END,
       g.episode_id,
       g.speaker_id,
       CASE WHEN g.k %% 4 = 2 THEN DATE '2028-12-31' END,
       s.vector,
       e.published_on,
       -- The insert trigger's value: published when approved.
       CASE WHEN g.r_status >= 0.80
            THEN e.published_on + interval '4 days' END
  FROM gen_line g
  JOIN gen_sentence s ON s.id = g.sentence_id
  JOIN episodes_episode e ON e.id = g.episode_id
"""

# The claims in the order of their ids, as the steps after them read them:
# their order on disk is the order of the claims' INSERT, which follows
# its join plan, and, once a rolled-back load has left dead rows behind,
# where free space was found; read in that order, the same seed gave the
# events, evidence and notes other ids. Only the columns those steps use
# (a sort of narrow rows, in memory at a million claims). Back to back at a
# million on fresh servers: history, evidence and notes 40.5 s this way,
# 35.9 s in the order on disk.
_CLAIMS_BY_ID = """(
    SELECT id, created_at, text, status, rationale, approved_at,
           approved_by_id, verdict_by_id, assignee_id, episode_date
      FROM claims_claim ORDER BY id) c"""

# The history: created (by the importer), then each status step the claim
# went through, by the users of its columns, as the workflow records them.
# One pass over the claims, each giving its two to four events (a LATERAL
# list, each event with its own condition), in the order of the claims'
# ids, which is the order an import writes them (episode by episode), each
# claim's events in the order they happened. The JSON that is the same for
# every claim is a constant. Measured at a million claims (2.0 million
# events): 11.2-12.1 s as four SELECTs, one per kind of event, sorted by
# claim and step; 7.6-8.0 s this way. The memo PostgreSQL would put on the
# LATERAL list (Memoize, keyed on eight columns of the claim, every key
# different) is switched off for the load: 115 s with it.
_EVENTS = """
INSERT INTO audit_event (
    kind, at, db_user, object_type, object_id, topic_type, topic_id, changes,
    note, request_id, actor_id)
SELECT ev.kind, ev.at, '', 'claims.claim', c.id, 'claims.claim', c.id,
       ev.changes, ev.note, '', ev.actor
  FROM {claims}
 CROSS JOIN LATERAL (
    SELECT 'claim.created' AS kind, c.created_at AS at, NULL::int AS actor,
           jsonb_build_object('status', '[null, "unreviewed"]'::jsonb,
                              'text', jsonb_build_array(NULL, c.text)) AS changes,
           '' AS note
    UNION ALL
    SELECT 'claim.research_started', c.created_at + interval '1 day',
           coalesce(c.assignee_id, c.verdict_by_id),
           '{"status": ["unreviewed", "researching"]}'::jsonb, ''
     WHERE c.status <> 'unreviewed'
    UNION ALL
    SELECT 'claim.verdict_proposed', c.created_at + interval '2 days',
           c.verdict_by_id,
           jsonb_build_object('status', jsonb_build_array('researching', c.status),
                              'rationale', jsonb_build_array('', c.rationale)),
           c.rationale
     WHERE c.verdict_by_id IS NOT NULL
    UNION ALL
    SELECT 'claim.approved', c.approved_at, c.approved_by_id,
           jsonb_build_object('approved_at', jsonb_build_array(NULL, c.approved_at),
                              'status', jsonb_build_array(c.status, c.status)),
           ''
     WHERE c.approved_at IS NOT NULL
 ) ev
""".replace("{claims}", _CLAIMS_BY_ID)

_QUANTITIES = """
INSERT INTO claims_quantity (kind, low, high, unit, approx, text, claim_id)
SELECT (%(unit_kinds)s::text[])[g.unit],
       g.number::numeric * (%(unit_scales)s::bigint[])[g.unit],
       g.number::numeric * (%(unit_scales)s::bigint[])[g.unit],
       (%(unit_symbols)s::text[])[g.unit],
       false,
       g.number || (%(unit_words)s::text[])[g.unit],
       g.claim_id
  FROM gen_line g
 WHERE g.k %% 20 <> 0
"""

# Claims under research or past it have 2 to 5 links; about 2 per claim.
_EVIDENCE = """
INSERT INTO claims_evidence (
    url, title, publisher, published_on, stance, excerpt, added_at,
    added_by_id, claim_id)
SELECT 'https://example.org/reports/' || c.id || '/' || n,
       'Report ' || n || ' on claim ' || c.id,
       'Example Reports',
       c.episode_date - 30,
       (ARRAY['supports', 'refutes', 'context'])[1 + ((c.id + n) %% 3)],
       '',
       c.created_at + interval '1 day',
       coalesce(c.assignee_id, c.verdict_by_id),
       c.id
  FROM {claims}
 CROSS JOIN LATERAL generate_series(1, 2 + (c.id %% 4)::int) AS n
 WHERE c.status <> 'unreviewed'
""".replace("{claims}", _CLAIMS_BY_ID)

_NOTES = """
INSERT INTO claims_reviewnote (body, created_at, author_id, claim_id)
SELECT 'Compared with the report; see the evidence.',
       c.created_at + interval '1 day',
       coalesce(c.assignee_id, c.verdict_by_id),
       c.id
  FROM {claims}
 WHERE c.status <> 'unreviewed'
""".replace("{claims}", _CLAIMS_BY_ID)

# The quote trigger's own test, on a sample spread over every episode.
_CHECK_QUOTES = """
SELECT count(*)
  FROM (SELECT c.quote, c.quote_start, c.quote_end, e.source_text
          FROM claims_claim c JOIN episodes_episode e ON e.id = c.episode_id
         ORDER BY md5(c.id::text)
         LIMIT %(sample)s) s
 WHERE substr(s.source_text, s.quote_start + 1, s.quote_end - s.quote_start)
       IS DISTINCT FROM s.quote
"""
