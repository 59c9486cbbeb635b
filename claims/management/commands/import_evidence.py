"""``manage.py import_evidence FILE.csv --user NAME [--dry-run]``.

Every row is checked before anything is written. A bad file gets one line on
stderr per bad row ("error: <file>: line <n>: <reason>"), no traceback,
nothing written, and exit status 1. A good file is added in one transaction,
each link one event in the log with the user as its actor; links already on
their claim are skipped, so importing a file again adds nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claimdesk import limits
from claims.ingest.evidence import EvidenceRefused, import_evidence


class Command(BaseCommand):
    help = (
        "Add evidence links to claims from a CSV file with the columns "
        "claim_id, url, title, publisher, published_on, stance, excerpt (see "
        "README: Importing evidence). All rows or none; links already on their "
        "claim are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE", type=Path, help="A CSV file.")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="The reviewer or editor the links are recorded as added by.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and say what would be added; write nothing.",
        )

    def handle(self, *args, path, user, dry_run, verbosity, **_):
        actor = self._user(user)
        data = self._read(path)
        try:
            result = import_evidence(data, name=path.name, actor=actor, dry_run=dry_run)
        except EvidenceRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"error: {path}: {problem}")
            # The summary ("2 bad rows, nothing imported…"), unless it is the
            # one problem already written (a header's).
            if len(refused.problems) > 1 or str(refused) != str(refused.problems[0]):
                self.stderr.write(f"{path}: {refused}")
            raise SystemExit(1) from None
        except ValidationError as error:
            raise CommandError(
                f"{path}: nothing imported: {error.messages[0]}"
            ) from None
        plan = result.plan
        if verbosity >= 2:
            for row in plan.rows:
                what = (
                    "add"
                    if row.adds
                    else f"skip (same as line {row.repeats})"
                    if row.repeats
                    else "skip (already on the claim)"
                )
                self.stdout.write(
                    f"line {row.line}: {what}: claim {row.draft.claim_id} "
                    f"{row.draft.stance} {row.draft.url}"
                )
        added = len(plan.new) if dry_run else len(result.added)
        skipped = len(plan.rows) - added
        verb = "would add" if dry_run else "added"
        skipped_text = (
            f"; {skipped} skipped, already on their claim or repeated in the file"
            if skipped
            else ""
        )
        self.stdout.write(
            f"{path.name}: {verb} {added} evidence link{'s' if added != 1 else ''}"
            + skipped_text
        )

    @staticmethod
    def _user(username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(
                f"No user is called “{username}”; give the username of a reviewer "
                "or editor with --user."
            ) from None

    @staticmethod
    def _read(path: Path) -> bytes:
        limit = limits.EVIDENCE_FILE_MAX_BYTES
        try:
            size = path.stat().st_size
            if size > limit:
                # Before reading: a huge file stays unread.
                raise CommandError(
                    f"{path}: the file is {size:,} bytes, over the {limit:,}-byte "
                    "limit; split it into smaller files."
                )
            return path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file; check the path.") from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a directory, not a CSV file.") from None
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
