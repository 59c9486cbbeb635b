"""``manage.py export_claims [--format F] [--published] [--status S] [--show
SLUG] [--since DATE] [--until DATE] [--query QUERY]``.

The filters are the claim list's own (``claims.filters.ClaimFilterSet``), so
``--status verified --show big-technology`` selects what
``/claims/?status=verified&show=big-technology`` lists. A filter it cannot
use is one line on stderr naming the option and what to give instead, and
exit status 1; nothing is written to stdout then.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from claims.export import FORMATS, write
from claims.filters import claim_filterset
from claims.models import VERDICTS, Claim, Status
from episodes.models import Show

# The list page's parameter behind each option of this command.
OPTIONS = {
    "status": "--status",
    "show": "--show",
    "published_after": "--since",
    "published_before": "--until",
}
KNOWN_SHOWS_LISTED = 20


def _hint(name: str, *, public: bool = False) -> str:
    """What to give instead, for the parameters whose message does not say;
    ``public``: of what --published offers (verdicts only)."""
    if name == "status":
        offered = [s for s in Status.values if not public or s in VERDICTS]
        return f" Choose from: {', '.join(offered)}."
    if name == "show":
        slugs = list(
            Show.objects.order_by("slug").values_list("slug", flat=True)[
                : KNOWN_SHOWS_LISTED + 1
            ]
        )
        more = ", …" if len(slugs) > KNOWN_SHOWS_LISTED else ""
        listed = ", ".join(slugs[:KNOWN_SHOWS_LISTED]) + more
        return f" Give a show's slug: {listed or 'there are no shows yet'}."
    if name in ("published_after", "published_before"):
        return " Give a date as YYYY-MM-DD."
    return ""


class Command(BaseCommand):
    help = (
        "Write claims to standard output as JSON or CSV, their evidence as "
        "CSV, or their ClaimReviews as a DataFeed (see README: Export "
        "contract), filtered as on the claim list."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            default="json",
            help="json: an array of objects; csv: one row per claim; "
            "evidence-csv: one row per evidence link, the columns import_evidence "
            "reads; claimreview: a schema.org DataFeed of the ClaimReview of each "
            "published verdict (default: json).",
        )
        parser.add_argument(
            "--published",
            action="store_true",
            help="Only published claims (approved verdicts), what anonymous "
            "readers see.",
        )
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            metavar="STATUS",
            help="Only claims with this status; repeat it or separate with "
            f"commas for several ({', '.join(Status.values)}).",
        )
        parser.add_argument("--show", metavar="SLUG", help="Only this show's claims.")
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only claims of episodes published on or after this date "
            "(the list's “Episode on or after”).",
        )
        parser.add_argument(
            "--until",
            metavar="YYYY-MM-DD",
            help="Only claims of episodes published on or before this date.",
        )
        parser.add_argument(
            "--query",
            metavar="QUERY",
            default="",
            help="Any of the claim list's filters as its address has them, "
            "e.g. 'q=growth&has_evidence=yes' (the options above are added "
            "to it). A list page's address can be pasted whole: its page "
            "cursor is ignored, as every page is exported.",
        )

    def handle(self, *args, **options):
        claims = self._claims(options)
        # The raw stream: OutputWrapper would add a newline after each write.
        out = getattr(self.stdout, "_out", sys.stdout)
        try:
            count = write(options["format"], claims, out)
            out.flush()
        except BrokenPipeError:
            # The reader went away (`export_claims | head`): stop quietly, as
            # Unix tools do, and keep Python from complaining at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        what = FORMATS[options["format"]][0]  # plural: "claims", "evidence links"
        if count == 1:
            what = what.removesuffix("s")
        self.stderr.write(f"exported {count} {what} as {options['format']}")

    def _claims(self, options):
        try:
            # QueryDict reads a bad escape ("q=%ff") as U+FFFD: a search for
            # nothing anyone typed, exported as 0 claims.
            parse_qsl(options["query"], errors="strict")
        except UnicodeDecodeError:
            raise CommandError(
                f"Nothing exported. --query {options['query'][:200]!r}: a "
                "%-escape in it is not UTF-8 text; copy the list's address "
                "again, or write the words as they are."
            ) from None
        params = QueryDict(options["query"], mutable=True)
        statuses = [
            status.strip()
            for value in options["status"]
            for status in value.split(",")
            if status.strip()
        ]
        if options["status"] and not statuses:
            # "--status ,," named no status: everything would be exported.
            given = ", ".join(repr(value) for value in options["status"])
            raise CommandError(
                f"Nothing exported. --status {given}: no status given.{_hint('status')}"
            )
        if statuses:
            params.setlist("status", statuses)
        for name, option in (
            ("show", "show"),
            ("published_after", "since"),
            ("published_before", "until"),
        ):
            if options[option] is not None:
                if not options[option].strip():
                    # "--show=" (a script's empty variable) named nothing:
                    # everything would be exported, as for "--status ,,".
                    raise CommandError(
                        f"Nothing exported. --{option} {options[option]!r}: no "
                        f"{'show' if option == 'show' else 'date'} given."
                        f"{_hint(name)} Leave the option out to export "
                        "every claim."
                    )
                params[name] = options[option]
        base = Claim.objects.approved() if options["published"] else Claim.objects
        # --published exports what readers see, with the readers' filters: a
        # value the public list refuses (approved=no, a reviewer's status)
        # is refused here too, not answered with nothing.
        filterset = claim_filterset(params, base.all(), public=options["published"])
        # A misspelt filter would otherwise be ignored: everything exported.
        unknown = sorted(set(params) - set(filterset.filters) - {"cursor"})
        if unknown:
            raise CommandError(
                f"Nothing exported. --query: no filter is called "
                f"{', '.join(repr(name) for name in unknown)}; the claim list's "
                f"filters are {', '.join(filterset.filters)}."
            )
        if any("\x00" in value for values in params.lists() for value in values[1]):
            raise CommandError("Nothing exported. A filter holds a NUL character.")
        if not filterset.is_valid():
            message = self._errors(filterset, params, public=options["published"])
            if options["published"]:
                message += (
                    " (--published exports what readers see; leave it out to "
                    "export every claim.)"
                )
            raise CommandError(message)
        return filterset.qs

    @staticmethod
    def _errors(filterset, params: QueryDict, *, public: bool) -> str:
        lines = []
        for name, messages in filterset.form.errors.items():
            option = OPTIONS.get(name, f"--query's “{name}”")
            given = ", ".join(params.getlist(name))
            hint = _hint(name, public=public)
            lines.append(
                f"{option} {given!r}: {' '.join(messages)}{hint}"
                if given
                else f"{option}: {' '.join(messages)}{hint}"
            )
        return "Nothing exported. " + " ".join(lines)
