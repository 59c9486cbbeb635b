"""``manage.py bench``: time every page on the current database and write
the table to docs/performance.md (``claims/bench.py`` says how)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import bench


class Command(BaseCommand):
    help = (
        "Time each page (p50/p95, query count, the bare-SQL floor, and a plain "
        "ModelAdmin for the admin lists) on the current database, print the "
        "table and write it to docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument(
            "--terms", type=int, default=200, help="Different full-text searches."
        )
        parser.add_argument(
            "--editor",
            default="bench-editor-1",
            help="The staff editor the signed-in pages are timed as "
            "(generate_demo_data makes bench-editor-1).",
        )
        parser.add_argument(
            "--only",
            default="",
            metavar="TEXT",
            help="Time only the pages whose name contains TEXT (e.g. 'admin', "
            "'export'); prints the table and leaves the doc alone.",
        )
        parser.add_argument(
            "--no-write", action="store_true", help="Print only; leave the doc alone."
        )

    def handle(self, *args, repeat, warmup, terms, editor, only, no_write, **options):
        if repeat < 1 or warmup < 0 or not 1 <= terms <= 200:
            raise CommandError(
                "--repeat must be at least 1, --warmup at least 0, and --terms "
                "between 1 and 200."
            )
        try:
            result, claims, export = bench.run(
                repeat=repeat,
                warmup=warmup,
                editor=editor,
                terms=terms,
                only=only,
                progress=lambda what: self.stderr.write(f"  {what}…"),
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        command = "manage.py bench" + (f" --repeat {repeat}" if repeat != 20 else "")
        text = bench.table(result, claims, export, command)
        self.stdout.write(text)
        if not (no_write or only):
            doc = Path(settings.BASE_DIR) / "docs" / "performance.md"
            bench.write(doc, text)
            self.stdout.write(f"Written to {doc}.")
