"""``manage.py benchmark``: extraction speed and whole-import speed.

1. Detection + scoring: sentences per second of ``find_candidates`` (split,
   detect, score, quantities, forecasts, de-duplication) on one core.
2. Whole imports: N synthetic one-hour transcripts written as files and
   imported with ``import_episode``'s own code into a throwaway database
   (``claimdesk_benchmark`` on the same server, dropped afterwards).
3. ``--exports``: peak memory of each export format and of the list's
   download as the table grows (``claims/export_benchmark.py``).

docs/performance.md has the figures and the command that produced them.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection

from claims.extraction import benchmark
from claims.extraction.benchmark import SENTENCES_PER_HOUR, one_hour_transcript
from claims.ingest.batch import import_files


@contextmanager
def one_core(*, enabled: bool):
    """Pin this process to one core while the block runs (Linux)."""
    if not enabled or not hasattr(os, "sched_setaffinity"):
        yield "all cores"
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield "one core"
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def throwaway_database(name: str):
    """A fresh, migrated database on the configured server, dropped on exit."""
    creation = connection.creation
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


class Command(BaseCommand):
    help = (
        "Measure sentences/s of claim detection + scoring on one core, and "
        "episodes/s of whole imports of synthetic one-hour transcripts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sentences",
            type=int,
            default=20_000,
            help="Sentences for the detection benchmark (default 20,000).",
        )
        parser.add_argument(
            "--episodes",
            type=int,
            default=1_000,
            help="One-hour transcripts to import (default 1,000; 0 skips it).",
        )
        parser.add_argument(
            "--checkable-share",
            type=float,
            default=0.15,
            help="Share of transcript sentences drawn from checkable claims "
            "(default 0.15; the rest is conversation and filler).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that parse and extract during the import benchmark "
            "(default: one per core); writes stay in one.",
        )
        parser.add_argument(
            "--pathological",
            action="store_true",
            help="Instead: import a ~4.9 MB file of each pathological shape "
            "(and the largest just inside every limit), timing each from bytes "
            "to saved or refused.",
        )
        parser.add_argument(
            "--exports",
            metavar="SIZES",
            help="Instead: peak memory of every export as the claims grow to "
            "each of these sizes, e.g. 1000,10000,100000,1000000.",
        )
        parser.add_argument(
            "--trace-up-to",
            type=int,
            default=100_000,
            metavar="N",
            help="With --exports: measure tracemalloc's peak of the exports of "
            "up to this many claims (default 100,000; it slows them down).",
        )
        parser.add_argument(
            "--contrast-up-to",
            type=int,
            default=100_000,
            metavar="N",
            help="With --exports: also measure an export that is not streamed "
            "(one list, one json.dumps) up to this size (default 100,000).",
        )
        parser.add_argument(
            "--all-cores",
            action="store_true",
            help="Run the detection benchmark on all cores instead of one.",
        )

    def handle(
        self,
        *args,
        sentences,
        episodes,
        checkable_share,
        all_cores,
        jobs,
        pathological,
        exports,
        trace_up_to,
        contrast_up_to,
        **_,
    ):
        if exports is not None:
            self._exports(exports, trace_up_to, contrast_up_to)
            return
        if pathological:
            self._pathological()
            return
        if sentences < 1 or episodes < 0 or jobs < 1 or not 0 <= checkable_share <= 1:
            raise CommandError(
                "--sentences and --jobs must be at least 1, --episodes at least 0 "
                "and --checkable-share between 0 and 1."
            )
        with one_core(enabled=not all_cores) as cores:
            result = benchmark.run(sentences)
        self.stdout.write(f"detection + scoring on {cores}: {result}")
        if episodes:
            self._imports(episodes, checkable_share, jobs)

    def _exports(self, sizes: str, trace_up_to: int, contrast_up_to: int) -> None:
        from claims import export_benchmark

        try:
            numbers = [int(size.replace("_", "")) for size in sizes.split(",")]
        except ValueError:
            numbers = []
        if not numbers or min(numbers) < 1:
            raise CommandError(
                "--exports takes claim counts separated by commas, e.g. "
                "1000,10000,100000."
            )
        with throwaway_database("claimdesk_benchmark"):
            export_benchmark.run(
                numbers,
                trace_up_to=trace_up_to,
                contrast_up_to=contrast_up_to,
                say=self.stdout.write,
            )

    def _pathological(self) -> None:
        from claims.extraction.benchmark import pathological_files
        from claims.ingest import ImportRefused, import_episode

        with throwaway_database("claimdesk_benchmark"):
            for number, (shape, text) in enumerate(pathological_files().items()):
                data = text.encode()
                started = time.perf_counter()
                try:
                    # A show each, so no file reads as a corrected version
                    # of another.
                    result = import_episode(
                        data,
                        name=f"pathological-{number}.txt",
                        show_name=f"Bench {number}",
                    )
                    seconds = time.perf_counter() - started
                    outcome = f"imported, {result.episode.claims.count():,} claims"
                except ImportRefused as error:
                    seconds = time.perf_counter() - started
                    outcome = f"refused: {str(error)[:70]}…"
                self.stdout.write(
                    f"{shape:<28} {len(data) / 1e6:4.1f} MB {seconds:6.1f} s  {outcome}"
                )

    def _imports(self, episodes: int, checkable_share: float, jobs: int) -> None:
        with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as folder:
            paths = []
            total_bytes = 0
            for number in range(1, episodes + 1):
                path = Path(folder) / f"episode-{number:05}.txt"
                text = one_hour_transcript(
                    number, checkable_share=checkable_share, seed=1
                )
                path.write_text(text, encoding="utf-8")
                total_bytes += len(text.encode())
                paths.append(path)
            self.stdout.write(
                f"wrote {episodes:,} one-hour transcripts "
                f"({total_bytes / 1e6:,.1f} MB, ~{SENTENCES_PER_HOUR} sentences "
                f"each, {checkable_share:.0%} drawn from checkable claims)"
            )
            with throwaway_database("claimdesk_benchmark"):
                quiet = OutputWrapper(open(os.devnull, "w"))  # noqa: SIM115
                started = time.perf_counter()
                totals = import_files(
                    paths, out=quiet, err=self.stderr, verbosity=0, jobs=jobs
                )
                seconds = time.perf_counter() - started
        self.stdout.write(
            f"imports with --jobs {jobs} ({os.cpu_count()} cores): "
            f"{episodes:,} episodes in {seconds:.1f} s = "
            f"{episodes / seconds:,.1f} episodes/s; {totals.claims:,} claims "
            f"stored; {totals.errors} errors"
        )
