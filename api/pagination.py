"""Keyset pages for the API: the site's signed cursors (``claims.pagination``),
no OFFSET and no COUNT.

A page is ``{"next": <address of the next page, or null>, "results": [...]}``.
The ``next`` address keeps the query's filters and carries the cursor; a
cursor this API did not give out for that order is a 400
(``invalid_cursor``), not a silent first page: a script should know that it
started again.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from claims.pagination import InvalidCursor, KeysetPaginator

CURSOR_PARAM = "cursor"


class KeysetPagination(BasePagination):
    page_size = 25

    def paginate_queryset(self, queryset, request, view=None) -> list:
        paginator = KeysetPaginator(queryset, per_page=self.page_size)
        try:
            page = paginator.page(request.query_params.get(CURSOR_PARAM) or None)
        except InvalidCursor:
            raise ValidationError(
                {
                    CURSOR_PARAM: "This cursor is not one this API gave out for "
                    "this order (damaged, or made for another sort or list). "
                    "Start again without it, from the first page."
                },
                code="invalid_cursor",
            ) from None
        self.next_url = (
            replace_query_param(
                request.build_absolute_uri(), CURSOR_PARAM, page.next_cursor
            )
            if page.has_next
            else None
        )
        return page.rows

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.next_url, "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (null on the last page).",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from the "
                "previous page's `next`.",
                "schema": {"type": "string"},
            }
        ]
