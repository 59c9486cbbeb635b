"""The admin site's shared context (claimdesk.admin_site)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite as DjangoAdminSite
from django.test import RequestFactory

from claimdesk.admin_site import AdminSite

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_default_admin_site_is_the_desks():
    assert isinstance(admin.site, AdminSite)


def test_each_context_is_djangos_with_the_app_list_built_on_use(editor):
    request = request_of(editor)
    ours = admin.site.each_context(request)
    theirs = DjangoAdminSite.each_context(admin.site, request)
    assert ours.keys() == theirs.keys()
    assert list(ours["available_apps"]) == theirs["available_apps"]
    assert ours["available_apps"], "an editor sees the claims app"
    for key in ours.keys() - {"available_apps", "log_entries"}:
        assert ours[key] == theirs[key], key


def test_the_sidebar_still_lists_the_apps(client, editor):
    client.force_login(editor)
    response = client.get("/admin/episodes/episode/")
    assert response.status_code == 200
    assert 'id="nav-sidebar"' in response.text
    assert "/admin/claims/claim/" in response.text


def test_djangos_own_admin_messages_keep_their_capital(client, editor):
    """templates/admin/base_site.html shows the desk's file messages as
    written; Django's, built from a lowercase verbose name, keep capfirst."""
    client.force_login(editor)
    response = client.get("/admin/claims/claim/999999/change/", follow=True)
    assert '<li class="warning">Claim with ID “999999” doesn’t exist.' in (
        response.text
    )


@pytest.mark.parametrize("selected", ["abc", "", "1\x00", "12abc"])
def test_every_lists_actions_refuse_a_selection_that_is_no_row(client, selected):
    """A crafted selection ("abc", empty, a NUL) made every list action a
    500 (Django's ``pk__in`` filter raises ValueError): now a message on
    the list, and nothing run. Every admin of the site, third parties' too."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "x")
    client.force_login(boss)
    tried = 0
    for model, model_admin in admin.site._registry.items():
        request = request_of(boss)
        actions = list(model_admin.get_actions(request))
        if not actions:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.post(
            url, {"action": actions[0], "_selected_action": [selected], "index": 0}
        )
        assert response.status_code == 302, (opts.label, actions[0])
        shown = client.get(response["Location"])
        assert "which is no row of this list; nothing was changed" in shown.text
        tried += 1
    # Claims, possible duplicates, API tokens, users, groups, lockouts …
    assert tried >= 5


@pytest.mark.parametrize("selected", ["-1", "99999999999999999999"])
def test_an_action_on_a_row_no_longer_on_the_list_changes_nothing_and_says_so(
    client, selected
):
    """Found by a new user: a key of no row (deleted since the list was
    shown, or made up) ran the action on nothing, silently, or showed an
    empty confirmation page."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    boss = get_user_model().objects.create_superuser("boss", "b@example.org", "x")
    client.force_login(boss)
    url = reverse("admin:auth_user_changelist")
    response = client.post(
        url,
        {
            "action": "delete_selected",
            "_selected_action": [str(boss.pk), selected],
            "index": 0,
        },
    )
    assert response.status_code == 302
    shown = client.get(response["Location"])
    assert "1 of the 2 selected rows is no longer on this list" in shown.text
    assert get_user_model().objects.filter(pk=boss.pk).exists()
