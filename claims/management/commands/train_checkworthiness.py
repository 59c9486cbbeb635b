"""``manage.py train_checkworthiness``: rebuild the shipped model file.

Fits the recipe of ``claims.extraction.model.train`` on every transcript of
data/clef2019/ and writes ``claims/extraction/model/checkworthiness.npz``.
Deterministic: run twice, the file has the same bytes (its sha256 is printed).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.extraction.model import PATH
from claims.extraction.model.train import train_and_save


class Command(BaseCommand):
    help = "Train the check-worthiness model on data/clef2019/ and write it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            default=Path(settings.BASE_DIR) / "data" / "clef2019",
            help="Folder of CLEF .tsv transcripts (default data/clef2019).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=PATH,
            help=f"Where to write the model (default {PATH.name} in the package).",
        )

    def handle(self, *args, data, output, **options):
        if not sorted(data.glob("*.tsv")):
            raise CommandError(f"{data}: no .tsv transcripts; give --data.")
        started = time.perf_counter()
        model = train_and_save(data, output)
        digest = hashlib.sha256(output.read_bytes()).hexdigest()
        self.stdout.write(
            f"wrote {output} ({output.stat().st_size:,} bytes, {len(model.terms):,} "
            f"terms, sha256 {digest[:16]}…) in {time.perf_counter() - started:.0f} s"
        )
