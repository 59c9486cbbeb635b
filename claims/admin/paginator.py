"""A paginator that does not COUNT a big unfiltered table on every page view.

Django's changelist asks its paginator for the number of rows to draw the
page links. Filtered, that COUNT is bounded by the filter; unfiltered, it
reads the whole claims table. From ESTIMATE_FROM rows on, an unfiltered list
uses PostgreSQL's own row estimate (pg_class.reltuples, kept by ANALYZE and
autovacuum) instead; the page links are then approximate, the rows exact.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_FROM = 100_000


class EstimatedCountPaginator(Paginator):
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
                return row[0]
        return super().count
