"""List filters of the claim admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from claimdesk.limits import as_id
from claims.models import Claim, ClaimQuerySet
from episodes.models import Show
from people.models import Person


class ApprovalFilter(admin.SimpleListFilter):
    title = "approval"
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Approved (published)"),
            ("awaiting", "Verdict awaiting approval"),
            ("no", "Not approved"),
        ]

    def queryset(self, request, queryset: ClaimQuerySet):
        match self.value():
            case "yes":
                return queryset.filter(approved_at__isnull=False)
            case "awaiting":
                return queryset.awaiting_approval()
            case "no":
                return queryset.filter(approved_at__isnull=True)
        return queryset


# How long the sidebar's list of shows is kept before it is read again (per
# process): a new show appears there within this.
SHOWS_SECONDS = 60


def show_choices() -> list[tuple[int, str]]:
    """Every show, (id, name) by name: kept in the cache for SHOWS_SECONDS,
    not read on every view of the list."""
    return cache.get_or_set(
        "claims:admin:shows",
        lambda: list(Show.objects.order_by("name", "id").values_list("pk", "name")),
        SHOWS_SECONDS,
    )


class ByIdFilter(admin.SimpleListFilter):
    """A filter whose value is the id of a related row (``field``): any
    other value is Django's "wrong parameters" (``?e=1``), not an error."""

    field: str
    noun: str

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        pk = as_id(value)
        if pk is None:
            raise IncorrectLookupParameters(f"Not a {self.noun} id: {value[:40]!r}")
        return queryset.filter(**{self.field: pk})


class ShowFilter(ByIdFilter):
    """The claim's show, with the parameter Django's related-field filter
    uses (``episode__show__id__exact``), the shows read from the cache
    (``show_choices``) rather than on every view."""

    title = "show"
    parameter_name = "episode__show__id__exact"
    field, noun = "episode__show_id", "show"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in show_choices()]


# How long the sidebar's most-quoted speakers are kept before they are
# counted again (per process): a new speaker shows up there within this.
TOP_SPEAKERS_SECONDS = 600


def top_speakers(limit: int) -> list[tuple[int, str]]:
    """The most-quoted speakers, (id, name): counted over every claim, so
    kept in the cache for ``TOP_SPEAKERS_SECONDS``, not counted per view."""
    return cache.get_or_set(
        f"claims:admin:top-speakers:{limit}",
        lambda: list(
            Claim.objects.filter(speaker__isnull=False)
            .values_list("speaker", "speaker__name")
            .annotate(n=Count("*"))
            .order_by("-n", "speaker")
            .values_list("speaker", "speaker__name")[:limit]
        ),
        TOP_SPEAKERS_SECONDS,
    )


def selected_speaker(pk: int) -> list[tuple[int, str]]:
    """[(id, name)] of the speaker ``pk`` (empty if there is none), kept in
    the cache as long as the most-quoted speakers' names are."""
    return cache.get_or_set(
        f"claims:admin:speaker:{pk}",
        lambda: list(Person.objects.filter(pk=pk).values_list("pk", "name")),
        TOP_SPEAKERS_SECONDS,
    )


class SpeakerFilter(ByIdFilter):
    """The most-quoted speakers, plus the one selected.

    A plain related-field filter would list every person in the sidebar;
    this one stays short however many people there are, and counts no
    claims per view (``top_speakers`` is cached). Any speaker can be reached
    by clicking their name in the list, or by searching for it.
    """

    title = "speaker"
    parameter_name = "speaker"
    field, noun = "speaker_id", "person"
    limit = 15

    def lookups(self, request, model_admin):
        speakers = top_speakers(self.limit)
        selected = as_id(self.value())
        if selected is not None and selected not in dict(speakers):
            speakers = [*selected_speaker(selected), *speakers][: self.limit]
        return [(str(pk), name) for pk, name in speakers]


class ForecastFilter(admin.SimpleListFilter):
    """Forecasts by when they can be re-checked (``resolves_on``)."""

    title = "forecast re-check"
    parameter_name = "forecast"

    def lookups(self, request, model_admin):
        return [
            ("due", "Due now (date passed)"),
            ("soon", "Due in the next 90 days"),
            ("later", "Due later"),
        ]

    def queryset(self, request, queryset: ClaimQuerySet):
        today = timezone.localdate()
        match self.value():
            case "due":
                return queryset.forecasts_due(today)
            case "soon":
                return queryset.filter(
                    resolves_on__gt=today,
                    resolves_on__lte=today + timezone.timedelta(days=90),
                )
            case "later":
                return queryset.filter(
                    resolves_on__gt=today + timezone.timedelta(days=90)
                )
        return queryset
