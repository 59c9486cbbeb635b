"""``manage.py import_episode PATH... [--show NAME] [--format F] [--min-score S]
[--dry-run]``.

One line per file. A file that cannot be imported gets one line on stderr
("error: <file>: <reason>") and no traceback; the other files still import,
and the command exits with status 1 at the end.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.ingest import DEFAULT_MIN_SCORE
from claims.ingest.batch import import_files
from episodes.parsers import FORMATS


def _score(value: str) -> float:
    try:
        score = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 <= score <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {score}")
    return score


class Command(BaseCommand):
    help = (
        "Import episode source files (summary pages, transcripts, WebVTT, SRT) "
        "with their claims. Re-importing an unchanged file does nothing; a "
        "corrected version of an imported episode updates it in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            type=Path,
            help="Episode files to import.",
        )
        parser.add_argument(
            "--show", metavar="NAME", help="Use this show name instead of the file's."
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            help="Read the files as this format instead of detecting it.",
        )
        parser.add_argument(
            "--min-score",
            type=_score,
            default=DEFAULT_MIN_SCORE,
            metavar="0..1",
            help="Store only sentences at least this check-worthy "
            f"(default {DEFAULT_MIN_SCORE}).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="Parse and extract in N processes (default 1); writes stay in "
            "one, in file order.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and list what would be created; write nothing.",
        )

    def handle(
        self, *args, paths, show, format, min_score, jobs, dry_run, verbosity, **_
    ):
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        totals = import_files(
            paths,
            out=self.stdout,
            err=self.stderr,
            show_name=show,
            fmt=format,
            min_score=min_score,
            dry_run=dry_run,
            verbosity=verbosity,
            jobs=jobs,
        )
        if len(paths) > 1 and verbosity >= 1:
            self.stdout.write(totals.table(dry_run))
        if totals.errors:
            # The per-file error lines already say what went wrong.
            raise SystemExit(1)
