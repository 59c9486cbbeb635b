"""API tokens in the editorial desk: editors create and revoke them.

A token acts as its user, with that user's role, so it is made only by its
own user: an editor makes one for themselves (for their scripts); a
superuser may make one for anyone (a script's own account, say, in the
Reviewer group). Otherwise an editor could act as another editor, and
approve their own verdict under the other's name. Only editors (and
superusers) reach this page; each editor sees and revokes their own token,
a superuser every token. A token is revoked by deleting it; it is never
edited (revoke and make a new one). The key is shown to its owner only.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import Token, TokenProxy

from claimdesk.roles import is_editor

admin.site.unregister(TokenProxy)


def _desk_editor(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and is_editor(user))


def _mine(request, token: Token | None) -> bool:
    return token is None or token.user_id == request.user.pk


def _key_column(viewer_id: int):
    """The whole key to its owner (to copy into a script); anyone else sees
    its first characters, enough to tell tokens apart."""

    @admin.display(description="Key")
    def key(token: Token) -> str:
        return token.key if token.user_id == viewer_id else f"{token.key[:6]}…"

    return key


@admin.register(TokenProxy)
class ApiTokenAdmin(TokenAdmin):
    list_filter = ()

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
            request.user.is_superuser or _mine(request, obj)
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

        class TokenForm(base):
            def clean(self):
                cleaned = super().clean()
                user = cleaned.get("user", request.user)
                if user is not None and Token.objects.filter(user=user).exists():
                    raise ValidationError(
                        f"{user} already has a token. Revoke it first (delete "
                        "it from the list), then make a new one.",
                        code="has_token",
                    )
                return cleaned

        return TokenForm

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser or not obj.user_id:
            obj.user = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Key")
    def key_start(self, token: Token) -> str:
        return f"{token.key[:6]}… (the whole key is in the list, for its owner)"

    def get_list_display(self, request):
        return ("user", _key_column(request.user.pk), "created")
