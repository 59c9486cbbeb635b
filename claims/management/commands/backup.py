"""``manage.py backup [--output FILE]``: the whole database to one file."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claimdesk.backup import BackupError, backup


class Command(BaseCommand):
    help = "Dump the whole database to one file (pg_dump, custom format)."

    def add_arguments(self, parser):
        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path("backups") / f"claimdesk-{stamp}.dump",
            help="Where to write it (default backups/claimdesk-<time>.dump).",
        )

    def handle(self, *args, output, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(f"backup failed: {error}") from None
        self.stdout.write(f"backed up to {path} ({path.stat().st_size:,} bytes)")
