"""The people admin: people with their aliases, and look-alike names flagged
at import for an editor to merge or dismiss.

Person defines search_fields so that the claim form can use autocomplete for
speaker and claimant (aliases included: a transcript may spell a name
differently).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from audit import timeline
from audit.admin import HistoryFromLogMixin
from audit.models import Event
from claimdesk.admin_tools import BoundedSearchMixin, WorkflowWritesMixin
from claimdesk.concurrent_forms import KeepsConcurrentEdits
from claimdesk.roles import is_editor
from claimdesk.weblinks import HttpURLField
from people import workflow
from people.models import Person, PersonAlias, PossibleDuplicate


class PersonForm(KeepsConcurrentEdits):
    class Meta:
        model = Person
        # The admin gives the fields (PersonAdmin.get_fields).
        fields = ("name",)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # The workflow's rule, on the field (person_update asks it again):
        # refused after the save, the page came back with everything typed
        # lost (found by the second new-user review).
        workflow.check_not_an_alias(name, self.instance if self.instance.pk else None)
        return name


class PersonAliasForm(forms.ModelForm):
    class Meta:
        model = PersonAlias
        fields = ("name",)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # The workflow's rule, on the row (alias_add asks it again).
        workflow.check_alias_name(name, self.instance.person_id, self.instance.pk)
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
class PersonAdmin(
    BoundedSearchMixin, WorkflowWritesMixin, HistoryFromLogMixin, admin.ModelAdmin
):
    """People, with their aliases and their history. Every write goes through
    ``people.workflow``, which records it in the log."""

    form = PersonForm
    list_display = ("name", "alias_names", "slug", "description")
    # Aliases are searched too: the claim form's speaker/claimant autocomplete
    # uses these fields, and a transcript may spell a name differently.
    # Without accents or curly apostrophes on either side ("zoe": "Zoë").
    search_fields = ("name__unaccent", "aliases__name__unaccent")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PersonAliasInline]
    formfield_overrides = {models.URLField: {"form_class": HttpURLField}}

    class Media:
        css = {"all": ("audit/timeline.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    def get_fields(self, request, obj=None):
        fields = ("name", "slug", "description")
        return fields if obj is None else (*fields, "profile_url", "history")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("history",)

    @admin.display(description="Aliases")
    def alias_names(self, obj):
        return ", ".join(alias.name for alias in obj.aliases.all()) or "—"

    @admin.display(description="History, newest first")
    def history(self, obj):
        return timeline.render(Event.objects.about(obj))

    # --- writes: every one through people.workflow

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data

        def create() -> None:
            person = workflow.person_create(
                name=data["name"],
                slug=data["slug"],
                description=data.get("description", ""),
                actor=request.user,
            )
            obj.pk = person.pk
            obj._state.adding = False

        if change:
            saved = self.write(
                request,
                "",
                workflow.person_update,
                whole=True,
                person=obj,
                actor=request.user,
                changes={
                    name: data[name]
                    for name in workflow.PERSON_FIELDS
                    if name in form.changed_data and name in data
                },
            )
        else:
            saved = self.write(request, "", create, whole=True)
        if saved:
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if self.object_refused(request):
            self.skip_formset(formset)
            return
        formset.save(commit=False)
        self.write(
            request,
            "Aliases not saved",
            self._save_aliases,
            person=form.instance,
            actor=request.user,
            formset=formset,
        )

    @staticmethod
    def _save_aliases(*, person, actor, formset) -> None:
        for alias in formset.deleted_objects:
            workflow.alias_remove(alias=alias, actor=actor)
        for alias, _fields in formset.changed_objects:
            # A corrected spelling: the new one first, so a refused one
            # leaves the old in place; a change of case only replaces it.
            old = PersonAlias.objects.get(pk=alias.pk)
            if old.name.casefold() == alias.name.casefold():
                workflow.alias_remove(alias=old, actor=actor)
                workflow.alias_add(person=person, name=alias.name, actor=actor)
            else:
                workflow.alias_add(person=person, name=alias.name, actor=actor)
                workflow.alias_remove(alias=old, actor=actor)
        for alias in formset.new_objects:
            workflow.alias_add(person=person, name=alias.name, actor=actor)


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ("person_link", "similar_link", "score", "created_at", "resolution")
    list_filter = (OpenFilter,)
    list_select_related = ("person", "similar_to")
    search_fields = ("person__name", "similar_to__name")
    ordering = ("resolved_at", "-score", "-created_at")
    actions = ("merge_into_similar", "dismiss")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_module_permission(self, request):
        return is_editor(request.user)

    # The actions declare the role they need (the workflow checks it again).
    def has_merge_permission(self, request):
        return is_editor(request.user)

    def has_dismiss_permission(self, request):
        return is_editor(request.user)

    @admin.display(description="New name", ordering="person__name")
    def person_link(self, obj):
        url = reverse("admin:people_person_change", args=[obj.person_id])
        return format_html('<a href="{}">{}</a>', url, obj.person.name)

    @admin.display(description="Looks like", ordering="similar_to__name")
    def similar_link(self, obj):
        url = reverse("admin:people_person_change", args=[obj.similar_to_id])
        return format_html('<a href="{}">{}</a>', url, obj.similar_to.name)

    def _each(self, request, queryset, call, done: str) -> None:
        count = 0
        for flag in queryset.filter(resolved_at__isnull=True):
            try:
                call(flag)
            except ValidationError as exc:
                self.message_user(
                    request, f"{flag}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, f"{done}: {count}.", messages.SUCCESS)

    @admin.action(
        description="Merge the new name into the person it looks like",
        permissions=["merge"],
    )
    def merge_into_similar(self, request, queryset):
        self._each(
            request,
            queryset.select_related("person", "similar_to"),
            lambda flag: workflow.person_merge(
                keep=flag.similar_to, duplicate=flag.person, actor=request.user
            ),
            "Merged (the name is now an alias)",
        )

    @admin.action(description="Different people: dismiss", permissions=["dismiss"])
    def dismiss(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda flag: workflow.duplicate_dismiss(flag=flag, actor=request.user),
            "Dismissed",
        )
