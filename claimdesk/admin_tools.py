"""What every admin of the desk shares: bounded searches."""

from __future__ import annotations

from django.contrib import messages

from claimdesk.limits import search_error


class BoundedSearchMixin:
    """An admin search past ``claimdesk.limits`` is refused with a message,
    not run: 30,000 words once kept PostgreSQL busy for 19 minutes."""

    def get_search_results(self, request, queryset, search_term):
        error = search_error(search_term)
        if error:
            self.message_user(request, f"Not searched: {error}", messages.ERROR)
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
