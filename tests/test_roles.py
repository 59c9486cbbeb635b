"""A user's roles and permissions, read in one query (claimdesk.roles)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from claimdesk.roles import EDITOR, REVIEWER, RoleModelBackend, is_editor, role_names
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request loads it: nothing cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def with_own_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_logentry"))
    return user


@pytest.mark.parametrize(
    "groups", [(), (REVIEWER,), (EDITOR,), (REVIEWER, EDITOR)], ids=repr
)
def test_the_one_query_gives_what_djangos_three_give(groups):
    user = with_own_permission(make_user("someone", *groups))
    ours, django = fresh(user), fresh(user)
    assert RoleModelBackend().get_all_permissions(ours) == (
        ModelBackend().get_all_permissions(django)
    )
    assert RoleModelBackend().get_user_permissions(ours) == {"admin.view_logentry"}
    assert RoleModelBackend().get_group_permissions(ours) == (
        ModelBackend().get_group_permissions(django)
    )
    assert role_names(ours) == frozenset(groups)


def test_roles_and_permissions_cost_one_query_together(
    editor, django_assert_num_queries
):
    user = fresh(editor)
    with django_assert_num_queries(1):
        assert is_editor(user)
        assert user.has_perm("claims.change_claim")
        assert user.has_perm("claims.view_claim")
        assert not user.has_perm("auth.delete_user")
    user = fresh(editor)
    with django_assert_num_queries(1):  # the other way round
        assert user.has_perm("claims.change_claim")
        assert is_editor(user)


def test_a_role_taken_away_counts_at_the_next_request(editor):
    assert fresh(editor).has_perm("claims.change_claim")
    editor.groups.remove(Group.objects.get(name=EDITOR))
    user = fresh(editor)
    assert not user.has_perm("claims.change_claim")
    assert not is_editor(user)


def test_an_inactive_user_has_no_roles_or_permissions(editor):
    editor.is_active = False
    editor.save()
    user = fresh(editor)
    assert role_names(user) == frozenset()
    assert not user.has_perm("claims.view_claim")


def test_a_superuser_has_every_permission_and_their_groups(db):
    admin = make_user("boss", REVIEWER, is_superuser=True)
    user = fresh(admin)
    assert user.has_perm("auth.delete_user")
    assert user.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert role_names(user) == frozenset({REVIEWER})
    assert is_editor(user)
