"""The export contract: one plain dict per claim, stable across releases.

Used by ``manage.py export_claims`` and, later, by the JSON API, so both say
the same thing. Keys and meanings are documented in README.md ("Export
contract"); add keys if needed, never rename or drop one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count, Prefetch, QuerySet

from claims.models import Claim, Evidence, Quantity

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
]


def export_queryset(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """Claims with everything the contract needs: 3 queries per chunk, not per row."""
    claims = Claim.objects.all() if claims is None else claims
    return (
        claims.select_related("episode__show", "speaker", "claimant")
        .prefetch_related(
            Prefetch("quantities", queryset=Quantity.objects.order_by("id")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.order_by("added_at", "id").only(
                    "id", "claim_id", "url", "title", "stance"
                ),
            ),
        )
        .annotate(notes_count=Count("notes", distinct=True))
        .defer("episode__source_text")
        .order_by("id")
    )


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


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
    }


def iter_records(claims: QuerySet[Claim] | None = None) -> Iterator[dict[str, Any]]:
    # chunk_size keeps memory flat on big tables; prefetches run per chunk.
    for claim in export_queryset(claims).iterator(chunk_size=1000):
        yield claim_record(claim)


def write_json(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Stream a JSON array, one object per line; returns the number written."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """CSV with one row per claim; nested lists are JSON in their cell."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for record in records:
        episode = record.pop("episode")
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
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    return count
