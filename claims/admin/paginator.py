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
        first_page: bool = False,
        rows: Callable[[list], Iterable] | None = None,
        **kwargs,
    ):
        # For a search: its matches as the table's statistics put them: the
        # upper bound of ClaimQuerySet.matches_at_most, scaled to the share of
        # the table the list's filters hold (``within_filters``). The planner's own
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
        # The view shows the first page: its ids are read in the same round
        # trip as the count (``_read``), whatever the count turns out to be
        # (the first page is always shown, even empty), so nothing is read
        # that the view would not read anyway.
        self.first_page = first_page
        self._first_ids: list | None = None
        # Whether ``count`` is an estimate (the list then says "about").
        self.estimated = False
        super().__init__(*args, **kwargs)

    def _first_ids_sql(self) -> tuple[str, list] | None:
        """The SQL of the first page's ids, as ``rows_of`` would read them,
        if they can be read with the count: a first page, a list walked as
        any other (not a search's hinted walk: ClaimQuerySet.by_id_if_few),
        and several statements allowed in one string."""
        queryset = self.object_list
        if (
            not self.first_page
            or self._first_ids is not None
            or not isinstance(queryset, QuerySet)
            or getattr(queryset, "has_many_matches", False)
            or connections[queryset.db]
            .settings_dict["OPTIONS"]
            .get("server_side_binding")
        ):
            return None
        ids = queryset.values_list("pk", flat=True)[: self.per_page]
        try:
            sql, params = _compiled(ids)
        except EmptyResultSet:
            return None
        return sql, list(params)

    def _read(self, sql: str, params: list) -> list:
        """The rows of ``sql`` (a count, an estimate), with the first page's
        ids read in the same round trip when they can be (``first_page``):
        the two statements in one string, their results one after the
        other. One round trip fewer per view (0.4 ms on the two-core VM)."""
        first = self._first_ids_sql()
        if first is None:
            return _run(self.object_list)(sql, params)
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(f"{sql}; {first[0]}", [*params, *first[1]])
            rows = cursor.fetchall()
            cursor.nextset()
            self._first_ids = [pk for (pk,) in cursor.fetchall()]
            return rows

    def page(self, number) -> Page:
        """Django's page, but the last page of an estimate is read whole:
        Django ends the last page at the count, so with an estimate below
        the real count it held only the estimate's remainder (10 of 50
        rows) and the rows past it had no link (ClaimChangeList.get_results
        offers the next page after a full last page)."""
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )

    def _get_page(self, object_list, number, paginator) -> Page:
        if not hasattr(object_list, "values_list"):  # not a queryset
            return super()._get_page(object_list, number, paginator)
        return super()._get_page(self.rows_of(object_list), number, paginator)

    def rows_of(self, object_list: QuerySet) -> list:
        """The rows of ``object_list`` (a page of the list, or all of a
        list that fits on one), in its order, in the two steps above."""
        low, high = object_list.query.low_mark, object_list.query.high_mark
        first = self._first_ids
        if (
            first is not None
            and low == 0
            and high is not None
            and high <= self.per_page
        ):
            # The first page, read with the count: the same query's first
            # ``high`` ids (its order ends with the primary key: one order).
            ids = first[:high]
        elif (
            first is not None
            and low == 0
            and high is None
            and (
                len(first) < self.per_page
                or (not self.estimated and self.__dict__.get("count") == len(first))
            )
        ):
            # The whole list, which fitted on the first page (with room left,
            # or counted exactly to as many rows as the page holds).
            ids = first
        else:
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
        """A page past either end is the nearest page that exists, the
        list's filters and search kept: Django's answer ("?e=1", a redirect
        to the whole list) dropped them, so a search's page kept from before
        showed every claim under an empty search box (found by a new user).
        """
        try:
            return super().validate_number(number)
        except EmptyPage:
            number = int(number)
            if number < 1:
                return 1
            # Past the end of an estimate below the real count (a page typed
            # or kept from before): count exactly, once, and look again. Only
            # within twice the estimate's pages: a page number far beyond
            # (p=999999999) is the estimate's last page at once, not a COUNT
            # of the whole table (0.8 s at a million claims); should that
            # page be empty, ClaimChangeList.get_results counts then, as the
            # last page's link would.
            if self.estimated and self.num_pages < number <= 2 * self.num_pages:
                self.count_exactly()
                try:
                    return super().validate_number(number)
                except EmptyPage:
                    pass
            return max(self.num_pages, 1)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where:
            rows = self._read(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            if rows and rows[0][0] >= ESTIMATE_FROM:
                self.estimated = True
                return rows[0][0]
        elif self.search_bound is not None:
            if getattr(queryset, "has_many_matches", False):
                # More than by_id_if_few's limit: no need to count to 1,000.
                self.estimated = True
                if not queryset.names_matched:
                    # Only its words match: the statistics' figure, above the
                    # planner's estimate of the same words (which multiplies
                    # the words' shares where the bound takes the least), so
                    # no EXPLAIN (0.7 ms of Python and 0.8 of SQL a view).
                    return max(self.search_bound, queryset.more_than + 1)
                # People's claims match too, which the bound leaves out.
                return max(planned_rows(queryset), self.search_bound)
            counted = count_up_to(queryset, SEARCH_COUNTED_UP_TO + 1, self._read)
            if counted <= SEARCH_COUNTED_UP_TO:
                return counted
            self.estimated = True
            return max(counted, planned_rows(queryset), self.search_bound)
        elif self.short:
            counted = count_up_to(queryset, ESTIMATE_FROM + 1, self._read)
            if counted <= ESTIMATE_FROM:
                return counted
            self.estimated = True
            return max(counted, planned_rows(queryset))
        else:
            estimate = planned_rows(queryset, self._read)
            if estimate >= ESTIMATE_FROM:
                self.estimated = True
                return estimate
        return super().count


def _compiled(queryset) -> tuple[str, tuple]:
    """``queryset``'s SQL and parameters, compiled for the database it
    reads (``sql_with_params`` compiles for the default one)."""
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _run(queryset) -> Callable[[str, list], list]:
    """A reader of a statement's rows on ``queryset``'s database."""

    def read(sql: str, params: list) -> list:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return read


def count_up_to(
    queryset, limit: int, read: Callable[[str, list], list] | None = None
) -> int:
    """How many rows ``queryset`` has, counting no further than ``limit``:
    ``queryset.values("pk").order_by()[:limit].count()``, in the same SQL
    (``SELECT count(*)`` over the ids, at most ``limit`` of them). Django's
    ``count()`` of a sliced queryset builds an aggregation around a copy of
    it (0.3 ms of Python a view, more than the count of a few hundred
    rows); here the ids' query is compiled and wrapped as text. ``read``
    runs the SQL (a paginator's ``_read``, which reads its first page's ids
    in the same round trip)."""
    if queryset.query.is_empty():  # .none(): nothing to count
        return 0
    ids = queryset.values("pk").order_by()[:limit]
    try:
        sql, params = _compiled(ids)
    except EmptyResultSet:
        # A filter that can match nothing compiles to no SQL (an id past
        # the largest bigint).
        return 0
    read = read or _run(queryset)
    return read(f"SELECT COUNT(*) FROM ({sql}) subquery", list(params))[0][0]  # noqa: S608


def within_filters(filtered, bound: int, table: int) -> int:
    """``bound`` (matches over the whole table of ``table`` rows, as the
    statistics put it) scaled to the share of the table ``filtered`` holds
    (the list's filters, before its search): the planner's estimate of the
    filters over the table's rows, the search and the filters taken as
    independent. Unfiltered, ``bound`` itself, with no query; filtered, an
    EXPLAIN of the filters alone."""
    if not filtered.query.where:
        return bound
    within = planned_rows(filtered)
    if table <= 0:
        return min(bound, within)
    return min(bound, within, max(1, round(bound * within / table)))


def planned_rows(queryset, read: Callable[[str, list], list] | None = None) -> int:
    """The planner's estimate of how many rows ``queryset`` returns (Django's
    ``explain(format="json")``, its SQL written here). ``read`` runs it (a
    paginator's ``_read``, with its first page's ids)."""
    if queryset.query.is_empty():  # .none(): nothing to ask the planner
        return 0
    # The rows alone, as COUNT reads them: without the list's joins and
    # per-row subqueries, whose planning took longer than the filter's.
    rows = queryset.values("pk").order_by()
    try:
        sql, params = _compiled(rows)
    except EmptyResultSet:
        # Django compiled a filter that can match nothing into no SQL at all
        # (an id past the largest bigint, ?pk=99999999999999999999): no plan.
        return 0
    read = read or _run(queryset)
    plan = read(f"EXPLAIN (FORMAT JSON) {sql}", list(params))[0][0]
    if isinstance(plan, str):  # json not decoded by the driver
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
