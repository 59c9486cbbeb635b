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
statement timeout.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone

from claims.claimreview import claim_review, reviewed, site_url
from claims.models import VERDICTS, Claim, Evidence, Quantity, ReviewNote

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


def export_queryset(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with everything the contract needs, ordered by id."""
    claims = Claim.objects.all() if claims is None else claims
    # A correlated subquery, not JOIN + GROUP BY: with GROUP BY PostgreSQL
    # would aggregate every matching claim before it could take a chunk.
    notes = (
        ReviewNote.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        claims.select_related("episode__show", "speaker", "claimant", "approved_by")
        .prefetch_related(
            Prefetch("quantities", queryset=Quantity.objects.order_by("id")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.order_by("added_at", "id").only(
                    "id", "claim_id", "url", "title", "stance"
                ),
            ),
        )
        .annotate(notes_count=Coalesce(Subquery(notes), 0))
        .defer("episode__source_text", "search_vector")
        .order_by("id")
    )


def chunks(
    claims: QuerySet[Claim], chunk_size: int | None = None
) -> Iterator[list[Claim]]:
    """``claims`` in lists of at most ``chunk_size``, by ascending id.

    Keyset pages rather than ``iterator()``'s server-side cursor: outside a
    transaction that cursor is declared WITH HOLD, which runs the whole query
    up front (one long statement that a web request's timeout would cancel).
    """
    chunk_size = chunk_size or CHUNK_SIZE
    claims = claims.order_by("pk")
    last = None
    while True:
        page = claims if last is None else claims.filter(pk__gt=last)
        chunk = list(page[:chunk_size])
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        last = chunk[-1].pk


def iter_claims(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[Claim]:
    for chunk in chunks(export_queryset(claims), chunk_size):
        yield from chunk


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _person(user: Any) -> str | None:
    """A user as the claim page names them."""
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def claim_record(claim: Claim) -> dict[str, Any]:
    episode = claim.episode
    return {
        "id": claim.pk,
        "text": claim.text,
        "quote": claim.quote,
        "speaker": claim.speaker.name if claim.speaker else None,
        "claimant": claim.claimant.name if claim.claimant else None,
        "episode": {
            "title": episode.title,
            "show": episode.show.name,
            "published_on": episode.published_on.isoformat()
            if episode.published_on
            else None,
            "slug": episode.slug,
        },
        "timestamp_seconds": claim.timestamp_seconds,
        "status": claim.status,
        "approved": claim.approved_at is not None,
        "checkworthiness": claim.checkworthiness,
        "quantities": [
            {
                "kind": q.kind,
                "low": _number(q.low),
                "high": _number(q.high),
                "unit": q.unit,
                "approx": q.approx,
                "text": q.text,
            }
            for q in claim.quantities.all()
        ],
        "evidence": [
            {"url": e.url, "title": e.title, "stance": e.stance}
            for e in claim.evidence.all()
        ],
        "notes": claim.notes_count,
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.updated_at.isoformat(),
        "verdict": claim.status if claim.status in VERDICTS else None,
        "rationale": claim.rationale or None,
        "approved_by": _person(claim.approved_by),
        "approved_at": claim.approved_at.isoformat() if claim.approved_at else None,
        "summary": claim.summary or None,
    }


def iter_records(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, Any]]:
    for claim in iter_claims(claims, chunk_size=chunk_size):
        yield claim_record(claim)


# --- formats: each turns records into pieces of text, written as they come ------


class _Line:
    """A file-like object whose ``write`` hands back what it was given, so
    ``csv.writer(...).writerow`` returns the row's text."""

    def write(self, text: str) -> str:
        return text


def json_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one object per line."""
    first = True
    yield "["
    for record in records:
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]\n" if first else "\n]\n"


def _csv_row(record: dict[str, Any]) -> dict[str, Any]:
    episode = record["episode"]
    row = {
        **record,
        "episode_title": episode["title"],
        "episode_show": episode["show"],
        "episode_published_on": episode["published_on"] or "",
        "episode_slug": episode["slug"],
        "approved": "true" if record["approved"] else "false",
        "quantities": json.dumps(record["quantities"], ensure_ascii=False),
        "evidence": json.dumps(record["evidence"], ensure_ascii=False),
    }
    return {name: "" if row[name] is None else row[name] for name in CSV_COLUMNS}


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV with one row per claim; nested lists are JSON in their cell."""
    writer = csv.DictWriter(_Line(), fieldnames=CSV_COLUMNS)
    yield writer.writeheader()
    for record in records:
        yield writer.writerow(_csv_row(record))


def evidence_rows(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, str]]:
    """The evidence of ``claims``, by claim id and then in the order it was
    added: two queries per chunk of claims (their ids, their evidence)."""
    claims = Claim.objects.all() if claims is None else claims
    for chunk in chunks(claims.only("pk"), chunk_size):
        evidence = Evidence.objects.filter(
            claim_id__in=[claim.pk for claim in chunk]
        ).order_by("claim_id", "added_at", "id")
        for item in evidence:
            yield {
                "claim_id": str(item.claim_id),
                "url": item.url,
                "title": item.title,
                "publisher": item.publisher,
                "published_on": item.published_on.isoformat()
                if item.published_on
                else "",
                "stance": item.stance,
                "excerpt": item.excerpt,
            }


def evidence_csv_lines(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=EVIDENCE_COLUMNS)
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow(row)


def claim_reviews(
    claims: QuerySet[Claim] | None = None, *, chunk_size: int | None = None
) -> Iterator[dict[str, Any]]:
    """The schema.org ClaimReview of each published verdict among ``claims``
    that has one (``claims.claimreview``), by id: two queries per chunk (the
    claims with their episode and people, their mentions)."""
    claims = Claim.objects.all() if claims is None else claims
    base_url = site_url()
    for chunk in chunks(reviewed(claims), chunk_size):
        for claim in chunk:
            yield claim_review(claim, base_url=base_url)


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
    "csv": ("claims", iter_records, csv_lines),
    "evidence-csv": ("evidence links", evidence_rows, evidence_csv_lines),
    "claimreview": ("ClaimReview items", claim_reviews, datafeed_lines),
}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
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
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{stamp}.{EXTENSIONS[fmt]}"'
    )
    return response
