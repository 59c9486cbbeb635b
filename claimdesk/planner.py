"""Planner settings for one query, when PostgreSQL's estimates are known to
mislead it there (each use says what was measured).

``SET LOCAL`` lasts until the end of the transaction. Outside one (a page
view, in autocommit), each query of the block is sent with the settings
before it, as one string: PostgreSQL runs a string of several statements
as one implicit transaction, so the settings last exactly that query, in
one round trip (no BEGIN, SET, COMMIT of their own: three round trips and
an atomic block fewer per query, about 0.5 ms). Inside a transaction (an
atomic block, or autocommit turned off) the block runs in a savepoint and
the settings are put back at its end, so nothing after it is planned
differently.

Outside a transaction, the block is not one: ``select_for_update()``
inside it needs an atomic block of its own, as anywhere in autocommit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
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
    connection = connections[using]
    # Several statements in one string need the parameters bound on the
    # client (psycopg's ClientCursor, Django's default).
    if (
        connection.get_autocommit()
        and not connection.in_atomic_block
        and not connection.settings_dict["OPTIONS"].get("server_side_binding")
    ):
        with connection.execute_wrapper(_SettingsFirst(off, len(methods))):
            yield
        return
    on = "; ".join(f"SET LOCAL {name} TO on" for name in methods)
    inside = connection.in_atomic_block or not connection.get_autocommit()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(off)
        try:
            yield
        finally:
            if inside:
                cursor.execute(on)


_SAVEPOINTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


class _SettingsFirst:
    """An execute wrapper: the settings, then the query, in one string; the
    cursor is left on the query's result (the settings' own come first)."""

    def __init__(self, settings: str, statements: int):
        self.prefix = settings + "; "
        self.statements = statements

    def __call__(self, execute, sql, params, many, context):
        if many:
            # executemany sends each set of parameters apart: no one string.
            raise ValueError("planner_without does not apply to executemany")
        if isinstance(context["cursor"].cursor, psycopg.ServerCursor):
            # iterator()'s cursor declares one query (DECLARE … FOR query).
            raise ValueError("planner_without does not apply to iterator()")
        if sql.startswith(_SAVEPOINTS):
            # An atomic block opened inside this one: its savepoints as they
            # are. ROLLBACK TO SAVEPOINT must run in a failed transaction,
            # which refuses any other statement (a SET LOCAL before it); the
            # settings already hold for that transaction.
            return execute(sql, params, many, context)
        result = execute(self.prefix + sql, params, many, context)
        for _ in range(self.statements):
            context["cursor"].nextset()
        return result
