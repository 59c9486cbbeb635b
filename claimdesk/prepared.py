"""Querysets compiled to SQL once per process, then run with new values.

Django compiles a queryset to SQL every time it is evaluated, and builds the
queryset (filters, joins, deferred columns, annotations) every time the
view runs. For a page that shows the same few short lists on every view,
the dashboard's, that was more Python than the lists' rows: about 1 ms per
list to build and compile on the slow two-core VM of docs/performance.md,
against 0.1–0.3 ms to read ten rows.

A ``Prepared`` query is built and compiled once per process and
variant (the arguments that change its SQL: a reader or a reviewer); each
use runs that SQL with its values put where the markers it was built with
went, and makes the rows as Django's own iterables do (``select_related``
objects, annotations, deferred fields, ``values_list`` tuples).

Its builder must give the same SQL for the same variant: whatever changes
from one use to the next (a date, a list of ids) is a marked value. Each
marker must come out as exactly one parameter of the SQL, as given or as
``adapt`` writes it; a builder that breaks this is refused when compiled.
The queryset a use makes is evaluated at once and never handed out, so
nothing can chain another filter onto SQL that would not show it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet


def _as_given(value):
    return value


class Prepared:
    """``build(*variant, **markers)`` compiled once per variant (on the
    database the built queryset reads);
    ``list(*variant, **values)`` runs it with ``values`` for the markers.

    ``markers``: name -> the value the builder is compiled with, one no real
    use passes (a date of the year 1, an id of -1). ``adapt``: name -> how a
    value is written as the SQL's parameter, where the lookup changes it
    (``claimdesk.lookups.int_array`` for ``__any``)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        markers: dict[str, Any] | None = None,
        adapt: dict[str, Callable[[Any], Any]] | None = None,
    ):
        self.build = build
        self.markers = dict(markers or {})
        self.adapt = {name: _as_given for name in self.markers} | dict(adapt or {})
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def _compile(self, variant: tuple[Hashable, ...]):
        """The template queryset, its compiler after ``as_sql``, the SQL, its
        parameters and where each marker's value goes, for ``variant``."""
        queryset = self.build(*variant, **self.markers)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        params = list(params)
        # Built again: a value read at build time that is not a marker (the
        # time, say) would differ, and be frozen into every later use.
        again = self.build(*variant, **self.markers)
        if again.query.get_compiler(using=db).as_sql() != (sql, tuple(params)):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__} builds different SQL or values each "
                "time for the same variant and markers: mark what changes."
            )
        # Only its results' shape is kept; each use binds its own connection.
        compiler.connection = None
        slots = {}
        for name, marker in self.markers.items():
            written = self.adapt[name](marker)
            found = [
                at
                for at, param in enumerate(params)
                if type(param) is type(written) and param == written
            ]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"{self.build.__qualname__}: the marker {name}={marker!r} is "
                    f"{len(found)} parameters of its SQL, not one. Give it a "
                    "value nothing else in the query has, or its adapt."
                )
            slots[name] = found[0]
        return queryset, compiler, sql, params, slots

    def compiled(self, *variant: Hashable):
        found = self._compiled.get(variant)
        if found is None:
            with self._lock:
                found = self._compiled.get(variant)
                if found is None:
                    found = self._compiled[variant] = self._compile(variant)
        return found

    def sql(self, *variant: Hashable, **values) -> tuple[str, tuple]:
        """The SQL and parameters a use with ``values`` runs."""
        _, _, sql, params, slots = self.compiled(*variant)
        params = params.copy()
        for name, value in values.items():
            params[slots[name]] = self.adapt[name](value)
        return sql, tuple(params)

    def list(self, *variant: Hashable, **values) -> list:
        """The rows, as ``list(build(*variant, **values))`` gives them."""
        if set(values) != set(self.markers):
            raise TypeError(
                f"{self.build.__qualname__} takes the values {sorted(self.markers)}, "
                f"not {sorted(values)}."
            )
        for name, value in values.items():
            # Put in as given, without the field's own preparation: of the
            # marker's type (a datetime is a date, but not compared as one).
            marker = self.markers[name]
            if self.adapt[name] is _as_given and type(value) is not type(marker):
                raise TypeError(
                    f"{self.build.__qualname__}: {name} must be a "
                    f"{type(marker).__name__}, not a {type(value).__name__}."
                )
        template, compiler, _, _, _ = self.compiled(*variant)
        sql, params = self.sql(*variant, **values)
        bound = copy.copy(compiler)
        # This thread's connection, not the one that compiled it.
        bound.connection = connections[template.db]
        bound.as_sql = lambda *args, **kwargs: (sql, params)
        # A shallow copy of the template and of its query, which Django's
        # iterables ask for a compiler: no clone of its filters. Its
        # get_compiler answers this use's compiler whatever it is asked
        # (another database, a count): safe only because this queryset is
        # evaluated here, once, and never handed out.
        query = copy.copy(template.query)
        query.get_compiler = lambda *args, **kwargs: bound
        queryset = object.__new__(type(template))
        queryset.__dict__.update(template.__dict__)
        queryset._query = query
        queryset._result_cache = None
        queryset._prefetch_done = False
        return list(queryset)
