"""Settings that cannot go wrong silently: outside the local demo and the
tests, a deployment must name its database and its secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def run_manage(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "DJANGO_SECRET_KEY", "CLAIMDESK_DEMO", "PYTEST_VERSION"}
    }
    # Where an embedded server would put its data, if one were started.
    clean["CLAIMDESK_PGDATA"] = str(tmp_path / "pgdata")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=BASE,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_database_url_and_key_nothing_starts(tmp_path):
    result = run_manage(tmp_path)
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert "CLAIMDESK_DEMO=1" in result.stderr
    assert "Traceback" not in result.stderr
    # No embedded database was started behind the user's back.
    assert not (tmp_path / "pgdata").exists()


def test_a_database_url_without_a_secret_key_is_refused(tmp_path):
    result = run_manage(
        tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/claimdesk"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: Set DJANGO_SECRET_KEY")
    assert "DATABASE_URL (" not in result.stderr


def test_debug_does_not_stand_in_for_a_secret_key(tmp_path):
    result = run_manage(
        tmp_path,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/claimdesk",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_secret_key_without_a_database_url_is_refused(tmp_path):
    result = run_manage(tmp_path, DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 2
    assert "Set DATABASE_URL" in result.stderr
    assert not (tmp_path / "pgdata").exists()


def test_a_deployment_with_both_starts(tmp_path):
    result = run_manage(
        tmp_path,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/claimdesk",
        DJANGO_SECRET_KEY="k" * 50,
    )
    # `check` needs no connection; the settings load.
    assert result.returncode == 0, result.stderr
