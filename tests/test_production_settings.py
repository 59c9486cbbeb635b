"""Production settings: Django's deployment checklist passes, the
Content-Security-Policy is sent everywhere, logins are throttled, static
files are served by the app server."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user

BASE = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CLAIMDESK_")) and key != "PYTEST_VERSION"
    }
    return {
        **env,
        "DATABASE_URL": "postgres://claimdesk@db.example.org:5432/claimdesk",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "claimdesk.example.org",
        **extra,
    }


def test_check_deploy_gives_zero_warnings_with_production_settings():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_settings_come_from_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)"
    )
    production = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE,
        env=production_env(DJANGO_SECURE_PROXY_SSL_HEADER="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert production.stdout.split()[-5:] == [
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ], production.stderr
    relaxed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE,
        env=production_env(
            DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="60"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert relaxed.stdout.split()[-4:] == ["False", "True", "60", "None"]


@pytest.mark.parametrize("url", ["/", "/claims/", "/admin/login/"])
def test_every_page_sends_a_strict_content_security_policy(client, db, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_admin_sends_it_too(client, editor):
    client.force_login(editor)
    policy = client.get(reverse("admin:claims_claim_changelist"))[
        "Content-Security-Policy"
    ]
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_out_then_an_editor_lifts_it(
    client, db, settings, login_url
):
    make_user("rita", "Reviewer")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": "rita", "password": "wrong"})
        assert response.status_code == 200  # the form again, not yet locked
    response = client.post(login_url, {"username": "rita", "password": "wrong"})
    assert response.status_code == 429
    # Locked: even the right password is refused, with a page that says why.
    response = client.post(login_url, {"username": "rita", "password": PASSWORD})
    assert response.status_code == 429
    assert "Signing in is paused for this account" in response.text
    # An editor lifts it (or it lapses after AXES_COOLOFF_TIME hours).
    call_command("axes_reset_username", "rita", verbosity=0)
    response = client.post(login_url, {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302


def test_an_editor_lifts_a_lockout_in_the_desk(client, db, settings):
    """README (Security): Axes → Access attempts → delete the row."""
    make_user("rita", "Reviewer")
    editor = make_user("eddie", "Editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "rita", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="rita")
    desk = Client()
    desk.force_login(editor)
    listing = desk.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "rita" in listing.text
    assert "/admin/axes/accessattempt/" in desk.get("/admin/").text
    deleted = desk.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    response = client.post(
        "/accounts/login/", {"username": "rita", "password": PASSWORD}
    )
    assert response.status_code == 302
    # Reviewers may not.
    desk.force_login(User.objects.get(username="rita"))
    assert desk.get("/admin/axes/accessattempt/").status_code == 403


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_accounts_is_a_form_error(client, db, login_url):
    """Django's sign-in form never checked the length; django-axes then
    failed to record the attempt in its 255-character column (a 500)."""
    response = client.post(login_url, {"username": "a" * 256, "password": "x"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 256)." in (
        response.text
    )
    assert not AccessAttempt.objects.exists()


def test_static_files_are_served_by_the_app_server(client, db):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    # Not Django's development view (the tests have none): WhiteNoise.
    assert b"".join(response.streaming_content).strip()
    assert "max-age" in response["Cache-Control"]
