"""Tokens for scripts: an editor makes and revokes their own in the admin;
only editors reach the page; a token acts as its user, role included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import make_user

CHANGELIST = "/admin/authtoken/tokenproxy/"
ADD = CHANGELIST + "add/"


def scripted(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_editor_makes_a_token_in_the_admin_and_a_script_uses_it(
    client, editor, claim
):
    client.force_login(editor)
    response = client.post(ADD, {"_save": "Save"}, follow=True)
    assert response.status_code == 200
    token = Token.objects.get(user=editor)
    # The whole key once, to its owner: in the message and the list.
    assert token.key in response.content.decode()
    api = scripted(token.key)
    data = api.get(f"/api/claims/{claim.pk}/").json()
    # It acts as the editor: the draft is visible and the editor's steps offered.
    assert "start-research" in {row["step"] for row in data["steps"]}


def test_an_editor_revokes_their_token_and_it_stops_working(client, editor, claim):
    token = Token.objects.create(user=editor)
    assert scripted(token.key).get("/api/claims/").status_code == 200
    client.force_login(editor)
    response = client.post(f"{CHANGELIST}{editor.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=editor).exists()
    response = scripted(token.key).get("/api/claims/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid token.",
    }


def test_a_second_token_waits_for_the_first_to_be_revoked(client, editor):
    Token.objects.create(user=editor)
    client.force_login(editor)
    response = client.post(ADD, {"_save": "Save"})
    assert response.status_code == 200
    assert "already has a token" in response.content.decode()
    assert Token.objects.filter(user=editor).count() == 1


def test_an_editor_makes_tokens_only_for_themselves(client, editor, editor2):
    client.force_login(editor)
    client.post(ADD, {"user": editor2.pk, "_save": "Save"})
    assert list(Token.objects.values_list("user__username", flat=True)) == ["edna"]


def test_an_editor_neither_sees_nor_revokes_another_editors_token(
    client, editor, editor2
):
    theirs = Token.objects.create(user=editor2)
    client.force_login(editor)
    page = client.get(CHANGELIST).content.decode()
    assert "eddie" not in page
    assert theirs.key[:6] not in page
    client.post(f"{CHANGELIST}{editor2.pk}/delete/", {"post": "yes"})
    assert Token.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_editors_reach_the_tokens_in_the_admin(client, db, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert "tokenproxy" not in client.get("/admin/").content.decode()
    assert not Token.objects.exists()


def test_an_editor_who_is_not_staff_does_not_reach_the_admin(client, db):
    editor = make_user("ed", "Editor")
    User.objects.filter(pk=editor.pk).update(is_staff=False)
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 302  # to the admin's login


def test_a_superuser_makes_a_token_for_a_scripts_own_account(client, db):
    admin = make_user("root", is_superuser=True)
    bot = make_user("import-bot", "Reviewer")
    client.force_login(admin)
    client.post(ADD, {"user": bot.pk, "_save": "Save"})
    assert Token.objects.get().user == bot
    # The key is shown once, in the message that it was made (to hand to
    # the script's owner); then, like every other user's key, only its start.
    assert Token.objects.get().key in client.get(CHANGELIST).content.decode()
    page = client.get(CHANGELIST).content.decode()
    assert "import-bot" in page
    assert Token.objects.get().key not in page


def test_a_deactivated_users_token_is_refused(editor, claim):
    token = Token.objects.create(user=editor)
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert scripted(token.key).get("/api/claims/").status_code == 401
