"""Admin for shows and episodes.

Episodes come from the importer; their source text is read-only afterwards
because claim offsets point into it. Episode defines search_fields so that the
claim form can use autocomplete for the episode. The claims app extends the
episode admin with the episode's claims (``claims/admin/episodes.py``); this
app knows nothing of claims.
"""

from __future__ import annotations

import hashlib

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from claimdesk.admin_tools import (
    BoundedSearchMixin,
    SafeAutocompleteMixin,
    WorkflowWritesMixin,
)
from claimdesk.concurrent_forms import KeepsConcurrentEdits
from episodes import workflow
from episodes.forms import HttpURLField
from episodes.models import Appearance, Episode, Show


class WritesThroughWorkflow(WorkflowWritesMixin):
    """Saves go through ``episodes.workflow`` (editors only, recorded in the
    log); a refusal is a message and nothing is written."""

    workflow_save = None  # (obj, actor) → the workflow's save

    def save_model(self, request, obj, form, change):
        self.write(
            request, "", lambda: type(self).workflow_save(obj, request.user), whole=True
        )

    def save_formset(self, request, form, formset, change):
        if self.object_refused(request):
            self.skip_formset(formset)
            return
        formset.save(commit=False)
        if formset.model is Appearance:
            self.write(
                request,
                "Who appears was not changed",
                workflow.appearances_save,
                episode=form.instance,
                actor=request.user,
                save=[*formset.new_objects, *(a for a, _ in formset.changed_objects)],
                delete=formset.deleted_objects,
            )


class ShowForm(KeepsConcurrentEdits):
    class Meta:
        model = Show
        fields = "__all__"
        field_classes = {"url": HttpURLField}


@admin.register(Show)
class ShowAdmin(BoundedSearchMixin, WritesThroughWorkflow, admin.ModelAdmin):
    form = ShowForm
    list_display = ("name", "slug", "url")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"form_class": HttpURLField}}

    @staticmethod
    def workflow_save(show, actor):
        workflow.show_save(show=show, actor=actor)


class AppearanceInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Appearance
    autocomplete_fields = ("person",)
    extra = 0


class EpisodeForm(KeepsConcurrentEdits):
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
class EpisodeAdmin(
    BoundedSearchMixin, WritesThroughWorkflow, SafeAutocompleteMixin, admin.ModelAdmin
):
    form = EpisodeForm
    list_display = ("title", "show", "published_on", "source_format")
    list_filter = ("show", "source_format")
    search_fields = ("title", "show__name")
    date_hierarchy = "published_on"
    autocomplete_fields = ("show",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [AppearanceInline]

    add_fieldsets = ((None, {"fields": EpisodeForm.Meta.fields}),)

    @staticmethod
    def workflow_save(episode, actor):
        workflow.episode_save(episode=episode, actor=actor)

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
            .order_by("-published_on", "-id")
        )

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Claim offsets point into the source, so it never changes after import.
        return (
            "source_name",
            "source_format",
            "source_checksum",
            "source_text",
            "created_at",
            "updated_at",
        )
