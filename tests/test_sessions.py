"""Sessions: Django's database store, read by a fixed SQL string
(claimdesk/sessions.py)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangosStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from claimdesk.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_the_project_uses_it():
    assert settings.SESSION_ENGINE == "claimdesk.sessions"


def test_a_session_reads_as_djangos_store_reads_it(django_assert_num_queries):
    key = saved(user="7", note="ünïcode <b>")
    ours = SessionStore(key)
    with django_assert_num_queries(1):
        loaded = ours.load()
    assert loaded == DjangosStore(key).load()
    assert loaded == {"user": "7", "note": "ünïcode <b>"}
    assert ours.session_key == key


@pytest.mark.parametrize("case", ["expired", "unknown", "tampered"])
def test_no_data_and_no_key_for_a_session_django_would_not_load(case):
    key = saved(user="7")
    if case == "expired":
        Session.objects.filter(pk=key).update(
            expire_date=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif case == "unknown":
        key = "x" * 32
    else:
        Session.objects.filter(pk=key).update(session_data="not:signed:data")
    ours, djangos = SessionStore(key), DjangosStore(key)
    assert ours.load() == djangos.load() == {}
    assert ours.session_key == djangos.session_key
    if case != "tampered":  # a bad signature keeps the key, as Django's does
        assert ours.session_key is None


def test_signing_in_and_out_work_through_it(client, editor):
    client.force_login(editor)
    assert client.get("/admin/claims/claim/").status_code == 200
    client.post("/admin/logout/")
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "cookie", ["abcdefgh\x00ijk", "ABCDEFGHIJKLMNOP", "abcdefgh'; --", "ñandúñandú"]
)
def test_a_cookie_that_is_no_session_key_is_no_session(client, cookie):
    """Only the characters Django makes keys of (found by a new user: a NUL
    byte in the cookie was a 500 on every page)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    for path in ("/", "/claims/", "/admin/login/"):
        assert client.get(path).status_code == 200
    assert SessionStore(cookie).session_key is None
    assert SessionStore(saved(user="7")).session_key is not None


@pytest.mark.parametrize("path", ["/admin/logout/", "/accounts/logout/"])
def test_a_typed_sign_out_address_asks_first(client, editor, path):
    """Django 5 signs out only on POST, and a GET of its sign-out address
    (typed, bookmarked) was a 405 with an empty body: a blank page. It shows
    the one button that signs out; the GET itself signs nobody out."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are signed in as <strong>edna</strong>" in html
    assert '<form method="post" action="/accounts/logout/">' in html
    assert client.get("/admin/claims/claim/").status_code == 200  # still in
    token = page.cookies["csrftoken"].value
    out = client.post(path, {"csrfmiddlewaretoken": token})
    assert out.status_code == 302 and out["Location"] == "/"
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "You are not signed in" in client.get(path).content.decode()


def test_signing_out_without_a_token_or_by_another_method_is_refused(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post("/accounts/logout/").status_code == 403  # no CSRF token
    response = client.options("/admin/logout/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"
    assert client.get("/admin/claims/claim/").status_code == 200  # still in


def test_the_sign_out_page_is_never_cached_and_goes_nowhere_else(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    page = client.get("/accounts/logout/")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert client.head("/accounts/logout/").status_code == 200
    token = page.cookies["csrftoken"].value
    out = client.post(
        "/accounts/logout/",
        {"csrfmiddlewaretoken": token, "next": "https://evil.example/"},
    )
    assert out.status_code == 302 and out["Location"] == "/"
