"""The app's database role reads and writes rows and can do nothing else: it
owns no table, so it cannot disable the triggers that keep the rules, drop
or truncate a table, or change a note or an event of the log."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from claimdesk.dbroles import APP_ROLE, create_app_role, grant_app_privileges

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def app_connection():
    """A connection to the test database as the app role, as the site has."""
    password = secrets.token_urlsafe(16)
    with psycopg.connect(
        **{
            key: value
            for key, value in connection.get_connection_params().items()
            if key in {"host", "port", "user", "password", "dbname"} and value
        },
        autocommit=True,
    ) as owner:
        create_app_role(owner, APP_ROLE, password=password)
    # The grants post_migrate makes when DATABASE_OWNER_URL is set (the
    # embedded server always); made here too for a DATABASE_URL-only run.
    grant_app_privileges(connection, APP_ROLE)
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"host", "port", "dbname"} and value
    }
    with psycopg.connect(
        **params, user=APP_ROLE, password=password, autocommit=True
    ) as app:
        yield app


def refused(app, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as error:
        app.execute(statement)
    return str(error.value)


def test_the_app_role_reads_and_writes_rows(app_connection):
    assert app_connection.execute("SELECT current_user").fetchone() == (APP_ROLE,)
    assert app_connection.execute("SELECT count(*) FROM claims_claim").fetchone() == (
        0,
    )
    app_connection.execute(
        "INSERT INTO episodes_show (name, slug, url) VALUES ('S', 's', '')"
    )
    app_connection.execute("UPDATE episodes_show SET name = 'Show' WHERE slug = 's'")
    app_connection.execute("DELETE FROM episodes_show WHERE slug = 's'")


def test_the_app_role_cannot_disable_a_trigger_or_change_a_table(app_connection):
    assert "must be owner" in refused(
        app_connection, "ALTER TABLE claims_claim DISABLE TRIGGER ALL"
    )
    assert "must be owner" in refused(app_connection, "DROP TABLE audit_event")
    refused(app_connection, "TRUNCATE claims_reviewnote")
    refused(app_connection, "TRUNCATE audit_event")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_connection.execute("SET session_replication_role = replica")


def test_the_app_role_cannot_change_notes_or_the_log(app_connection):
    refused(app_connection, "UPDATE audit_event SET note = ''")
    refused(app_connection, "DELETE FROM audit_event")
    refused(app_connection, "UPDATE claims_reviewnote SET body = ''")
    refused(app_connection, "DELETE FROM claims_reviewnote")


def settings_user(**env: str) -> str:
    """The database user the settings pick for a command run with ``env``."""
    import os
    import subprocess
    import sys

    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CLAIMDESK_")) and key != "PYTEST_VERSION"
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = "
            "'claimdesk.settings'; django.setup(); from django.conf import "
            "settings; print(settings.DATABASES['default']['USER'], "
            "settings.DB_APP_ROLE)",
        ],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SECRET_KEY": "k" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.django_db(transaction=False)
def test_the_site_connects_as_the_app_role_and_commands_as_the_owner():
    urls = {
        "DATABASE_URL": "postgres://claimdesk_app@db.example.org/claimdesk",
        "DATABASE_OWNER_URL": "postgres://claimdesk_owner@db.example.org/claimdesk",
    }
    assert settings_user(**urls) == "claimdesk_app claimdesk_app"
    assert (
        settings_user(**urls, CLAIMDESK_DB_AS_OWNER="1")
        == "claimdesk_owner claimdesk_app"
    )
    # One URL: one role for everything, and no grants to make.
    assert settings_user(DATABASE_URL=urls["DATABASE_URL"]) == "claimdesk_app None"
