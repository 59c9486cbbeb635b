"""The two editorial roles, as Django groups, and what each may do.

The groups and their admin permissions are made by migration
claims/0003_roles. The workflows (``claims.workflow``, ``people.workflow``)
ask these functions; the admin and the pages render what the workflow
offers. Every app may import this module; it imports none of them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

REVIEWER = "Reviewer"
EDITOR = "Editor"

User = AbstractBaseUser | AnonymousUser


def role_names(user: User) -> frozenset[str]:
    """The user's group names, read once and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_claimdesk_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._claimdesk_roles = cached
    return cached


def is_editor(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or (
        EDITOR in role_names(user)
    )


def is_reviewer(user: User) -> bool:
    """Reviewers and editors both do review work."""
    return is_editor(user) or REVIEWER in role_names(user)
