"""Many new rows of one table in one COPY: the bulk writes of an import.

``bulk_create`` sends one ``INSERT … VALUES`` with a parameter per value: an
import of 17,910 claims sent 430,000 parameters, which Django prepared and
psycopg adapted one by one in Python, and PostgreSQL parsed and planned as one
statement. COPY streams the rows instead, formatted by psycopg in C. The
table's triggers fire as for an INSERT (row triggers, and statement triggers
with their transition tables), so the database checks and records rows
written this way like any other, and a query count sees one query per COPY.

Values are Python values as psycopg adapts them (str, int, float, Decimal,
bool, date, aware datetime, None); a JSON field's value is dumped to JSON
here. Nothing else of a model's field logic runs: callers give every column
a value, defaults included (``auto_now`` fields get the caller's timestamp).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids from the sequence of ``model``'s primary key, ascending:
    rows written by COPY, whose ids are needed first (for their children)."""
    if count == 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, %s)"
            "::regclass AS seq) s, generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write ``rows`` (values of ``fields``, in that order) into ``model``'s
    table with one COPY (none without rows); the number of rows written."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in targets)
    json_at = [i for i, f in enumerate(targets) if isinstance(f, models.JSONField)]
    written = 0
    table = connection.ops.quote_name(meta.db_table)
    statement = f"COPY {table} ({columns}) FROM STDIN"
    # As for execute(): a refusal by the database is Django's IntegrityError.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in itertools.chain([first], rows):
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = None if row[i] is None else json.dumps(row[i])
            copy.write_row(row)
            written += 1
    return written
