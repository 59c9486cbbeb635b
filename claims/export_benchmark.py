"""What an export costs in memory as the table grows (``manage.py benchmark
--exports``; docs/performance.md has the figures).

``grow_to`` fills the benchmark's throwaway database with synthetic claims
in a few INSERT … SELECT statements: 100 claims per episode, four in ten an
approved verdict with a rationale and an evidence link, one in ten also a
second link, one in two a quantity, one in five a note. ``run`` measures each
export into a sink that only counts what it is given: its time, the size of
what it wrote and the process's peak resident memory, then, apart, the peak
of what Python allocated during it (tracemalloc).
"""

from __future__ import annotations

import gc
import json
import resource
import time
import tracemalloc
from collections.abc import Callable, Iterable

import pgtrigger
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from audit.log import writes
from claims.export import FORMATS, iter_records, streaming_response, write
from claims.models import Claim
from episodes.models import Show
from people.models import Person

CLAIMS_PER_EPISODE = 100
# Rows per INSERT, so no statement runs for minutes.
BATCH = 100_000


class Sink:
    """Counts what an export writes, and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> None:
        self.chars += len(text)

    def flush(self) -> None:
        pass


@writes
def grow_to(total: int) -> int:
    """Add synthetic claims until there are ``total``; returns how many were
    added.

    Inside ``@writes`` and with the status guard ignored: the rows of a
    throwaway database are not the desk's record, so the triggers neither
    refuse the approved verdicts (which the workflow alone may write, with an
    event each) nor log each row as written outside the workflow.
    """
    users = get_user_model().objects
    reviewer, _ = users.get_or_create(username="bench-reviewer")
    # A superuser is an editor: sees every claim on the list and its download.
    editor, _ = users.get_or_create(
        username="bench-editor",
        defaults={"first_name": "Bench", "last_name": "Ed", "is_superuser": True},
    )
    show, _ = Show.objects.get_or_create(name="Bench", slug="bench")
    speaker, _ = Person.objects.get_or_create(name="Bench Speaker", slug="bench")
    start = Claim.objects.count()
    with pgtrigger.ignore("claims.Claim:status_by_workflow_insert"):
        for low in range(start + 1, total + 1, BATCH):
            high = min(low + BATCH - 1, total)
            _insert(low, high, show.pk, speaker.pk, reviewer.pk, editor.pk)
    return max(total - start, 0)


# What grow_to fills.
GROWN_TABLES = (
    "episodes_episode",
    "claims_claim",
    "claims_evidence",
    "claims_quantity",
    "claims_reviewnote",
)


def settle(tables: Iterable[str]) -> float:
    """VACUUM (ANALYZE) ``tables`` (ANALYZE alone inside a transaction, a
    test's), as autovacuum would some time after a bulk load: the exports
    are then timed on a table with statistics and its pages marked
    all-visible, not on one fresh from the load (`benchmark --exports
    100000`, back to back: the JSON export 8.3 s without it, 2.7 s with
    it, the CSV 7.8 and 2.5 s; the VACUUM 0.6 s). Returns its seconds."""
    started = time.perf_counter()
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {table}")
    return time.perf_counter() - started


def _insert(low: int, high: int, show: int, speaker: int, reviewer: int, editor: int):
    """Claims number ``low``..``high`` (1-based), their episodes and rows."""
    per = CLAIMS_PER_EPISODE
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO episodes_episode (show_id, title, slug, subtitle,
                published_on, source_url, source_name, source_format,
                source_text, source_checksum, created_at, updated_at)
            SELECT %s, 'Bench episode ' || e, 'bench-' || e, '',
                   DATE '2020-01-01' + (e %% 2000), '', '', 'transcript',
                   'Bench source text of episode ' || e, md5('bench' || e),
                   now(), now()
              FROM generate_series(%s, %s) AS e
             WHERE NOT EXISTS (SELECT 1 FROM episodes_episode
                                WHERE slug = 'bench-' || e)
            """,
            [show, (low - 1) // per + 1, (high - 1) // per + 1],
        )
        cursor.execute(
            """
            INSERT INTO claims_claim (episode_id, speaker_id, text, summary,
                quote, timestamp_seconds, claim_type, status, checkworthiness,
                checkworthiness_reasons, verdict_by_id, rationale,
                approved_by_id, approved_at, version, created_at, updated_at)
            SELECT ep.id, %s,
                   'Claim ' || i || ': revenue grew 80 times in a year, '
                       || 'from 5 to 400 million dollars.',
                   CASE WHEN i %% 10 < 4 THEN 'Did revenue grow 80 times?'
                        ELSE '' END,
                   'We went from five million to four hundred million in a '
                       || 'year, that is 80 times growth, claim ' || i || '.',
                   i %% 3600, 'statistic',
                   (ARRAY['verified', 'false', 'misleading', 'disputed',
                          'researching', 'unreviewed', 'unreviewed',
                          'unreviewed', 'unreviewed', 'unreviewed'])[i %% 10 + 1],
                   0.5, '["a percentage"]',
                   CASE WHEN i %% 10 < 4 THEN %s END,
                   CASE WHEN i %% 10 < 4 THEN
                       'The company''s annual filing gives both figures; the '
                       || 'growth is as stated for claim ' || i || '.'
                   ELSE '' END,
                   CASE WHEN i %% 10 < 4 THEN %s END,
                   CASE WHEN i %% 10 < 4 THEN now() END,
                   1, now(), now()
              FROM generate_series(%s, %s) AS i
              JOIN episodes_episode ep
                ON ep.slug = 'bench-' || ((i - 1) / %s + 1)
             ORDER BY i
            """,
            [speaker, reviewer, editor, low, high, per],
        )
        # The rows beside the claims just added (the highest ids).
        cursor.execute(
            """
            CREATE TEMPORARY TABLE bench_new ON COMMIT DROP AS
            SELECT id, row_number() OVER (ORDER BY id) + %s AS i
              FROM (SELECT id FROM claims_claim ORDER BY id DESC
                     LIMIT %s) AS newest
            """,
            [low - 1, high - low + 1],
        )
        cursor.execute(
            """
            INSERT INTO claims_evidence (claim_id, url, title, publisher,
                published_on, stance, excerpt, added_by_id, added_at)
            SELECT id, 'https://example.org/filings/' || i || '/' || n,
                   'Annual report ' || i, 'Example Filings', DATE '2026-01-15',
                   (ARRAY['supports', 'refutes', 'context'])[n],
                   'Revenue for the year was 400 million dollars.', %s,
                   now()
              FROM bench_new, generate_series(1, 2) AS n
             WHERE i %% 10 < 4 AND (n = 1 OR i %% 10 = 0)
            """,
            [reviewer],
        )
        cursor.execute(
            """
            INSERT INTO claims_quantity (claim_id, kind, low, high, unit,
                approx, text)
            SELECT id, 'multiplier', 80, 80, 'x', false, '80 times'
              FROM bench_new WHERE i %% 2 = 0
            """
        )
        cursor.execute(
            """
            INSERT INTO claims_reviewnote (claim_id, author_id, body, created_at)
            SELECT id, %s, 'Called the company; they confirmed.', now()
              FROM bench_new WHERE i %% 5 = 0
            """,
            [reviewer],
        )
        cursor.execute("DROP TABLE bench_new")


def _maxrss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[Sink], None]) -> tuple[float, int]:
    """(seconds, characters written) of ``run``."""
    sink = Sink()
    started = time.perf_counter()
    run(sink)
    return time.perf_counter() - started, sink.chars


def traced_peak(run: Callable[[Sink], None]) -> int:
    """Bytes Python allocated at the peak of ``run``, above what it held
    before (tracemalloc; it slows the run several times over)."""
    gc.collect()
    tracemalloc.start()
    try:
        run(Sink())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def exports(claims: QuerySet[Claim]) -> dict[str, Callable[[Sink], None]]:
    """Each export of ``claims``: the command's formats and the web download
    (the streaming response the list's JSON link returns, read to its end)."""

    def command(fmt: str) -> Callable[[Sink], None]:
        return lambda sink: write(fmt, claims, sink)

    def web(sink: Sink) -> None:
        for piece in streaming_response("json", claims).streaming_content:
            sink.write(piece)

    return {
        **{f"export_claims --format {fmt}": command(fmt) for fmt in FORMATS},
        "/claims/export.json": web,
    }


def whole_list(claims: QuerySet[Claim]) -> Callable[[Sink], None]:
    """For contrast, the JSON export done without streaming: every record
    in one list, then one json.dumps (what a naive view would do)."""

    def run(sink: Sink) -> None:
        sink.write(json.dumps(list(iter_records(claims))))

    return run


def run(
    sizes: Iterable[int],
    *,
    trace_up_to: int,
    contrast_up_to: int,
    say: Callable[[str], None],
) -> None:
    """Three passes, so no measurement inflates another:

    1. for each size, growing: every export of every claim, its time, size
       and the process's peak resident memory after it (a high-water mark:
       flat from one size to the next means the larger export needed no
       more memory);
    2. tracemalloc's peak of each export of the first N claims, N up to
       ``trace_up_to`` (its bookkeeping would inflate pass 1's figures);
    3. the same peak for the export done without streaming, up to
       ``contrast_up_to``.
    """
    sizes = sorted(sizes)
    say("pass 1: time, output and the process's peak RSS after each export")
    for size in sizes:
        started = time.perf_counter()
        added = grow_to(size)
        seconds = time.perf_counter() - started
        say(f"{size:,} claims ({added:,} added in {seconds:.1f} s)")
        if added:
            seconds = settle(GROWN_TABLES)
            say(f"  vacuumed and analysed in {seconds:.1f} s")
        for label, export in exports(Claim.objects.all()).items():
            seconds, chars = timed(export)
            say(
                f"  {label:<38} {seconds:7.1f} s {chars / 2**20:8.1f} MiB out  "
                f"peak RSS {_maxrss_mib():6.1f} MiB"
            )
    say("pass 2: tracemalloc peak of each export of the first N claims")
    for size in (size for size in sizes if size <= trace_up_to):
        first = Claim.objects.filter(pk__lte=_nth_id(size))
        for label, export in exports(first).items():
            say(f"  {size:>9,}  {label:<38} {traced_peak(export) / 2**20:6.1f} MiB")
    say("pass 3: tracemalloc peak of the JSON export without streaming")
    for size in (size for size in sizes if size <= contrast_up_to):
        first = Claim.objects.filter(pk__lte=_nth_id(size))
        peak = traced_peak(whole_list(first))
        say(f"  {size:>9,}  {'one list, one json.dumps':<38} {peak / 2**20:6.1f} MiB")


def _nth_id(n: int) -> int:
    return Claim.objects.order_by("pk").values_list("pk", flat=True)[n - 1]
