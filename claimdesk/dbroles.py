"""Least privilege in the database: the app runs as a role that owns no
table and cannot change the database's rules.

Two roles:

- the **owner** owns the tables and runs migrations, backups and restores
  (``manage.py migrate``, ``backup``, ``restore``: manage.py picks
  ``DATABASE_OWNER_URL`` for them);
- the **app** role (``DATABASE_URL``) may read and write rows, nothing more:
  it cannot ALTER, DROP or TRUNCATE a table, so it cannot disable a trigger;
  it cannot UPDATE or DELETE a note or an event of the log at all.

After every ``migrate`` the owner grants the app role exactly that
(``grant_app_privileges``, on post_migrate). The embedded server of the demo
and the tests sets both roles up itself (``claimdesk.database``); for a
managed database, docs/deploy.md gives the statements.
"""

from __future__ import annotations

from psycopg import sql

APP_ROLE = "claimdesk_app"
# Rows the app adds but never changes or removes (the database refuses it
# too, by trigger; without the privilege the app cannot even try).
APPEND_ONLY_TABLES = ("claims_reviewnote", "audit_event")


def create_app_role(conn, role: str = APP_ROLE, password: str | None = None) -> None:
    """The app's login role (a psycopg connection of a role that may create
    roles), with no power beyond the rows it is granted."""
    exists = conn.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
    ).fetchone()
    conn.execute(
        sql.SQL(
            "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
            "NOBYPASSRLS"
        ).format(sql.SQL("ALTER" if exists else "CREATE"), sql.Identifier(role))
    )
    if password is not None:
        conn.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )


def privilege_statements(role: str, database: str) -> list[sql.Composed]:
    app = sql.Identifier(role)
    append_only = sql.SQL(", ").join(sql.Identifier(t) for t in APPEND_ONLY_TABLES)
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), app
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app),
        sql.SQL(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
        ).format(app),
        sql.SQL("REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {}").format(app),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(append_only, app),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(
            app
        ),
    ]


def grant_app_privileges(connection, role: str) -> None:
    """Grant ``role`` the app's rows (a Django connection, as the owner)."""
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        for statement in privilege_statements(role, database):
            cursor.execute(statement.as_string(cursor.connection))


def on_post_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.conf import settings
    from django.db import connections

    role = getattr(settings, "DB_APP_ROLE", None)
    if role:
        grant_app_privileges(connections[using], role)
