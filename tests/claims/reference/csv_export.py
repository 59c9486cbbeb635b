"""The CSV export as the previous release wrote it: ``csv.writer`` over the
contract's records (``claims.export.iter_records``), kept verbatim so that
``claims.export.csv_rows``, which writes the rows straight from the
database's tuples, can be compared with it byte for byte."""

import csv
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from claims.export import CSV_COLUMNS, _dumps


class _Line:
    def write(self, text: str) -> str:
        return text


_CSV_CELLS = itemgetter(*CSV_COLUMNS)


def _csv_row(record: dict[str, Any]) -> tuple[Any, ...]:
    episode = record["episode"]
    verdict = record["verdict"] or {}
    quantities = record["quantities"]
    evidence = record["evidence"]
    row = {
        **record,
        "verdict": verdict.get("status"),
        "rationale": verdict.get("rationale"),
        "approved_by": verdict.get("approved_by"),
        "approved_at": verdict.get("approved_at"),
        "episode_title": episode["title"],
        "episode_show": episode["show"],
        "episode_published_on": episode["published_on"],
        "episode_slug": episode["slug"],
        "approved": "true" if record["approved"] else "false",
        "quantities": _dumps(quantities) if quantities else "[]",
        "evidence": _dumps(evidence) if evidence else "[]",
    }
    return tuple("" if cell is None else cell for cell in _CSV_CELLS(row))


def csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    writerow = csv.writer(_Line()).writerow
    yield writerow(CSV_COLUMNS)
    for record in records:
        yield writerow(_csv_row(record))
