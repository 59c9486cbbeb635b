"""Import many files: plan them (in worker processes if asked), save them one
by one in file order, report each in one line, and total them up.

Shared by ``manage.py import_episode``, ``manage.py load_seeds`` and anything
else that imports a folder; the admin's upload imports one file through
``save.import_episode``. A file that cannot be imported gets one line on the
error stream ("error: <file>: <reason>") and no traceback; the other files
still import.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import OutputWrapper
from django.db import connection, connections
from tqdm import tqdm

from claims.extraction.candidates import Candidate
from claims.extraction.types import QuantityKind, shown_amount
from claims.ingest.plan import (
    DEFAULT_MIN_SCORE,
    ImportPlan,
    ImportRefused,
    check_size,
    checksum,
    plan_import,
)
from claims.ingest.save import (
    ImportResult,
    Outcome,
    import_episode,
    import_plan,
    rehearse_correction,
)
from claims.models import VERDICTS, Claim
from episodes.models import Episode
from episodes.parsers import ItemKind
from people.loading import PeopleFileError, load_people

SOURCE_SUFFIXES = (".txt", ".vtt", ".srt")


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
        low, high = shown_amount(q.low, q.kind), shown_amount(q.high, q.kind)
        span = low if q.low == q.high else f"{low}–{high}"
        unit = "" if q.kind == QuantityKind.DATE else q.unit
        approx = " (approx.)" if q.approx else ""
        lines.append(f"{'':28}{q.kind} {span} {unit}{approx}  “{q.text}”".rstrip())
    return lines


def _summary(plan: ImportPlan) -> str:
    counts = ", ".join(
        f"{n} {kind}{'s' if n != 1 else ''}"
        for kind in (ItemKind.QUOTE, ItemKind.BULLET, ItemKind.TURN)
        if (n := plan.count(kind))
    )
    return f"episode '{plan.title}', {len(plan.candidates)} claims" + (
        f" ({counts})" if counts else ""
    )


@dataclass
class Totals:
    """The table printed after a multi-file import."""

    files: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    claims: int = 0

    def add(self, result: ImportResult) -> None:
        if result.outcome == Outcome.UNCHANGED:
            self.unchanged += 1
            return
        if result.outcome in (Outcome.UPDATED, Outcome.DRY_RUN_UPDATE):
            self.updated += 1
        else:
            self.imported += 1
        self.claims += len(result.plan.candidates)

    def table(self, dry_run: bool) -> str:
        rows = [
            ("files", self.files),
            ("would import" if dry_run else "imported", self.imported),
            ("would update" if dry_run else "updated", self.updated),
            ("skipped (unchanged)", self.unchanged),
            ("errors", self.errors),
            ("claims found", self.claims),
        ]
        width = max(len(label) for label, _ in rows)
        return "\n".join(f"{label:<{width}}  {value:>7,}" for label, value in rows)


def report(
    out: OutputWrapper,
    shown: str,
    result: ImportResult,
    verbosity: int,
    reopen_lines: list[str] = (),
) -> None:
    if result.outcome == Outcome.UNCHANGED:
        out.write(
            f"unchanged {shown}: already imported as episode "
            f"'{result.episode.slug}'{result.elsewhere()}"
        )
        return
    plan = result.plan
    out.write(f"{result.outcome} {shown}: {_summary(plan)}")
    if result.outcome in (Outcome.DRY_RUN, Outcome.DRY_RUN_UPDATE) and verbosity >= 1:
        parsed = plan.parsed
        if result.episode is not None:
            out.write(f"  a corrected version of episode '{result.episode.slug}'")
            for line in reopen_lines:
                out.write(line)
        out.write(f"  show {plan.show_name!r}, published {parsed.published_on}")
        if parsed.guests:
            out.write(f"  guests {', '.join(parsed.guests)}")
        for candidate in plan.candidates:
            for line in _claim_lines(candidate):
                out.write(line)


def _reopen_lines(plan: ImportPlan, episode: Episode) -> list[str]:
    """What the admin's preview says of a corrected version: the verdicts
    it would send back to research, and the claims whose passage it no
    longer holds (rehearsed: ``rehearse_correction``)."""
    rehearsal = rehearse_correction(plan, episode)
    lines = []
    if rehearsal.reopened:
        count = len(rehearsal.reopened)
        lines.append(
            f"  sends {count} verdict{'s' if count != 1 else ''} back to research "
            "(the words, amounts or speaker rated change):"
        )
        lines += _claim_list(rehearsal.reopened)
    else:
        lines.append("  no verdict goes back to research")
    if rehearsal.lost:
        count = len(rehearsal.lost)
        lines.append(
            f"  {count} claim{'s' if count != 1 else ''} whose passage is not in "
            "the corrected source (each keeps its quote, without its place in "
            "the source; a published verdict stays published):"
        )
        lines += _claim_list(rehearsal.lost)
    return lines


def _claim_list(claims: list[Claim]) -> list[str]:
    lines = []
    for claim in claims:
        state = claim.get_status_display()
        if claim.status in VERDICTS:
            state += ", published" if claim.is_approved else ", awaiting approval"
        lines.append(f"    claim {claim.pk}, {state}: {_one_line(str(claim))}")
    return lines


def _one_line(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plan(path: Path, options: dict) -> ImportPlan | str:
    """Read and plan one file; a refusal comes back as its message.

    Pure work (no database), so it can run in a worker process.
    """
    try:
        return plan_import(_read(path), name=path.name, **options)
    except ImportRefused as error:
        return str(error)


def _plans(
    paths: list[Path], options: dict, jobs: int
) -> Iterator[tuple[Path, ImportPlan | str | None]]:
    """(path, plan or refusal) in order; planned in ``jobs`` worker processes.

    With one job, files already imported byte for byte are skipped before
    any parsing (None).
    """
    if jobs <= 1:
        for path in paths:
            try:
                data = _read(path)
            except ImportRefused as error:
                yield path, str(error)
                continue
            if Episode.objects.filter(source_checksum=checksum(data)).exists():
                yield path, None
                continue
            try:
                yield path, plan_import(data, name=path.name, **options)
            except ImportRefused as error:
                yield path, str(error)
        return
    # Workers are forked after the database connections are closed, so none
    # shares a connection; they never query.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from zip(
            paths,
            pool.map(_plan, paths, [options] * len(paths), chunksize=4),
            strict=True,
        )


def import_files(
    paths: list[Path],
    *,
    out: OutputWrapper,
    err: OutputWrapper,
    show_name: str | None = None,
    fmt: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    dry_run: bool = False,
    verbosity: int = 1,
    jobs: int = 1,
) -> Totals:
    """Import each file in its own transaction; return the totals.

    Reading, parsing and extraction may run in ``jobs`` processes; writes
    stay in this one, file by file, in the order given.
    """
    totals = Totals(files=len(paths))
    options = {"show_name": show_name, "fmt": fmt, "min_score": min_score}
    # A progress bar on stderr for several files, when stderr is a terminal.
    progress = tqdm(
        total=len(paths),
        desc="importing",
        unit="file",
        disable=None if len(paths) > 1 else True,
        file=sys.stderr,
    )
    batch = len(paths) > 1 and not dry_run
    try:
        for index, (path, plan) in enumerate(_plans(paths, options, jobs)):
            if batch and index == 0:
                # After the workers have forked: the connection is this
                # process's own (see _plans).
                _set_synchronous_commit(on=False)
            progress.clear()
            _import_one(out, err, path, plan, options, dry_run, verbosity, totals)
            progress.update()
    finally:
        if batch:
            _set_synchronous_commit(on=True)
        progress.close()
    return totals


def _set_synchronous_commit(*, on: bool) -> None:
    """Commit a batch of files without waiting for each WAL flush.

    Each file is still its own transaction, all or nothing; with
    synchronous_commit off a crash can lose only the last fraction of a
    second of imports, never corrupt or half-write one, and re-running the
    batch re-imports exactly those (imports are idempotent). Saves one disk
    flush per file (docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "RESET synchronous_commit" if on else "SET synchronous_commit TO OFF"
        )


def _import_one(
    out: OutputWrapper,
    err: OutputWrapper,
    path: Path,
    plan: ImportPlan | str | None,
    options: dict,
    dry_run: bool,
    verbosity: int,
    totals: Totals,
) -> None:
    """Save one planned file and report it; a refusal is one stderr line."""
    try:
        if isinstance(plan, str):
            raise ImportRefused(plan)
        if plan is None:
            result = import_episode(_read(path), name=path.name, **options)
        else:
            result = import_plan(plan, dry_run=dry_run)
        reopen_lines = []
        if result.outcome == Outcome.DRY_RUN_UPDATE and verbosity >= 1:
            # Refused like the update itself would be (an error line below).
            reopen_lines = _reopen_lines(result.plan, result.episode)
    except ImportRefused as error:
        err.write(f"error: {path}: {error}")
        totals.errors += 1
        return
    if result.plan is not None:
        for warning in result.plan.warnings:
            err.write(f"warning: {path}: {warning}")
    report(out, str(path), result, verbosity, reopen_lines)
    totals.add(result)


def load_seeds(
    folder: Path, *, out: OutputWrapper, err: OutputWrapper, verbosity: int = 1
) -> Totals:
    """The demo data: ``people.json`` (known people, their descriptions and
    aliases, so reported names like "Dario Amade" resolve), then every
    ``*.txt``, ``*.vtt`` and ``*.srt`` in ``folder`` in name order. Running it
    again changes nothing. A broken people file raises ``PeopleFileError``
    before any episode is read."""
    people_file = folder / "people.json"
    if people_file.exists():
        try:
            entries = json.loads(people_file.read_text("utf-8"))
            if not isinstance(entries, list):
                raise ValueError("expected a list of people")
            loaded = load_people(entries)
        except (ValueError, PeopleFileError) as error:
            raise PeopleFileError(f"{people_file}: {error}; fix the file") from None
        out.write(
            f"people: {loaded.created} created, {loaded.aliases_added} aliases added"
        )
    paths = sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES)
    return import_files(paths, out=out, err=err, verbosity=verbosity)
