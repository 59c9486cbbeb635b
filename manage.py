#!/usr/bin/env python
import os
import sys

OWNER_COMMANDS = {
    "migrate",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "flush",
    "backup",
    "restore",
    "generate_demo_data",
    "dbshell",
    "pgtrigger",
    # Creates and drops its own throwaway database.
    "benchmark",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimdesk.settings")
    # Commands (imports, migrations, backups) may run statements longer than
    # a web request may; the server keeps the web limit (settings.py).
    # Commands that change the schema or the whole database connect as its
    # owner; everything else as the app's own role (claimdesk/dbroles.py).
    if sys.argv[1:2] and sys.argv[1] in OWNER_COMMANDS:
        os.environ.setdefault("CLAIMDESK_DB_AS_OWNER", "1")
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault(
            "CLAIMDESK_STATEMENT_TIMEOUT",
            os.environ.get("CLAIMDESK_COMMAND_STATEMENT_TIMEOUT", "15min"),
        )
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting to fix, not a bug: one line that says which, no traceback.
        sys.stderr.write(f"error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
