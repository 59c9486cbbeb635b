"""A paginator that does not COUNT a big result on every page view.

Django's changelist asks its paginator for the number of rows to draw the
page links; an exact COUNT reads every matching row. From ESTIMATE_FROM rows
on, the list uses PostgreSQL's own estimate instead: for the unfiltered
table its row count (pg_class.reltuples, kept by ANALYZE and autovacuum),
for a filtered list the planner's estimate of the query (EXPLAIN, no rows
read). The page links are then approximate (the admin shows "about"), the
rows exact. Below ESTIMATE_FROM the estimate could be far off in relative
terms, and an exact COUNT is cheap: it is counted. A list known to be
short (one speaker's claims) is counted first, up to ESTIMATE_FROM, and
estimated only past that.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

# Counting 10,000 rows exactly already costs about 10 ms; the planner's
# estimate of a filter on one column is within a few per cent of it.
ESTIMATE_FROM = 10_000
# A search's matches are counted exactly up to this many; beyond it the
# list says "about" and the estimate (below) draws the page links.
SEARCH_COUNTED_UP_TO = 1_000


class EstimatedCountPaginator(Paginator):
    """Estimated counts for big lists (above), and each page's rows found
    in two steps (a "deferred join"): first the page's primary keys, in the
    list's order, from the filtered table alone (an index walk, no joins,
    no per-row subqueries); then those rows with everything the list shows.
    An OFFSET over the full query would join, and compute every column for,
    each of the rows it skips: page 500 of 50 would build 24,950 rows to
    throw them away.
    """

    def __init__(
        self,
        *args,
        search_bound: int | None = None,
        short: bool = False,
        rows: Callable[[list], Iterable] | None = None,
        **kwargs,
    ):
        # For a search: the upper bound of its matches from the table's
        # statistics (ClaimQuerySet.matches_at_most). The planner's own
        # estimate of a search of several words can be 20 times too low,
        # and an exact count of 55,000 matches reads 55,000 rows.
        self.search_bound = search_bound
        # A list expected to be short (one speaker's claims): counted, up to
        # ESTIMATE_FROM, before the planner is asked for an estimate, which
        # such a list would not use (one query instead of two).
        self.short = short
        # The rows of a list of ids, in any order (second step below): just
        # what the list shows. Without it, the list's own queryset, filters
        # taken off.
        self.rows = rows
        # Whether ``count`` is an estimate (the list then says "about").
        self.estimated = False
        super().__init__(*args, **kwargs)

    def _get_page(self, object_list, number, paginator) -> Page:
        if not hasattr(object_list, "values_list"):  # not a queryset
            return super()._get_page(object_list, number, paginator)
        return super()._get_page(self.rows_of(object_list), number, paginator)

    def rows_of(self, object_list: QuerySet) -> list:
        """The rows of ``object_list`` (a page of the list, or all of a
        list that fits on one), in its order, in the two steps above."""
        ids = list(object_list.values_list("pk", flat=True))
        # The rows by id alone: the filters already chose them, and a search's
        # condition left in would have the planner read its whole GIN bitmap
        # (10 ms for a common word) to check 50 rows.
        if self.rows is not None:
            rows = self.rows(ids)
        else:
            rows = self.object_list.order_by()
            rows.query.where = WhereNode()
            rows = rows.filter(pk__in=ids)
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]

    def count_exactly(self) -> int:
        """Replace an estimated count with the exact one (one COUNT)."""
        exact = self.object_list.order_by().count()
        self.__dict__["count"] = exact
        self.__dict__.pop("num_pages", None)
        self.estimated = False
        return exact

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            # Past the end of an estimate below the real count (a page typed
            # or kept from before): count exactly, once, and look again. Only
            # within twice the estimate's pages: a page number far beyond
            # (p=999999999) is refused at once, not answered with a COUNT of
            # the whole table (0.8 s at a million claims).
            if not (
                self.estimated and self.num_pages < int(number) <= 2 * self.num_pages
            ):
                raise
            self.count_exactly()
            return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where:
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= ESTIMATE_FROM:
                self.estimated = True
                return row[0]
        elif self.search_bound is not None:
            if getattr(queryset, "has_many_matches", False):
                # More than by_id_if_few's limit: no need to count to 1,000.
                self.estimated = True
                if not queryset.names_matched:
                    # Only its words match: the bound is already above any
                    # estimate the planner makes of them (which multiplies
                    # the words' shares where the bound takes the least), so
                    # no EXPLAIN (0.7 ms of Python and 0.8 of SQL a view).
                    return max(self.search_bound, queryset.more_than + 1)
                # People's claims match too, which the bound leaves out.
                return max(planned_rows(queryset), self.search_bound)
            counted = count_up_to(queryset, SEARCH_COUNTED_UP_TO + 1)
            if counted <= SEARCH_COUNTED_UP_TO:
                return counted
            self.estimated = True
            return max(counted, planned_rows(queryset), self.search_bound)
        elif self.short:
            counted = count_up_to(queryset, ESTIMATE_FROM + 1)
            if counted <= ESTIMATE_FROM:
                return counted
            self.estimated = True
            return max(counted, planned_rows(queryset))
        else:
            estimate = planned_rows(queryset)
            if estimate >= ESTIMATE_FROM:
                self.estimated = True
                return estimate
        return super().count


def count_up_to(queryset, limit: int) -> int:
    """How many rows ``queryset`` has, counting no further than ``limit``:
    ``queryset.values("pk").order_by()[:limit].count()``, in the same SQL
    (``SELECT count(*)`` over the ids, at most ``limit`` of them). Django's
    ``count()`` of a sliced queryset builds an aggregation around a copy of
    it (0.3 ms of Python a view, more than the count of a few hundred
    rows); here the ids' query is compiled and wrapped as text."""
    if queryset.query.is_empty():  # .none(): nothing to count
        return 0
    ids = queryset.values("pk").order_by()[:limit]
    try:
        sql, params = ids.query.sql_with_params()
    except EmptyResultSet:
        # A filter that can match nothing compiles to no SQL (an id past
        # the largest bigint).
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608
        return cursor.fetchone()[0]


def planned_rows(queryset) -> int:
    """The planner's estimate of how many rows ``queryset`` returns."""
    if queryset.query.is_empty():  # .none(): nothing to ask the planner
        return 0
    # The rows alone, as COUNT reads them: without the list's joins and
    # per-row subqueries, whose planning took longer than the filter's.
    output = queryset.values("pk").order_by().explain(format="json")
    if not output:
        # Django compiled a filter that can match nothing into no SQL at all
        # (an id past the largest bigint, ?pk=99999999999999999999): no plan.
        return 0
    plan = json.loads(output)
    return int(plan[0]["Plan"]["Plan Rows"])
