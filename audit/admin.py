"""The log in the editorial desk: every event, read-only, for editors; and the
"History" page of any admin object, read from the log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from audit import timeline
from audit.models import Event, Kind
from claimdesk.admin_tools import BoundedSearchMixin
from claimdesk.roles import is_editor


class HistoryFromLogMixin:
    """The admin's History page shows the object's timeline from the log,
    newest first, instead of Django's own admin log (which misses every
    change made outside the admin)."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": self.opts,
            "timeline": timeline.render(Event.objects.about(obj)),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/audit/object_history.html", context)


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Kind.values:
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(Event)
class EventAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """The whole log, newest first. Nobody adds, changes or deletes here (the
    database would refuse the last two anyway)."""

    list_display = ("at", "who", "kind", "object_type", "object_id", "topic_link")
    list_filter = (KindFilter,)
    list_select_related = ("actor",)
    search_fields = ("note", "request_id")
    search_help_text = "Searches the notes and request ids."
    ordering = ("-at", "-id")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    date_hierarchy = None
    readonly_fields = (
        "at",
        "kind",
        "actor",
        "db_user",
        "object_type",
        "object_id",
        "topic_type",
        "topic_id",
        "changes",
        "note",
        "request_id",
        "txid",
        "cause",
    )

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Who")
    def who(self, obj):
        return obj.who

    @admin.display(description="Timeline")
    def topic_link(self, obj):
        return f"{obj.topic_type} {obj.topic_id}"
