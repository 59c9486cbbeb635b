"""The episode admin, with the episode's claims: a count on the list, and a
table of them on the episode's page.

The episodes app registers its own admin and knows nothing of claims; this
module registers a subclass in its place, so the dependency points from
claims to episodes only.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from audit.admin import HistoryFromLogMixin
from episodes.admin import EpisodeAdmin
from episodes.models import Episode

admin.site.unregister(Episode)


@admin.register(Episode)
class EpisodeWithClaimsAdmin(HistoryFromLogMixin, EpisodeAdmin):
    list_display = (*EpisodeAdmin.list_display, "claim_count")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=Count("claims"))
            # GROUP BY drops Meta.ordering; autocomplete pages need an order.
            .order_by("-published_on", "-id")
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first, *rest = fieldsets
        return (first, ("Claims", {"fields": ("claim_list",)}), *rest)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "claim_list") if obj is not None else fields

    @admin.display(description="Claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    @admin.display(description="Claims in this episode")
    def claim_list(self, obj):
        # One query whatever the number of claims: speakers are joined.
        claims = obj.claims.select_related("speaker").order_by("quote_start", "id")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:claims_claim_change", args=[claim.pk]),
                    claim,
                    claim.speaker or "—",
                    claim.get_status_display(),
                    "approved" if claim.approved_at else "—",
                )
                for claim in claims
            ),
        )
        if not rows:
            return "No claims yet."
        return format_html(
            "<table><thead><tr><th>Claim</th><th>Speaker</th><th>Status</th>"
            "<th>Approval</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )
