"""``manage.py import_episode PATH... [--show NAME] [--dry-run]``.

One line per file. A file that cannot be imported gets one line on stderr
("error: <file>: <reason>") and no traceback; the other files still import,
and the command exits with status 1 at the end.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, OutputWrapper

from claims.extraction.candidates import Candidate
from claims.ingest import (
    ImportPlan,
    ImportRefused,
    ImportResult,
    Outcome,
    check_size,
    import_episode,
)
from episodes.parsers import ItemKind


def _read(path: Path) -> bytes:
    try:
        check_size(path.stat().st_size)  # before reading: a huge file stays unread
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportRefused("no such file; check the path") from None
    except IsADirectoryError:
        raise ImportRefused("is a directory; pass the files in it") from None
    except OSError as error:
        raise ImportRefused(f"cannot be read ({error.strerror})") from None


def _number(value: Decimal | None) -> str:
    return "…" if value is None else f"{value.normalize():,f}"


def _claim_lines(candidate: Candidate) -> list[str]:
    who = candidate.speaker or "(no speaker)"
    if candidate.claimant:
        who += f", reporting {candidate.claimant}"
    text = candidate.text if len(candidate.text) <= 70 else candidate.text[:69] + "…"
    lines = [
        f"  {candidate.origin:<6} {candidate.checkworthiness:.1f} "
        f"{candidate.claim_type:<11} {who}: {text}"
    ]
    for q in candidate.quantities:
        span = (
            _number(q.low) if q.low == q.high else f"{_number(q.low)}–{_number(q.high)}"
        )
        approx = " (approx.)" if q.approx else ""
        lines.append(f"{'':28}{q.kind} {span} {q.unit}{approx}  “{q.text}”".rstrip())
    return lines


def _summary(plan: ImportPlan) -> str:
    quotes, bullets = plan.count(ItemKind.QUOTE), plan.count(ItemKind.BULLET)
    return (
        f"episode '{plan.title}', {len(plan.candidates)} claims "
        f"({quotes} quotes, {bullets} bullets)"
    )


def report(
    out: OutputWrapper, shown: str, result: ImportResult, verbosity: int
) -> None:
    if result.outcome == Outcome.UNCHANGED:
        out.write(
            f"unchanged {shown}: already imported as episode '{result.episode.slug}'"
        )
        return
    plan = result.plan
    out.write(f"{result.outcome} {shown}: {_summary(plan)}")
    if result.outcome == Outcome.DRY_RUN and verbosity >= 1:
        parsed = plan.parsed
        out.write(f"  show {plan.show_name!r}, published {parsed.published_on}")
        if parsed.guest:
            out.write(f"  guest {parsed.guest}")
        for candidate in plan.candidates:
            for line in _claim_lines(candidate):
                out.write(line)


def import_files(
    command: BaseCommand,
    paths: list[Path],
    *,
    show_name: str | None = None,
    dry_run: bool = False,
    verbosity: int = 1,
) -> int:
    """Import each file in its own transaction; return how many failed."""
    failed = 0
    for path in paths:
        try:
            data = _read(path)
            result = import_episode(
                data, name=path.name, show_name=show_name, dry_run=dry_run
            )
        except ImportRefused as error:
            command.stderr.write(f"error: {path}: {error}")
            failed += 1
            continue
        report(command.stdout, str(path), result, verbosity)
    return failed


class Command(BaseCommand):
    help = (
        "Import episode source files (summary pages) with their claims. "
        "Re-importing an unchanged file does nothing."
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
            "--dry-run",
            action="store_true",
            help="Parse and list what would be created; write nothing.",
        )

    def handle(self, *args, paths, show, dry_run, verbosity, **options):
        failed = import_files(
            self, paths, show_name=show, dry_run=dry_run, verbosity=verbosity
        )
        if failed:
            # The per-file error lines already say what went wrong.
            raise SystemExit(1)
