"""Admin for shows, people and episodes.

Episodes come from the importer; their source text is read-only afterwards
because claim offsets point into it. Person and Episode define search_fields so
that the claim form can use autocomplete for speaker, claimant and episode.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from episodes.forms import HttpURLField
from episodes.models import Appearance, Episode, Person, PersonAlias, Show


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "url")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"form_class": HttpURLField}}


class PersonAliasForm(forms.ModelForm):
    class Meta:
        model = PersonAlias
        fields = ("name",)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = (
            PersonAlias.objects.filter(name__iexact=name)
            .exclude(pk=self.instance.pk)
            .select_related("person")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                f"“{name}” is already an alias of {taken.person}. Remove it there "
                "first if it belongs to this person.",
                code="alias_taken",
            )
        return name


class PersonAliasFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms:
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            # The database compares aliases case-insensitively; so does this.
            if name.lower() in seen:
                raise ValidationError(
                    f"The alias “{name}” is listed twice; keep one.",
                    code="alias_duplicate",
                )
            seen.add(name.lower())


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    form = PersonAliasForm
    formset = PersonAliasFormSet
    extra = 1


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "alias_names", "slug", "description")
    # Aliases are searched too: the claim form's speaker/claimant autocomplete
    # uses these fields, and a transcript may spell a name differently.
    search_fields = ("name", "aliases__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PersonAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="Aliases")
    def alias_names(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all()) or "—"


class AppearanceInline(admin.TabularInline):
    model = Appearance
    autocomplete_fields = ("person",)
    extra = 0


class EpisodeForm(forms.ModelForm):
    class Meta:
        model = Episode
        fields = [
            "show",
            "title",
            "slug",
            "subtitle",
            "published_on",
            "source_url",
            "source_name",
            "source_format",
            "source_text",
        ]
        field_classes = {"source_url": HttpURLField}

    def clean(self):
        cleaned = super().clean()
        source_text = cleaned.get("source_text")
        if self.instance.pk is None and source_text:
            checksum = hashlib.sha256(source_text.encode()).hexdigest()
            existing = Episode.objects.filter(source_checksum=checksum).first()
            if existing is not None:
                raise ValidationError(
                    f"This source text is already imported as “{existing}”. "
                    "Open that episode instead of adding it twice.",
                    code="duplicate_source",
                )
            self.instance.source_checksum = checksum
        return cleaned


@admin.register(Episode)
class EpisodeAdmin(admin.ModelAdmin):
    form = EpisodeForm
    list_display = ("title", "show", "published_on", "source_format", "claim_count")
    list_filter = ("show", "source_format")
    search_fields = ("title", "show__name")
    date_hierarchy = "published_on"
    autocomplete_fields = ("show",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [AppearanceInline]

    add_fieldsets = ((None, {"fields": EpisodeForm.Meta.fields}),)
    change_fieldsets = (
        (
            None,
            {
                "fields": (
                    "show",
                    "title",
                    "slug",
                    "subtitle",
                    "published_on",
                    "source_url",
                )
            },
        ),
        ("Claims", {"fields": ("claim_list",)}),
        (
            "Source",
            {
                "classes": ("collapse",),
                "fields": (
                    "source_name",
                    "source_format",
                    "source_checksum",
                    "source_text",
                    "created_at",
                    "updated_at",
                ),
            },
        ),
    )

    def get_queryset(self, request):
        # The source text can be a whole transcript: a list page or an
        # autocomplete answer has no use for it.
        return (
            super()
            .get_queryset(request)
            .select_related("show")
            .defer("source_text")
            .annotate(claim_count=Count("claims"))
            # GROUP BY drops Meta.ordering; autocomplete pages need an order.
            .order_by("-published_on", "-id")
        )

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Claim offsets point into the source, so it never changes after import.
        return (
            "claim_list",
            "source_name",
            "source_format",
            "source_checksum",
            "source_text",
            "created_at",
            "updated_at",
        )

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
