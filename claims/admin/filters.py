"""List filters of the claim admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from claimdesk.limits import as_id
from claims.models import ClaimQuerySet
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


class SpeakerFilter(admin.SimpleListFilter):
    """The most-quoted speakers, plus the one selected.

    A plain related-field filter would list every person in the sidebar;
    this one stays short however many people there are. Any speaker can be
    reached by clicking their name in the list, or by searching for it.
    """

    title = "speaker"
    parameter_name = "speaker"
    limit = 15

    def lookups(self, request, model_admin):
        selected = as_id(self.value())
        people = (
            Person.objects.annotate(claim_count=Count("claims_spoken"))
            .filter(Q(claim_count__gt=0) | Q(pk=selected))
            .order_by(
                Case(When(pk=selected, then=Value(0)), default=Value(1)),
                "-claim_count",
                "name",
            )[: self.limit]
        )
        return [(str(person.pk), person.name) for person in people]

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
