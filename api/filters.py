"""The claim list's filters in the API: the list page's own FilterSet
(``claims.filters.ClaimFilterSet``) through django-filter's DRF backend.

Readers who see approved verdicts only get the form the page gives them
(``limit_to_public``), so one query string gives the same claims, or the
same refusal, on the page and in the API. A parameter the form refuses is a
400 that names it (``api.errors``).
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend

from claimdesk.roles import is_reviewer
from claims.filters import limit_to_public


class ClaimFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None and not is_reviewer(request.user):
            limit_to_public(filterset.form)
        return filterset
