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


@pytest.mark.parametrize(
    "groups", [(), (REVIEWER,), (EDITOR,), (REVIEWER, EDITOR)], ids=repr
)
def test_the_signed_in_user_is_read_with_their_access_in_one_query(
    groups, django_assert_num_queries
):
    """What a request's user is (RoleModelBackend.get_user): Django's
    ModelBackend's user, field for field, with the roles and permissions
    already on it, in one query."""
    user = with_own_permission(make_user("someone", *groups))
    django = ModelBackend().get_user(user.pk)
    with django_assert_num_queries(1):
        ours = RoleModelBackend().get_user(str(user.pk))  # as the session keeps it
        assert role_names(ours) == frozenset(groups)
        assert ours.has_perm("admin.view_logentry")
    assert type(ours) is type(django)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(django, field.attname)
    assert not ours._state.adding and ours._state.db == "default"
    assert RoleModelBackend().get_all_permissions(ours) == (
        ModelBackend().get_all_permissions(fresh(user))
    )
    assert ours.get_session_auth_hash() == django.get_session_auth_hash()


def test_no_user_for_a_missing_inactive_or_malformed_id(editor):
    backend = RoleModelBackend()
    assert backend.get_user(editor.pk + 1000) is None
    assert backend.get_user("not a number") is None
    assert backend.get_user("") is None
    editor.is_active = False
    editor.save()
    assert backend.get_user(editor.pk) is None


def test_a_superusers_session_user_has_every_permission(db):
    admin = make_user("boss", is_superuser=True)
    user = RoleModelBackend().get_user(admin.pk)
    assert user.is_superuser and user.has_perm("auth.delete_user")
    assert role_names(user) == frozenset()


def test_a_role_taken_away_counts_at_the_signed_in_users_next_request(client, editor):
    client.force_login(editor)
    assert client.get("/admin/claims/claim/").status_code == 200
    editor.groups.remove(Group.objects.get(name=EDITOR))
    editor.is_staff = True  # still staff: the roles alone decide
    editor.save()
    assert client.get("/admin/claims/claim/").status_code == 403


def test_async_code_gets_the_same_user_with_their_access():
    from asgiref.sync import async_to_sync

    user = make_user("someone", REVIEWER)
    found = async_to_sync(RoleModelBackend().aget_user)(user.pk)
    assert found.pk == user.pk and role_names(found) == frozenset({REVIEWER})
