"""``manage.py restore FILE``: replace the database's contents with a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claimdesk.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`, "
        "in one transaction: it completes or changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The archive to restore.")

    def handle(self, *args, file, **options):
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(
                f"restore failed, nothing was changed: {error}"
            ) from None
        self.stdout.write(f"restored {file}")
