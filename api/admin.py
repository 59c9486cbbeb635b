"""API tokens in the editorial desk: editors create and revoke them.

A token acts as its user, with that user's role, so it is made only by its
own user: an editor makes one for themselves (for their scripts); a
superuser may make one for anyone (a script's own account, say, in the
Reviewer group). Otherwise an editor could act as another editor, and
approve their own verdict under the other's name. Only editors (and
superusers) reach this page; each editor sees and revokes their own token,
a superuser every token. A token is revoked by deleting it; it is never
edited (revoke and make a new one). Its key is shown once, on the page
that answers its creation, to whoever made it; the database keeps its
digest only (api/models.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from rest_framework.authtoken.models import TokenProxy

from api import tokens
from api.models import ApiToken
from claimdesk.roles import is_editor

# Django REST framework's own tokens (plain-text keys) are not used: their
# rows were moved to ApiToken by api/migrations/0002.
admin.site.unregister(TokenProxy)


def _desk_editor(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and is_editor(user))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "key_start", "created")
    ordering = ("user__username",)

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return tokens
        return tokens.filter(user=request.user)

    # --- who reaches what ----------------------------------------------------------

    def has_module_permission(self, request) -> bool:
        return _desk_editor(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _desk_editor(request) and (
            request.user.is_superuser or obj is None or obj.user_id == request.user.pk
        )

    def has_add_permission(self, request) -> bool:
        return _desk_editor(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    # --- the add form ------------------------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is not None:
            return self.get_readonly_fields(request, obj)
        # Editors make their own token; superusers choose whose.
        return ("user",) if request.user.is_superuser else ()

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "key_start", "created")

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return base

        superuser = request.user.is_superuser

        class TokenForm(base):
            def clean(self):
                cleaned = super().clean()
                if superuser and "user" not in cleaned:
                    return cleaned  # the field's own error says why
                user = cleaned.get("user", request.user)
                # The user's row locked until the add commits (the admin's
                # add view is one transaction): a second add for the same
                # user, sent at the same moment, waits here and then finds
                # this token, instead of failing on the unique constraint.
                get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
                if ApiToken.objects.filter(user=user).exists():
                    raise ValidationError(
                        f"{user} already has a token. Revoke it first (delete "
                        "it from the list), then make a new one.",
                        code="has_token",
                    )
                return cleaned

            def validate_unique(self):
                # "has_token" says it, with what to do: not also Django's
                # "API token with this User already exists."
                refused = self.non_field_errors().as_data()
                if not any(error.code == "has_token" for error in refused):
                    super().validate_unique()

        return TokenForm

    def render_change_form(self, request, context, add=False, change=False, **kw):
        # One token per user, and the answer to an add is the page with its
        # key: only "Save" makes sense.
        context.update(show_save_and_add_another=False, show_save_and_continue=False)
        return super().render_change_form(request, context, add, change, **kw)

    def save_model(self, request, obj, form, change):
        user = obj.user if request.user.is_superuser and obj.user_id else request.user
        token, key = tokens.token_issue(user=user, actor=request.user)
        # The admin goes on with this object (its log entry, response_add).
        obj.pk, obj.user, obj.prefix, obj.created = (
            token.pk,
            user,
            token.prefix,
            token.created,
        )
        obj._state.adding = False
        # For response_add only: never stored, never in a cookie or a message.
        request.new_api_key = key

    def delete_model(self, request, obj):
        tokens.token_revoke(token=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            tokens.token_revoke(token=token, actor=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        # The key is on this page only; the admin's views are never cached
        # ("no-store", checked by the tests).
        return TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "key": request.new_api_key,
                "title": "API token made",
            },
        )

    @admin.display(description="Key")
    def key_start(self, token: ApiToken) -> str:
        return f"{token.prefix}…"
