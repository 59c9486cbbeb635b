"""Tokens for scripts: an editor makes and revokes their own in the admin;
only editors reach the page; a token acts as its user, role included; the
key is shown once and only its digest is stored."""

from __future__ import annotations

import hashlib
import re
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from api.models import ApiToken
from audit.models import Event, Kind
from tests.conftest import make_user

CHANGELIST = "/admin/api/apitoken/"
ADD = CHANGELIST + "add/"


def scripted(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def shown_key(response) -> str:
    """The key on the page that answers a token's creation."""
    match = re.search(
        r'<code id="api-key" class="api-key">([0-9a-f]+)</code>',
        response.content.decode(),
    )
    assert match, "the key is not on the page"
    return match[1]


def test_an_editor_makes_a_token_in_the_admin_and_a_script_uses_it(
    client, editor, claim
):
    client.force_login(editor)
    response = client.post(ADD, {"_save": "Save"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = shown_key(response)
    assert len(key) == 40
    token = ApiToken.objects.get(user=editor)
    assert token.prefix == key[:6]
    api = scripted(key)
    data = api.get(f"/api/claims/{claim.pk}/").json()
    # It acts as the editor: the draft is visible and the editor's steps offered.
    assert "start-research" in {row["step"] for row in data["steps"]}


def test_the_key_is_not_stored_and_not_shown_again(client, editor):
    client.force_login(editor)
    key = shown_key(client.post(ADD, {"_save": "Save"}))
    # Nowhere in the token's row: only its SHA-256 and first characters.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        row = cursor.fetchone()
    assert key not in {str(value) for value in row}
    assert hashlib.sha256(key.encode()).hexdigest() in row
    # Nor in the session, the list or the token's page afterwards.
    assert key not in str(dict(client.session))
    token = ApiToken.objects.get(user=editor)
    for url in (CHANGELIST, f"{CHANGELIST}{token.pk}/change/"):
        page = client.get(url).content.decode()
        assert key not in page
        assert f"{key[:6]}…" in page


def test_an_editor_revokes_their_token_and_it_stops_working(client, editor, claim):
    token, key = ApiToken.objects.issue(editor)
    assert scripted(key).get("/api/claims/").status_code == 200
    client.force_login(editor)
    response = client.post(f"{CHANGELIST}{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=editor).exists()
    response = scripted(key).get("/api/claims/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Invalid token.",
    }


@pytest.mark.parametrize(
    "key",
    [
        "0" * 40,  # well formed, never issued
        "z" * 5000,  # far longer than any key: refused before it is hashed
        "\xe9" * 10,  # not ASCII: a header's bytes that are not UTF-8
    ],
)
def test_a_key_that_was_not_issued_is_refused(editor, key):
    ApiToken.objects.issue(editor)
    response = scripted(key).get("/api/claims/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_second_token_waits_for_the_first_to_be_revoked(client, editor):
    ApiToken.objects.issue(editor)
    client.force_login(editor)
    response = client.post(ADD, {"_save": "Save"})
    assert response.status_code == 200
    assert "already has a token" in response.content.decode()
    assert ApiToken.objects.filter(user=editor).count() == 1


def test_an_editor_makes_tokens_only_for_themselves(client, editor, editor2):
    client.force_login(editor)
    client.post(ADD, {"user": editor2.pk, "_save": "Save"})
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["edna"]


def test_an_editor_neither_sees_nor_revokes_another_editors_token(
    client, editor, editor2
):
    theirs, _key = ApiToken.objects.issue(editor2)
    client.force_login(editor)
    page = client.get(CHANGELIST).content.decode()
    assert "eddie" not in page
    assert theirs.prefix not in page
    client.post(f"{CHANGELIST}{theirs.pk}/delete/", {"post": "yes"})
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_editors_reach_the_tokens_in_the_admin(client, db, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert "apitoken" not in client.get("/admin/").content.decode()
    assert not ApiToken.objects.exists()


def test_an_editor_who_is_not_staff_does_not_reach_the_admin(client, db):
    editor = make_user("ed", "Editor")
    User.objects.filter(pk=editor.pk).update(is_staff=False)
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 302  # to the admin's login


def test_a_superuser_makes_a_token_for_a_scripts_own_account(client, db, claim):
    admin = make_user("root", is_superuser=True)
    bot = make_user("import-bot", "Reviewer")
    client.force_login(admin)
    # The key is shown once, on the page that answers the creation (to hand
    # to the script's owner); then, like every other key, only its start.
    key = shown_key(client.post(ADD, {"user": bot.pk, "_save": "Save"}))
    assert ApiToken.objects.get().user == bot
    page = client.get(CHANGELIST).content.decode()
    assert "import-bot" in page
    assert key not in page
    # It acts as the bot, a reviewer: research is a step it may take.
    data = scripted(key).get(f"/api/claims/{claim.pk}/").json()
    assert "start-research" in {row["step"] for row in data["steps"]}
    assert "approve" not in {row["step"] for row in data["steps"]}


def test_a_deactivated_users_token_is_refused(editor, claim):
    _token, key = ApiToken.objects.issue(editor)
    User.objects.filter(pk=editor.pk).update(is_active=False)
    assert scripted(key).get("/api/claims/").status_code == 401


def test_the_add_page_offers_only_save(client, editor):
    client.force_login(editor)
    page = client.get(ADD).content.decode()
    assert 'name="_save"' in page
    assert 'name="_addanother"' not in page
    assert 'name="_continue"' not in page


def test_a_superuser_choosing_a_user_with_a_token_gets_one_error(client, db, editor):
    admin = make_user("root", is_superuser=True)
    ApiToken.objects.issue(editor)
    client.force_login(admin)
    page = client.post(ADD, {"user": editor.pk, "_save": "Save"}).content.decode()
    assert "already has a token" in page
    assert "already exists" not in page
    assert ApiToken.objects.count() == 1


def test_a_superusers_wrong_user_gets_the_fields_error_alone(client, db):
    admin = make_user("root", is_superuser=True)
    ApiToken.objects.issue(admin)
    client.force_login(admin)
    page = client.post(ADD, {"user": 999_999, "_save": "Save"}).content.decode()
    assert "Select a valid choice" in page
    assert "already has a token" not in page
    assert ApiToken.objects.count() == 1


# serialized_rollback: as tests/claims/test_database_rules.py.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_adds_at_once_make_one_token_and_a_form_error(client, editor):
    """An add whose user already has a token being made (not yet committed)
    waits for it, then says so: no second token, no server error."""
    client.force_login(editor)
    locked, waiting = threading.Event(), threading.Event()

    def first_add():
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=editor.pk)
                ApiToken.objects.issue(editor)
                locked.set()
                # Held until the page's request waits on this transaction.
                with connection.cursor() as cursor:
                    for _ in range(100):
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE wait_event_type = 'Lock' AND datname = "
                            "current_database()"
                        )
                        if cursor.fetchone()[0]:
                            waiting.set()
                            break
                        time.sleep(0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_add)
    thread.start()
    assert locked.wait(timeout=10)
    response = client.post(ADD, {"_save": "Save"})
    thread.join(timeout=30)
    assert waiting.is_set()  # the page's add did wait for the first one
    assert response.status_code == 200
    assert "already has a token" in response.content.decode()
    assert ApiToken.objects.filter(user=editor).count() == 1


def test_making_and_revoking_a_token_are_in_the_log(client, editor):
    client.force_login(editor)
    key = shown_key(client.post(ADD, {"_save": "Save"}))
    token = ApiToken.objects.get(user=editor)
    client.post(f"{CHANGELIST}{token.pk}/delete/", {"post": "yes"})
    events = list(
        Event.objects.filter(topic_type="auth.user", topic_id=editor.pk).order_by("id")
    )
    assert [(e.kind, e.actor, e.object_id, e.changes) for e in events] == [
        (Kind.TOKEN_ISSUED, editor, token.pk, {"prefix": [None, key[:6]]}),
        (Kind.TOKEN_REVOKED, editor, token.pk, {"prefix": [key[:6], None]}),
    ]
    # Never more of the key than the list shows.
    assert key not in str([(e.changes, e.note) for e in events])
    # The desk's dashboard lists them with the rest of the activity.
    page = client.get("/").content.decode()
    assert "made an API token" in page
    assert "revoked an API token" in page
    assert key not in page


def test_a_bulk_revoke_logs_each_token(client, db):
    admin = make_user("root", is_superuser=True)
    bots = [make_user(f"bot-{n}", "Reviewer") for n in range(2)]
    made = [ApiToken.objects.issue(bot)[0] for bot in bots]
    client.force_login(admin)
    client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [t.pk for t in made],
        },
    )
    assert not ApiToken.objects.exists()
    assert sorted(
        Event.objects.filter(kind=Kind.TOKEN_REVOKED).values_list("topic_id", flat=True)
    ) == sorted(bot.pk for bot in bots)


def test_a_token_revoked_twice_is_logged_once(editor):
    """Four tabs revoking one token at once logged four "token revoked"
    events (found by the second new-user review): the revocation locks the
    row and does nothing when it is already gone."""
    from api import tokens

    token, _key = tokens.token_issue(user=editor, actor=editor)
    stale = ApiToken.objects.get(pk=token.pk)  # what a second tab still holds
    assert tokens.token_revoke(token=token, actor=editor) is True
    assert tokens.token_revoke(token=stale, actor=editor) is False
    assert Event.objects.filter(kind=Kind.TOKEN_REVOKED).count() == 1
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("scheme", ["Bearer", "token-x"])
def test_another_scheme_is_a_401_that_names_the_apis(editor, claim, scheme):
    # "Bearer <key>" was read as no header: answered as anonymous (a 404 for
    # a claim the key's owner may see), never told why.
    _, key = ApiToken.objects.issue(editor)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    response = client.get(f"/api/claims/{claim.pk}/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": f"The Authorization header's scheme is “{scheme}”; this API "
        "takes “Token <key>” (a key from the desk's API tokens).",
    }
    assert response["WWW-Authenticate"] == "Token"
    assert scripted(key).get(f"/api/claims/{claim.pk}/").status_code == 200


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Negotiate YIIG", "NTLM TlRMTVNT", "Bearer sso"]
)
def test_a_proxys_header_in_front_of_the_site_is_left_to_the_session(
    client, editor, claim, header
):
    # A staging site behind a proxy's password, an intranet's sign-on:
    # browsers send it on every request, their reader signed in by the
    # session (a sign-on proxy may pass its own Bearer on).
    client.force_login(editor)
    response = client.get(f"/api/claims/{claim.pk}/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 200
    # Anonymous behind a proxy's password: the public reader, not a 401.
    if not header.startswith("Bearer"):
        client.logout()
        assert client.get("/api/claims/", HTTP_AUTHORIZATION=header).status_code == 200
