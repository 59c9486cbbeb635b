"""The export contract: one plain dict per claim, stable across releases.

Used by ``manage.py export_claims``, the claim list's download links and the
admin's export actions, so all of them say the same thing. Keys and meanings
are documented in README.md ("Export contract"); add keys if needed, never
rename or drop one.

Every export streams: claims are read in keyset chunks (``id > last ORDER BY
id LIMIT n``), each chunk one query for the claims and one per prefetch, and
each record is written before the next chunk is read. Memory stays flat
however many claims there are (docs/performance.md), and no statement runs
longer than one chunk takes, so a web export stays inside the request's
statement timeout. Outside a transaction the next chunk is read by a second
thread while this one is written (``claimdesk.read_ahead``), so the
database's work and Python's overlap on the machine's two cores.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import IO, Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
)
from django.http import StreamingHttpResponse
from django.utils import timezone

from claimdesk.read_ahead import read_ahead
from claims.claimreview import claim_review, reviewed, site_url
from claims.models import (
    VERDICTS,
    Claim,
    Evidence,
    Mention,
    Quantity,
    ReviewNote,
    Status,
    count_per_claim,
)

# Claims read per query. Each chunk costs 1 + one query per prefetch
# (quantities, evidence), whatever its size.
CHUNK_SIZE = 1000

CSV_COLUMNS = [
    "id",
    "text",
    "quote",
    "speaker",
    "claimant",
    "episode_title",
    "episode_show",
    "episode_published_on",
    "episode_slug",
    "timestamp_seconds",
    "status",
    "approved",
    "checkworthiness",
    "quantities",
    "evidence",
    "notes",
    "created_at",
    "updated_at",
    # Added with the review columns; the contract only ever appends.
    "verdict",
    "rationale",
    "approved_by",
    "approved_at",
    "summary",
]

# One row per evidence link: exactly the columns ``import_evidence`` reads,
# so an export can be imported again (claims.ingest.evidence).
EVIDENCE_COLUMNS = [
    "claim_id",
    "url",
    "title",
    "publisher",
    "published_on",
    "stance",
    "excerpt",
]


# What a record reads of a claim and of the rows it joins, as values_list()
# lookups: plain tuples, not model instances or dicts, so a chunk costs a few
# allocations per claim and leaves no reference cycles behind. The three
# timestamps come as text, already as ``datetime.isoformat()`` writes them
# (``IsoTimestamp``).
ROW_FIELDS = (
    "id",
    "text",
    "quote",
    "speaker__name",
    "claimant__name",
    "episode__title",
    "episode__show__name",
    "episode__published_on",
    "episode__slug",
    "timestamp_seconds",
    "status",
    "approved_at",
    "checkworthiness",
    "created_at",
    "updated_at",
    "rationale",
    "summary",
    "approved_by__username",
    "notes_count",
)
QUANTITY_FIELDS = ("kind", "low", "high", "unit", "approx", "text")
EVIDENCE_FIELDS = ("url", "title", "stance")
# Of ROW_FIELDS, those read as ISO 8601 text (``IsoTimestamp``).
TIMESTAMP_FIELDS = ("approved_at", "created_at", "updated_at")

# The verdicts' names, read once (``Status(status).label`` per claim costs an
# enum lookup each time).
_VERDICT_LABELS = {str(status): str(Status(status).label) for status in VERDICTS}


class IsoTimestamp(Func):
    """A ``timestamp with time zone`` as the text ``datetime.isoformat()``
    gives for it in UTC (the connection's time zone, so what ``values()``
    would return): ``YYYY-MM-DDTHH:MM:SS``, then ``.ffffff`` only when there
    are microseconds, then ``+00:00``; NULL stays NULL.

    Formatted by PostgreSQL because Django reads each timestamp with
    psycopg's pure-Python loader (to attach its time zone): parsing three per
    claim and writing them back out was a tenth of an export's time. The
    expression appears once in the template, so one with parameters works.
    """

    output_field = CharField()
    template = (
        "(replace(to_char(%(expressions)s AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00')"
    )


# The mark ``for_readers`` leaves on a queryset (an alias, read by
# ``export_queryset``, as ``sort_claims`` reads the search's rank).
_FOR_READERS = "export_for_readers"


def for_readers(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """``claims`` to be exported for readers who are not reviewers: what the
    public pages and the API do not show them (the check-worthiness score,
    the number of reviewer notes) is null in the export, and ``updated_at``
    is when what they see last changed (``published_changed_at``)."""
    return claims.alias(**{_FOR_READERS: Value(True)})


def export_queryset(claims: QuerySet[Claim] | None = None) -> QuerySet:
    """``claims`` as tuples of ``ROW_FIELDS``, ordered by id."""
    claims = Claim.objects.all() if claims is None else claims
    readers = _FOR_READERS in claims.query.annotations
    return (
        claims.annotate(
            notes_count=(
                Value(None, output_field=IntegerField())
                if readers
                else count_per_claim(ReviewNote)
            ),
            shown_checkworthiness=(
                Value(None, output_field=FloatField())
                if readers
                else F("checkworthiness")
            ),
            **{
                f"{name}_iso": IsoTimestamp(
                    # Readers are told when what they see last changed, not
                    # of every write (a note, an assignment).
                    "published_changed_at" if readers and name == "updated_at" else name
                )
                for name in TIMESTAMP_FIELDS
            },
        )
        .order_by("id")
        .values_list(
            *(
                f"{name}_iso"
                if name in TIMESTAMP_FIELDS
                else "shown_checkworthiness"
                if name == "checkworthiness"
                else name
                for name in ROW_FIELDS
            )
        )
    )


def chunks(
    rows: QuerySet,
    chunk_size: int | None = None,
    key: Callable[[Any], int] = attrgetter("pk"),
) -> Iterator[list[Any]]:
    """``rows`` in lists of at most ``chunk_size``, by ascending id (``key``
    reads it from a row).

    Keyset pages rather than ``iterator()``'s server-side cursor: outside a
    transaction that cursor is declared WITH HOLD, which runs the whole query
    up front (one long statement that a web request's timeout would cancel).
    """
    chunk_size = chunk_size or CHUNK_SIZE
    rows = rows.order_by("pk")
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:chunk_size])
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        last = key(chunk[-1])


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _related(ids: set[int]) -> tuple[dict[int, list], dict[int, list]]:
    """claim id → its quantities, and → its evidence, as the record's dicts
    (two queries, whatever the number of ``ids``)."""
    quantities: dict[int, list] = defaultdict(list)
    for claim_id, kind, low, high, unit, approx, text in (
        Quantity.objects.filter(claim_id__any=ids)
        .order_by("claim_id", "id")
        .values_list("claim_id", *QUANTITY_FIELDS)
    ):
        quantities[claim_id].append(
            {
                "kind": kind,
                "low": _number(low),
                "high": _number(high),
                "unit": unit,
                "approx": approx,
                "text": text,
            }
        )
    evidence: dict[int, list] = defaultdict(list)
    for claim_id, url, title, stance in (
        Evidence.objects.filter(claim_id__any=ids)
        .order_by("claim_id", "added_at", "id")
        .values_list("claim_id", *EVIDENCE_FIELDS)
    ):
        evidence[claim_id].append({"url": url, "title": title, "stance": stance})
    return quantities, evidence


def _record(row: tuple, quantities: list, evidence: list) -> dict[str, Any]:
    """The contract's record of one claim's row (``ROW_FIELDS``) and its
    related rows.

    The row is unpacked by position here and again in ``csv_rows``: read by
    name (a named tuple per row) both exports were 7–10 % slower, measured
    back to back. A field added to ROW_FIELDS and not to both unpackings
    fails every export test (too many values to unpack)."""
    (
        id_,
        text,
        quote,
        speaker,
        claimant,
        episode_title,
        show,
        published_on,
        slug,
        timestamp_seconds,
        status,
        approved_at,
        checkworthiness,
        created_at,
        updated_at,
        rationale,
        summary,
        approved_by,
        notes,
    ) = row
    label = _VERDICT_LABELS.get(status)
    # The same object as the API's ``verdict`` (api/serializers.py), less who
    # proposed it, which readers are not shown.
    verdict = (
        None
        if label is None
        else {
            "status": status,
            "label": label,
            "rationale": rationale,
            "approved": approved_at is not None,
            "approved_at": approved_at,
            "approved_by": approved_by,
        }
    )
    return {
        "id": id_,
        "text": text,
        "quote": quote,
        "speaker": speaker,
        "claimant": claimant,
        "episode": {
            "title": episode_title,
            "show": show,
            "published_on": (
                None if published_on is None else published_on.isoformat()
            ),
            "slug": slug,
        },
        "timestamp_seconds": timestamp_seconds,
        "status": status,
        "approved": approved_at is not None,
        "checkworthiness": checkworthiness,
        "quantities": quantities,
        "evidence": evidence,
        "notes": notes,
        "created_at": created_at,
        "updated_at": updated_at,
        "verdict": verdict,
        "summary": summary,
    }


def _chunks_with_related(
    claims: QuerySet[Claim] | None, chunk_size: int | None = None
) -> Iterator[tuple[list[tuple], dict[int, list], dict[int, list]]]:
    """Each chunk of ``claims``' rows (``ROW_FIELDS``) with its quantities and
    evidence by claim id (``_related``): three queries per chunk."""
    for chunk in chunks(export_queryset(claims), chunk_size, key=itemgetter(0)):
        yield (chunk, *_related({row[0] for row in chunk}))


def _read_chunks(
    claims: QuerySet[Claim] | None, chunk_size: int | None
) -> Iterator[tuple[list[tuple], dict[int, list], dict[int, list]]]:
    """``_chunks_with_related``, read one chunk ahead of the caller by a
    second thread (``read_ahead``): the database reads the next chunk while
    this one is written."""
    return read_ahead(lambda: _chunks_with_related(claims, chunk_size))


def iter_records(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, Any]]:
    """The record of each of ``claims``, by id: three queries per chunk (the
    claims with their joins and notes count, their quantities, their
    evidence)."""
    for chunk, quantities, evidence in _read_chunks(claims, chunk_size):
        for row in chunk:
            id_ = row[0]
            yield _record(row, quantities.get(id_, []), evidence.get(id_, []))


def claim_record(claim: Claim) -> dict[str, Any]:
    """One claim's record, read afresh (three queries; ``iter_records`` reads
    many at that cost)."""
    ((row,), quantities, evidence) = next(
        _chunks_with_related(Claim.objects.filter(pk=claim.pk))
    )
    return _record(row, quantities.get(claim.pk, []), evidence.get(claim.pk, []))


# --- formats: each turns records into pieces of text, written as they come ------


class _Line:
    """A file-like object whose ``write`` hands back what it was given, so
    ``csv.writer(...).writerow`` returns the row's text."""

    def write(self, text: str) -> str:
        return text


def _dumps(value: Any) -> str:
    """``value`` as compact JSON text (no spaces after ``,`` and ``:``),
    non-ASCII characters as themselves.

    orjson writes it several times faster than ``json.dumps``; an integer
    past 64 bits, which an amount may be (30 digits), it refuses, and
    ``json`` writes that record in the same form.
    """
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one object per line."""
    first = True
    yield "["
    for record in records:
        yield ("\n" if first else ",\n") + _dumps(record)
        first = False
    yield "]\n" if first else "\n]\n"


def _csv_cell(text: str | None) -> str:
    """``text`` as a cell of the CSV, as ``csv.writer`` writes it (its
    default dialect, QUOTE_MINIMAL): empty for None; in double quotes, each
    quote doubled, when it holds a comma, a quote, CR or LF."""
    if not text:
        return ""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


# What a spreadsheet takes for the start of a formula when it opens a CSV
# (OWASP, "CSV Injection"): a transcript's line or a reviewer's summary
# beginning with one of these could run as =HYPERLINK(…), =cmd|…, or
# DDE on a reader's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula's start at the start of the text, or after a character that a
# spreadsheet may take for a cell's end: the comma, and the semicolon and
# tab that Excel separates with in many locales (German, French, Dutch…),
# where "Revenue grew;=cmd|…" is two cells, the second a formula; and a
# line break; quotes may come between (a spreadsheet reads ;"=1+1" as the
# cell =1+1).
_FORMULA_AT_A_CELL_START = re.compile(r"(^|[,;\t\r\n])(\"*)(?=[=+\-@\t\r])")


def _spreadsheet_text(text: str) -> str:
    """``text`` with an apostrophe before every formula start that begins
    it or follows a separator: spreadsheets read a cell that begins with an
    apostrophe as text."""
    return _FORMULA_AT_A_CELL_START.sub(r"\1\2'", text)


def _spreadsheet_cell(text: str | None) -> str:
    """``text`` as a cell of the CSV for spreadsheets (``_spreadsheet_text``)."""
    return _csv_cell(_spreadsheet_text(text) if text else text)


def _json_cell(items: list) -> str:
    """A list of dicts (a record's amounts or evidence) as its CSV cell: JSON
    in quotes, since its keys are."""
    return '"' + _dumps(items).replace('"', '""') + '"' if items else "[]"


def _spreadsheet_json_cell(items: list) -> str:
    """``_json_cell`` for spreadsheets: an evidence title such as
    "x;=cmd|…" is a formula cell to a spreadsheet splitting on ";"."""
    if not items:
        return "[]"
    return '"' + _spreadsheet_text(_dumps(items)).replace('"', '""') + '"'


def csv_rows(
    claims: QuerySet[Claim] | None = None,
    *,
    chunk_size: int | None = None,
    cell: Callable[[str | None], str] = _csv_cell,
    json_cell: Callable[[list], str] = _json_cell,
) -> Iterator[str]:
    """The CSV row of each of ``claims`` (CSV_COLUMNS, ending in CRLF), by
    id: the cells of its record (``iter_records``; nested lists as JSON in
    their cell, null as an empty cell), written straight from the chunk's
    tuples.

    ``csv.writer`` over records wrote the same text with a record dict and a
    row dict per claim, then its scan of every character of every cell (this
    alone is 1.25× as fast, docs/performance.md). Here only the cells that
    can hold a comma, a quote or a line break are looked at;
    tests/claims/test_export.py compares the two byte for byte. ``cell``
    and ``json_cell`` write the text and list cells (``spreadsheet_csv_rows``
    passes its own)."""
    labels = _VERDICT_LABELS
    for chunk, quantities, evidence in _read_chunks(claims, chunk_size):
        for (
            id_,
            text,
            quote,
            speaker,
            claimant,
            episode_title,
            show,
            published_on,
            slug,
            timestamp_seconds,
            status,
            approved_at,
            checkworthiness,
            created_at,
            updated_at,
            rationale,
            summary,
            approved_by,
            notes,
        ) in chunk:
            verdict = status in labels
            yield (
                ",".join(
                    (
                        str(id_),
                        cell(text),
                        cell(quote),
                        cell(speaker),
                        cell(claimant),
                        cell(episode_title),
                        cell(show),
                        "" if published_on is None else published_on.isoformat(),
                        cell(slug),
                        "" if timestamp_seconds is None else str(timestamp_seconds),
                        cell(status),
                        "false" if approved_at is None else "true",
                        "" if checkworthiness is None else repr(checkworthiness),
                        json_cell(quantities.get(id_)),
                        json_cell(evidence.get(id_)),
                        "" if notes is None else str(notes),
                        created_at,
                        updated_at,
                        status if verdict else "",
                        cell(rationale) if verdict else "",
                        cell(approved_by) if verdict else "",
                        (approved_at or "") if verdict else "",
                        cell(summary),
                    )
                )
                + "\r\n"
            )


def spreadsheet_csv_rows(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[str]:
    """``csv_rows`` for opening in a spreadsheet: in every text and list
    cell, each formula start (FORMULA_STARTS) at the start or after a
    separator gets an apostrophe before it. The other cells (ids, numbers,
    dates) hold neither."""
    return csv_rows(
        claims,
        chunk_size=chunk_size,
        cell=_spreadsheet_cell,
        json_cell=_spreadsheet_json_cell,
    )


def csv_lines(rows: Iterable[str]) -> Iterator[str]:
    """The CSV: its header, then ``rows`` (``csv_rows``)."""
    yield ",".join(CSV_COLUMNS) + "\r\n"
    yield from rows


def evidence_rows(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, str]]:
    """The evidence of ``claims``, by claim id and then in the order it was
    added: two queries per chunk of claims (their ids, their evidence)."""
    claims = Claim.objects.all() if claims is None else claims
    ids = claims.values_list("pk", flat=True)
    for chunk in chunks(ids, chunk_size, key=int):
        rows = (
            Evidence.objects.filter(claim_id__any=set(chunk))
            .order_by("claim_id", "added_at", "id")
            .values_list("claim_id", *EVIDENCE_COLUMNS[1:])
        )
        for claim_id, url, title, publisher, published_on, stance, excerpt in rows:
            yield {
                "claim_id": str(claim_id),
                "url": url,
                "title": title,
                "publisher": publisher,
                "published_on": _iso(published_on) or "",
                "stance": stance,
                "excerpt": excerpt,
            }


def evidence_csv_lines(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    writerow = csv.writer(_Line()).writerow
    cells = itemgetter(*EVIDENCE_COLUMNS)
    yield writerow(EVIDENCE_COLUMNS)
    for row in rows:
        yield writerow(cells(row))


def claim_reviews(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, Any]]:
    """The schema.org ClaimReview of each published verdict among ``claims``
    that has one (``claims.claimreview``), by id: two queries per chunk (the
    claims with their episode and people, their mentions)."""
    claims = Claim.objects.all() if claims is None else claims
    base_url = site_url()
    # The mentions read per chunk into plain lists rather than prefetched:
    # a prefetch ties each mention back to its claim, a reference cycle that
    # only the garbage collector frees, so memory would grow between its runs.
    for chunk in chunks(reviewed(claims).prefetch_related(None), chunk_size):
        mentions: dict[int, list[Mention]] = defaultdict(list)
        for mention in (
            Mention.objects.filter(claim_id__in=[claim.pk for claim in chunk])
            .order_by("claim_id", "quote_start")
            .only("claim_id", "timestamp_seconds")
        ):
            mentions[mention.claim_id].append(mention)
        for claim in chunk:
            yield claim_review(claim, base_url=base_url, mentions=mentions[claim.pk])


def datafeed_lines(reviews: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A schema.org DataFeed of ClaimReview items, one item per line."""
    yield (
        '{"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": ['
    )
    first = True
    for review in reviews:
        yield ("\n" if first else ",\n") + json.dumps(
            review, cls=DjangoJSONEncoder, ensure_ascii=False
        )
        first = False
    yield "]}\n" if first else "\n]}\n"


def spreadsheet_csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """``csv_lines`` after UTF-8's byte-order mark, by which Excel knows the
    file's encoding: without it Excel reads a CSV in the Windows code page,
    and every ’, × or ë in a quote comes out garbled. Programs read the
    plain CSV, which has none."""
    yield "\ufeff"
    yield from csv_lines(rows)


# name → (what one item is, how the items are read, how they are written)
FORMATS: dict[
    str,
    tuple[
        str,
        Callable[[QuerySet[Claim] | None], Iterator[Any]],
        Callable[[Iterable[Any]], Iterator[str]],
    ],
] = {
    "json": ("claims", iter_records, json_lines),
    "csv": ("claims", csv_rows, csv_lines),
    "spreadsheet-csv": ("claims", spreadsheet_csv_rows, spreadsheet_csv_lines),
    "evidence-csv": ("evidence links", evidence_rows, evidence_csv_lines),
    "claimreview": ("ClaimReview items", claim_reviews, datafeed_lines),
}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "spreadsheet-csv": "text/csv; charset=utf-8",
    "evidence-csv": "text/csv; charset=utf-8",
    "claimreview": "application/ld+json; charset=utf-8",
}


class Counted:
    """An iterable that counts what passed through it."""

    def __init__(self, items: Iterable[Any]):
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


def stream(fmt: str, claims: QuerySet[Claim] | None = None) -> Iterator[str]:
    """The export of ``claims`` in ``fmt`` (a key of FORMATS), piece by piece."""
    _, read, write = FORMATS[fmt]
    return write(read(claims))


def batched(pieces: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    """Join small pieces into blocks of about ``size`` characters (fewer,
    larger writes to a socket)."""
    block: list[str] = []
    length = 0
    for piece in pieces:
        block.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(block)
            block, length = [], 0
    if block:
        yield "".join(block)


def write(fmt: str, claims: QuerySet[Claim] | None, out: IO[str]) -> int:
    """Write the export to ``out`` as it is read; returns the items written."""
    _, read, write_format = FORMATS[fmt]
    items = Counted(read(claims))
    for piece in write_format(items):
        out.write(piece)
    return items.count


EXTENSIONS = {
    "json": "json",
    "csv": "csv",
    "spreadsheet-csv": "csv",
    "evidence-csv": "csv",
    "claimreview": "json",
}


def streaming_response(
    fmt: str, claims: QuerySet[Claim], *, name: str = "claims"
) -> StreamingHttpResponse:
    """The export as a download, written to the client as it is read."""
    response = StreamingHttpResponse(
        batched(stream(fmt, claims)), content_type=CONTENT_TYPES[fmt]
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # Not the programs' CSV's name: the two differ.
    kind = "-for-spreadsheets" if fmt == "spreadsheet-csv" else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{name}{kind}-{stamp}.{EXTENSIONS[fmt]}"'
    )
    return response
