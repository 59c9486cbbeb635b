"""``manage.py load_seeds``: the demo data (``make demo``).

Loads ``seeds/people.json`` (known people, their descriptions and aliases,
so reported names like "Dario Amade" resolve), then imports every ``*.txt``,
``*.vtt`` and ``*.srt`` in ``seeds/`` in name order. Running it again changes
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.ingest import ImportRefused, load_people
from claims.management.commands.import_episode import import_files

SOURCE_SUFFIXES = (".txt", ".vtt", ".srt")


class Command(BaseCommand):
    help = "Load seeds/people.json, then import every episode file in seeds/."

    def handle(self, *args, verbosity, **options):
        seeds = Path(settings.BASE_DIR) / "seeds"
        people_file = seeds / "people.json"
        if people_file.exists():
            try:
                entries = json.loads(people_file.read_text("utf-8"))
                if not isinstance(entries, list):
                    raise ValueError("expected a list of people")
                loaded = load_people(entries)
            except (ValueError, ImportRefused) as error:
                raise CommandError(f"{people_file}: {error}; fix the file") from None
            self.stdout.write(
                f"people: {loaded.created} created, "
                f"{loaded.aliases_added} aliases added"
            )
        paths = sorted(p for p in seeds.iterdir() if p.suffix in SOURCE_SUFFIXES)
        if import_files(self, paths, verbosity=verbosity).errors:
            raise SystemExit(1)
