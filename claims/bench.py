"""``manage.py bench``: how fast each page is on the current database.

Each page is requested in-process through the whole middleware stack (the
test client), ``warmup`` times and then ``repeat`` times; the table gives
the p50 and p95 of the server-side time, the number of queries, and the
**floor**: the same queries replayed as bare SQL (what no Django code could
beat). The queries are captured in one more request, not timed: capturing
them (Django's debug cursor) would add the bench's own work to the page's.
For the admin lists the plain ``ModelAdmin`` (``claims.bench_admin``) is
timed in the same run, interleaved, for comparison.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from claimdesk.warm import warm_and_freeze
from claims.filters import ClaimFilterSet
from claims.models import Claim
from claims.pagination import KeysetPaginator
from claims.views.lists import PAGE_SIZE, _list_rows
from episodes.models import Episode

# Words of the kind readers search for; the generator's sentences use some.
SEARCH_TERMS = """growth revenue data center billion percent users energy
compute valuation funding chips battery streaming network hiring subscribers
electricity spending demand quarter filing launch deal worldwide startup
model usage smartphone sales cloud venture power gigawatts million times
doubled fell reached expected pass planned grow company united states first
half five years since according before audience output capacity base ad
""".split()


@dataclass
class Row:
    page: str
    times: list[float]
    queries: int
    floor: float | None = None
    plain: list[float] | None = None
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Bench:
    repeat: int = 20
    warmup: int = 3
    # Only the pages whose name contains this (``--only``); all if empty.
    only: str = ""
    rows: list[Row] = field(default_factory=list)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        if who not in self.clients:
            client = Client(SERVER_NAME="localhost")
            if who != "anonymous":
                user = get_user_model().objects.get(username=who)
                client.force_login(user)
            self.clients[who] = client
        return self.clients[who]

    def _once(self, client: Client, url: str) -> float:
        """One timed request, in ms. Timed without capturing its queries:
        the capture (Django's debug cursor) formats every query's SQL, which
        is the bench's work, not the page's."""
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    def _queries(self, client: Client, url: str) -> list[dict]:
        """One more request, untimed, for its queries."""
        # The log keeps at most 9,000 queries; a capture starting on a full
        # log would see none.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return captured.captured_queries

    def _replay(self, queries: list[dict]) -> float:
        """The page's own queries, replayed once as bare SQL, in ms."""
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for query in queries:
                sql = query["sql"]
                if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "CLOSE")):
                    continue
                # A transaction the page opened is replayed with it: BEGIN,
                # its statements, COMMIT.
                if sql.startswith("DECLARE"):
                    # A server-side cursor (an iterator): its query.
                    sql = sql.split(" FOR ", 1)[1]
                cursor.execute(sql)
                # Every result read: a planner setting comes first in the
                # same string (claimdesk.planner), its query's rows after.
                while True:
                    if cursor.description:
                        cursor.fetchall()
                    if not cursor.nextset():
                        break
            return (time.perf_counter() - started) * 1000

    def skipped(self, name: str) -> bool:
        return self.only.lower() not in name.lower()

    def page(
        self,
        name: str,
        url: str,
        who: str = "anonymous",
        plain: str = "",
        note: str = "",
    ) -> Row | None:
        if self.skipped(name):
            return None
        client = self.client(who)
        for _ in range(self.warmup):
            self._once(client, url)
            if plain:
                self._once(client, plain)
        queries = self._queries(client, url)
        # The floor is replayed in the same loop, each replay after the same
        # request as the page's run, so that both meet the same caches: after
        # a plain ModelAdmin's search had read the whole table, the page's
        # SQL ran 1.4-3.5 ms slower than the same SQL replayed warm after
        # the loop. With a plain ModelAdmin: plain, page, plain, replay (the
        # plain is timed both times); without: page, replay.
        times, plain_times, floor = [], [], []
        for _ in range(self.repeat):
            if plain:
                plain_times.append(self._once(client, plain))
            times.append(self._once(client, url))
            if plain:
                plain_times.append(self._once(client, plain))
            floor.append(self._replay(queries))
        row = Row(
            name,
            times,
            len(queries),
            floor=statistics.median(floor),
            plain=plain_times or None,
            note=note,
        )
        self.rows.append(row)
        return row

    def many(self, name: str, urls: list[str], who: str = "anonymous") -> Row | None:
        """One request per URL (after one warm-up each): p50/p95 across them."""
        if self.skipped(name):
            return None
        client = self.client(who)
        for url in urls:
            self._once(client, url)
        times = [self._once(client, url) for url in urls]
        counts = {len(self._queries(client, url)) for url in urls}
        row = Row(name, times, max(counts), note=f"{len(urls)} different terms")
        self.rows.append(row)
        return row


def _deep_cursor(pages: int) -> str | None:
    """The cursor of /claims/ page ``pages`` + 1, as a reader following
    "next" that far would hold (made directly rather than by 1,000 requests)."""
    queryset = ClaimFilterSet({}, queryset=_list_rows(Claim.objects.approved())).qs
    paginator = KeysetPaginator(queryset, per_page=PAGE_SIZE)
    row = queryset[pages * PAGE_SIZE - 1 : pages * PAGE_SIZE].first()
    return paginator.cursor_for(row) if row is not None else None


def run(
    *,
    repeat: int,
    warmup: int,
    editor: str,
    progress: Callable[[str], None],
    terms: int = 200,
    only: str = "",
):
    bench = Bench(repeat=repeat, warmup=warmup, only=only)
    claims = Claim.objects.count()
    if not claims:
        raise RuntimeError(
            "The database holds no claims: run `manage.py generate_demo_data "
            "--claims 1000000` first."
        )
    published = Claim.objects.approved().order_by("id").first()
    researching = Claim.objects.filter(status="researching").order_by("id").first()
    show_id = Episode.objects.values_list("show_id", flat=True).first()
    busiest = Episode.objects.annotate(n=Count("claims")).order_by("-n", "id").first()
    speaker_id = researching.speaker_id if researching else None
    # Page 500 of the admin list (50 a page), or its last page on less data.
    deep_page = min(499, max(0, (claims - 1) // 50))

    with override_settings(ROOT_URLCONF="claims.bench_urls"):
        # As each server process does once the app is loaded (claimdesk/wsgi.py).
        warm_and_freeze()
        admin_list = reverse("admin:claims_claim_changelist")
        plain_list = reverse("plain_admin:claims_claim_changelist")
        admin_variants = [
            ("plain", ""),
            ("status", "?status__exact=researching"),
            (
                "status + show",
                f"?status__exact=researching&episode__show__id__exact={show_id}",
            ),
            ("speaker", f"?speaker={speaker_id}"),
            ("search “growth”", "?q=growth"),
            ("search “data center”", "?q=data+center"),
            # Django's admin numbers its pages from 1 (?p=1 is the first).
            (f"page {deep_page + 1}", f"?p={deep_page + 1}"),
        ]
        plain_params = {
            "speaker": f"?speaker__id__exact={speaker_id}",
        }
        for label, query in admin_variants:
            progress(f"admin list, {label}")
            bench.page(
                f"admin claim list, {label}",
                admin_list + query,
                editor,
                plain=plain_list + plain_params.get(label, query),
            )
        progress("admin change page")
        bench.page(
            "admin claim change page",
            reverse("admin:claims_claim_change", args=[researching.pk]),
            editor,
        )
        claim_list = reverse("claims:claim_list")
        progress("/claims/")
        bench.page("/claims/", claim_list)
        bench.page("/claims/ filtered (status)", claim_list + "?status=false")
        bench.page("/claims/ searched “growth”", claim_list + "?q=growth")
        cursor = _deep_cursor(1000)
        if cursor:
            bench.page(
                "/claims/ 1,000 pages deep",
                claim_list + "?" + _query({"cursor": cursor}),
            )
        bench.page("/claims/ signed in", claim_list, editor)
        progress("claim page")
        bench.page("claim page", published.get_absolute_url())
        progress("episode page")
        bench.page(
            f"episode page ({busiest.n:,} claims)",
            busiest.get_absolute_url(),
            editor,
            note="signed in: every claim highlighted",
        )
        progress("dashboard")
        bench.page("dashboard, signed in", reverse("claims:dashboard"), editor)
        bench.page("dashboard, anonymous", reverse("claims:dashboard"))
        try:
            api = reverse("api:claim-list")
        except NoReverseMatch:
            api = None
        if api:
            progress("API")
            bench.page("/api/claims/", api)
        progress(f"full-text search, {terms} terms")
        bench.many(
            "/claims/ full-text search",
            [claim_list + "?" + _query({"q": term}) for term in _terms(terms)],
        )
    export = None
    if not bench.skipped("export"):
        progress("export")
        export = _export()
    return bench, claims, export


def _query(params: dict) -> str:
    from django.utils.http import urlencode

    return urlencode(params)


def _terms(count: int) -> list[str]:
    """``count`` different searches: single words, then pairs, then words
    seven apart."""
    words = SEARCH_TERMS
    terms = list(words)
    for step in (1, 7, 13):
        terms += [f"{a} {b}" for a, b in zip(words, words[step:], strict=False)]
    return list(dict.fromkeys(terms))[:count]


@dataclass
class ExportFigure:
    claims: int
    seconds: float
    peak_mb: float


EXPORT_CLAIMS = 100_000


def _export() -> ExportFigure:
    """A CSV export of ``EXPORT_CLAIMS`` claims (the export contract's own
    writer, as ``export_claims`` runs it) into /dev/null: timed once, then
    run again under tracemalloc for the peak of Python's allocations
    (tracemalloc slows it, so that run is not timed)."""
    from claims.export import write

    first = Claim.objects.order_by("id").values_list("id", flat=True).first() or 0
    claims = Claim.objects.filter(id__lt=first + EXPORT_CLAIMS)
    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        count = write("csv", claims, sink)
        seconds = time.perf_counter() - started
        # The first run's server-side cursor closes when it is collected.
        gc.collect()
        tracemalloc.start()
        try:
            write("csv", claims, sink)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return ExportFigure(claims=count, seconds=seconds, peak_mb=peak / 2**20)


def table(bench: Bench, claims: int, export: ExportFigure | None, command: str) -> str:
    cpu = platform.processor() or platform.machine()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    lines = [
        f"Measured by `{command}` on {time.strftime('%Y-%m-%d')}: "
        f"{claims:,} claims, PostgreSQL {version}, {os.cpu_count()} cores "
        f"({cpu}), Python {platform.python_version()}. Server-side times in ms "
        f"over {bench.repeat} warm requests; the floor is the page's own "
        "queries replayed as bare SQL in the same loop, after the same request "
        "as the page; the plain ModelAdmin is timed in the same run, "
        "interleaved.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
    ]
    for row in bench.rows:
        plain = statistics.median(row.plain) if row.plain else None
        cells = [
            row.page + (f" ({row.note})" if row.note else ""),
            f"{row.p50:,.1f}",
            f"{row.p95:,.1f}",
            str(row.queries),
            f"{row.floor:,.1f}" if row.floor is not None else "—",
            f"{row.p50 - row.floor:,.1f}" if row.floor is not None else "—",
            f"{plain:,.0f}" if plain else "—",
            f"{plain / row.p50:,.1f}" if plain else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if export is None:
        return "\n".join(lines)
    lines += [
        "",
        f"Export: a CSV export (the writer of `export_claims --format csv`) of "
        f"{export.claims:,} claims took "
        f"{export.seconds:,.1f} s ({export.claims / export.seconds:,.0f} claims/s), "
        f"peak memory {export.peak_mb:,.0f} MB (the peak of Python's allocations "
        "during the export, by tracemalloc, in a second run).",
    ]
    return "\n".join(lines)


COLUMNS = (
    "page",
    "p50",
    "p95",
    "queries",
    "SQL floor",
    "above the floor",
    "plain ModelAdmin p50",
    "× faster",
)
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write(doc: Path, text: str, markers: tuple[str, str] = (START, END)) -> None:
    """Put ``text`` between the markers of ``doc`` (added at the end the
    first time)."""
    start, end = markers
    current = doc.read_text() if doc.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        doc.write_text(before + block + after)
    else:
        doc.write_text(current.rstrip("\n") + "\n\n" + block + "\n")
