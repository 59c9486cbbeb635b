"""Planner settings for one query, when PostgreSQL's estimates are known to
mislead it there (each use says what was measured).

``SET LOCAL`` lasts until the end of the transaction: the block runs in one
(a savepoint when already inside one); inside an outer transaction the
settings are put back at the block's end, so nothing after it is planned
differently (outside one, the block's COMMIT ends them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

# The planner methods that may be switched off here; nothing else is set.
METHODS = frozenset(
    {"enable_bitmapscan", "enable_indexscan", "enable_seqscan", "enable_sort"}
)


@contextmanager
def planner_without(*methods: str, using: str = "default") -> Iterator[None]:
    unknown = set(methods) - METHODS
    if unknown:
        raise ValueError(f"Not a planner method this module sets: {sorted(unknown)}")
    off = "; ".join(f"SET LOCAL {name} TO off" for name in methods)
    on = "; ".join(f"SET LOCAL {name} TO on" for name in methods)
    connection = connections[using]
    # Outside a transaction the block's own COMMIT ends the settings: no
    # statement to put them back (one round trip fewer per use). Inside
    # one (an atomic block, or autocommit turned off, where atomic() does
    # not commit) they are put back.
    inside = connection.in_atomic_block or not connection.get_autocommit()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(off)
        try:
            yield
        finally:
            if inside:
                cursor.execute(on)
