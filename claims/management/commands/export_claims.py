import os
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
        # The raw stream: OutputWrapper would add a newline after each write.
        out = getattr(self.stdout, "_out", sys.stdout)
        writer = write_json if options["format"] == "json" else write_csv
        try:
            count = writer(iter_records(), out)
            out.flush()
        except BrokenPipeError:
            # The reader went away (`export_claims | head`): stop quietly, as
            # Unix tools do, and keep Python from complaining at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        self.stderr.write(f"exported {count} claims as {options['format']}")
