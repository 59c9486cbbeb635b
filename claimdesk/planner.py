"""Planner settings for one query, when PostgreSQL's estimates are known to
mislead it there (each use says what was measured).

``SET LOCAL`` lasts until the end of the transaction: the block runs in one
(a savepoint when already inside one), and the settings are put back at its
end, so nothing after it is planned differently.
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
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(off)
        try:
            yield
        finally:
            cursor.execute(on)
