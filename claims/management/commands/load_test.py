"""``manage.py load_test``: gunicorn under locust, the figures written to
docs/performance.md (``claims/loadtest.py`` says how)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import bench, loadtest


class Command(BaseCommand):
    help = (
        "Serve the app with gunicorn on 127.0.0.1 and load it from a second "
        "process with locust (anonymous readers and signed-in editors: claim "
        "list, claim page, search, admin list, API); print requests/s, "
        "p50/p95/p99 and errors, and write them to docs/performance.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument(
            "--workers",
            type=int,
            default=4,
            help="gunicorn sync workers (default 4: two per core here).",
        )
        parser.add_argument(
            "--wait",
            default="1,3",
            metavar="MIN,MAX",
            help="Seconds each client waits between requests (default 1,3).",
        )
        parser.add_argument("--editor", default="bench-editor-1")
        parser.add_argument(
            "--no-write", action="store_true", help="Print only; leave the doc alone."
        )

    def handle(self, *args, users, seconds, workers, wait, editor, no_write, **options):
        if not (1 <= users <= 500 and 1 <= seconds <= 900 and 1 <= workers <= 32):
            raise CommandError(
                "--users must be 1–500, --seconds 1–900 and --workers 1–32."
            )
        try:
            low, high = (float(part) for part in wait.split(","))
        except ValueError:
            raise CommandError(
                f"--wait is {wait[:40]!r}: give two numbers of seconds, e.g. 1,3."
            ) from None
        if not 0 <= low <= high <= 60:
            raise CommandError("--wait needs 0 <= MIN <= MAX <= 60 seconds, e.g. 1,3.")
        try:
            result = loadtest.run(
                users=users,
                seconds=seconds,
                workers=workers,
                editor=editor,
                wait=(low, high),
                progress=lambda what: self.stderr.write(f"  {what}…"),
            )
        except loadtest.LoadTestError as error:
            raise CommandError(str(error)) from None
        command = (
            "manage.py load_test"
            + (f" --users {users}" if users != 50 else "")
            + (f" --seconds {seconds}" if seconds != 60 else "")
        )
        text = result.table(command)
        self.stdout.write(text)
        if not no_write:
            doc = Path(settings.BASE_DIR) / "docs" / "performance.md"
            bench.write(doc, text, markers=(loadtest.START, loadtest.END))
            self.stdout.write(f"Written to {doc}.")
        if result.server_errors:
            self.stderr.write("The server logged errors:\n" + result.server_errors)
        if result.total.failures:
            raise CommandError(
                f"{result.total.failures:,} of {result.total.requests:,} requests "
                "failed (the table shows which); the server's log is above."
            )
