"""Episodes and people: newest episodes first, people A to Z, keyset pages.

Each row counts the claims the client may see (``visible_to``), in a
correlated subquery: one query per page, however many claims.
"""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from api.filters import KnownFiltersOnly
from api.pagination import KeysetPagination
from api.schema import READ_ERRORS
from api.serializers import EpisodeSerializer, PersonSerializer
from claimdesk.limits import SEARCH_MAX_CHARS, validate_search
from claims.models import Claim
from episodes.models import Episode, Show
from people.models import Person, PersonAlias

# An undated episode sorts after every dated one (newest first).
UNDATED = datetime.date(1, 1, 1)
ERRORS = READ_ERRORS


def _visible_claims(user, field: str) -> Coalesce:
    claims = (
        Claim.objects.visible_to(user)
        .filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(claims), 0)


class EpisodeFilterSet(django_filters.FilterSet):
    show = django_filters.ModelChoiceFilter(
        field_name="show",
        lookup_expr="exact",
        to_field_name="slug",
        queryset=Show.objects.only("id", "slug"),
        label="Show (slug)",
    )

    class Meta:
        model = Episode
        fields: list[str] = []


@extend_schema(
    tags=["episodes and people"], responses={200: EpisodeSerializer, **ERRORS}
)
class EpisodeList(generics.ListAPIView):
    """Episodes, newest first (undated ones last), with the number of their
    claims the client may see."""

    serializer_class = EpisodeSerializer
    pagination_class = KeysetPagination
    filter_backends = [KnownFiltersOnly]
    filterset_class = EpisodeFilterSet

    def get_queryset(self):
        return (
            Episode.objects.select_related("show")
            .only("title", "slug", "published_on", "show__name", "show__slug")
            .annotate(
                claim_count=_visible_claims(self.request.user, "episode"),
                sort_date=Coalesce("published_on", Value(UNDATED)),
            )
            .order_by("-sort_date", "-id")
        )


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        lookup_expr="icontains",
        label="Name or alias contains",
        max_length=SEARCH_MAX_CHARS,
        validators=[validate_search],
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        # As the people list: without accents or curly apostrophes on either
        # side ("zoe" finds Zoë, "o'brien" finds O’Brien).
        aliases = PersonAlias.objects.filter(
            person=OuterRef("pk"), name__unaccent__icontains=value
        )
        return queryset.filter(Q(name__unaccent__icontains=value) | Q(Exists(aliases)))


@extend_schema(
    tags=["episodes and people"], responses={200: PersonSerializer, **ERRORS}
)
class PersonList(generics.ListAPIView):
    """Everyone who speaks in an episode or is reported as a claimant, A to
    Z, with the number of their claims the client may see."""

    serializer_class = PersonSerializer
    pagination_class = KeysetPagination
    filter_backends = [KnownFiltersOnly]
    filterset_class = PersonFilterSet

    def get_queryset(self):
        user = self.request.user
        return Person.objects.annotate(
            sort_name=Lower("name"),
            spoken_count=_visible_claims(user, "speaker"),
            made_count=_visible_claims(user, "claimant"),
        ).order_by("sort_name", "id")
