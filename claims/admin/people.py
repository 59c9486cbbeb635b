"""Look-alike people flagged at import, for an editor to merge or dismiss.

Registered here rather than in ``episodes.admin`` because merging moves
claims, and ``episodes`` never imports ``claims``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from claims import workflow
from claims.roles import is_editor
from episodes.models import PossibleDuplicate


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
class PossibleDuplicateAdmin(admin.ModelAdmin):
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

    def get_actions(self, request):
        # Actions need a change permission by default; the workflow checks roles.
        actions = super().get_actions(request)
        return actions if is_editor(request.user) else {}

    @admin.display(description="New name", ordering="person__name")
    def person_link(self, obj):
        url = reverse("admin:episodes_person_change", args=[obj.person_id])
        return format_html('<a href="{}">{}</a>', url, obj.person.name)

    @admin.display(description="Looks like", ordering="similar_to__name")
    def similar_link(self, obj):
        url = reverse("admin:episodes_person_change", args=[obj.similar_to_id])
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

    @admin.action(description="Merge the new name into the person it looks like")
    def merge_into_similar(self, request, queryset):
        self._each(
            request,
            queryset.select_related("person", "similar_to"),
            lambda flag: workflow.person_merge(
                keep=flag.similar_to, duplicate=flag.person, actor=request.user
            ),
            "Merged (the name is now an alias)",
        )

    @admin.action(description="Different people: dismiss")
    def dismiss(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda flag: workflow.duplicate_dismiss(flag=flag, actor=request.user),
            "Dismissed",
        )
