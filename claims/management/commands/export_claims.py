import sys

from django.core.management.base import BaseCommand

from claims.export import iter_records, write_csv, write_json


class Command(BaseCommand):
    help = (
        "Write every claim to standard output as JSON or CSV "
        "(see README: Export contract)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            default="json",
            help="json: an array of objects; csv: one row per claim (default: json).",
        )

    def handle(self, *args, **options):
        # Write to the real stdout: CSV needs the raw stream (no added newlines).
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        writer = write_json if options["format"] == "json" else write_csv
        count = writer(iter_records(), out)
        self.stderr.write(f"exported {count} claims as {options['format']}")
