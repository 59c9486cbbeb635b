"""``manage.py load_seeds``: the demo data (``make demo``): ``seeds/people.json``,
then every episode file in ``seeds/``. Running it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.ingest.batch import load_seeds
from people.loading import PeopleFileError


class Command(BaseCommand):
    help = "Load seeds/people.json, then import every episode file in seeds/."

    def handle(self, *args, verbosity, **options):
        try:
            totals = load_seeds(
                Path(settings.BASE_DIR) / "seeds",
                out=self.stdout,
                err=self.stderr,
                verbosity=verbosity,
            )
        except PeopleFileError as error:
            raise CommandError(str(error)) from None
        if totals.errors:
            # The per-file error lines already say what went wrong.
            raise SystemExit(1)
