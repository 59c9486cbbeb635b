"""Export the selected claims from the claim list, as CSV (as it is, or for
spreadsheets: ``claims.export.spreadsheet_csv_rows``) or JSON.

The same export as ``manage.py export_claims`` (``claims.export``): the
contract's columns, read in chunks and streamed to the browser, so
"select all" on a large list costs no more memory than a page. Reviewers and
editors (anyone who works on claims); the action's queryset is the list's,
so it holds only what the list shows.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from claimdesk.roles import is_reviewer
from claims.export import streaming_response


class ExportActionsMixin:
    def has_export_permission(self, request: HttpRequest) -> bool:
        return is_reviewer(request.user)

    @admin.action(description="Export selected claims as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return streaming_response("csv", queryset)

    @admin.action(
        description="Export selected claims as CSV for Excel or Sheets",
        permissions=["export"],
    )
    def export_spreadsheet_csv(self, request, queryset):
        return streaming_response("spreadsheet-csv", queryset)

    @admin.action(description="Export selected claims as JSON", permissions=["export"])
    def export_json(self, request, queryset):
        return streaming_response("json", queryset)
