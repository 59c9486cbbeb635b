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
    shows = cache.get("claims:admin:shows")
    if shows is None:
        shows = list(Show.objects.order_by("name", "id").values_list("pk", "name"))
        cache.set("claims:admin:shows", shows, SHOWS_SECONDS)
    return shows


class ShowFilter(admin.SimpleListFilter):
    """The claim's show, with the parameter Django's related-field filter
    uses (``episode__show__id__exact``), the shows read from the cache
    (``show_choices``) rather than on every view."""

    title = "show"
    parameter_name = "episode__show__id__exact"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in show_choices()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        show = as_id(value)
        if show is None:
            raise IncorrectLookupParameters(f"Not a show id: {value[:40]!r}")
        return queryset.filter(episode__show_id=show)


# How long the sidebar's most-quoted speakers are kept before they are
# counted again (per process): a new speaker shows up there within this.
TOP_SPEAKERS_SECONDS = 600


def top_speakers(limit: int) -> list[tuple[int, str]]:
    """The most-quoted speakers, (id, name): counted over every claim, so
    kept in the cache for ``TOP_SPEAKERS_SECONDS``, not counted per view."""
    key = f"claims:admin:top-speakers:{limit}"
    speakers = cache.get(key)
    if speakers is None:
        speakers = list(
            Claim.objects.filter(speaker__isnull=False)
            .values_list("speaker", "speaker__name")
            .annotate(n=Count("*"))
            .order_by("-n", "speaker")
            .values_list("speaker", "speaker__name")[:limit]
        )
        cache.set(key, speakers, TOP_SPEAKERS_SECONDS)
    return speakers


def selected_speaker(pk: int) -> list[tuple[int, str]]:
    """[(id, name)] of the speaker ``pk`` (empty if there is none), kept in
    the cache as long as the most-quoted speakers' names are."""
    key = f"claims:admin:speaker:{pk}"
    speaker = cache.get(key)
    if speaker is None:
        speaker = list(Person.objects.filter(pk=pk).values_list("pk", "name"))
        cache.set(key, speaker, TOP_SPEAKERS_SECONDS)
    return speaker


class SpeakerFilter(admin.SimpleListFilter):
    """The most-quoted speakers, plus the one selected.

    A plain related-field filter would list every person in the sidebar;
    this one stays short however many people there are, and counts no
    claims per view (``top_speakers`` is cached). Any speaker can be reached
    by clicking their name in the list, or by searching for it.
    """

    title = "speaker"
    parameter_name = "speaker"
    limit = 15

    def lookups(self, request, model_admin):
        speakers = top_speakers(self.limit)
        selected = as_id(self.value())
        if selected is not None and selected not in dict(speakers):
            speakers = [*selected_speaker(selected), *speakers][: self.limit]
        return [(str(pk), name) for pk, name in speakers]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        person = as_id(value)
        if person is None:
            raise IncorrectLookupParameters(f"Not a person id: {value[:40]!r}")
        return queryset.filter(speaker_id=person)


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
