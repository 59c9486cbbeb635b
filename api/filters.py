"""The claim list's filters in the API: the list page's own FilterSet
(``claims.filters.ClaimFilterSet``) through django-filter's DRF backend.

Readers who see approved verdicts only get the form the page gives them
(``limit_to_public``), so one query string gives the same claims, or the
same refusal, on the page and in the API. A parameter the form refuses is a
400 that names it (``api.errors``), and so is one the list does not take.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from claimdesk.roles import is_reviewer
from claims.filters import limit_to_public, unknown_parameters

# What a list takes besides its filters: its page's cursor, DRF's format.
PAGE_PARAMETERS = frozenset({"cursor", "format"})


class KnownFiltersOnly(DjangoFilterBackend):
    """A parameter the list does not take is a 400 that names it: ignored,
    a misspelt filter (``?stauts=false``) listed every claim, and the script
    took them for the ones it asked for."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            unknown = unknown_parameters(
                request.query_params, filterset, also=PAGE_PARAMETERS
            )
            if unknown:
                taken = ", ".join(sorted(filterset.filters))
                raise ValidationError(
                    {
                        name: f"This list has no parameter “{name}”: it takes "
                        f"{taken}, and cursor for its pages."
                        for name in unknown[:5]
                    },
                    code="unknown_parameter",
                )
        return filterset


class ClaimFilterBackend(KnownFiltersOnly):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None and not is_reviewer(request.user):
            limit_to_public(filterset.form)
        return filterset
