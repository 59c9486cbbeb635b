"""Django's PostgreSQL backend, reading timestamps with psycopg's C loader.

Django (5.2, ``psycopg_any.register_tzloader``) reads every ``timestamptz``
value through a subclass of psycopg's pure-Python ``TimestamptzLoader``, so
with ``psycopg[binary]`` installed each timestamp is still parsed by a
regular expression in Python (Django ticket #36960; psycopg's C loader is a
final class and cannot be subclassed). A claim row carries four to eight
timestamps, an event row two, so a page of fifty claims or an export of
thousands parsed hundreds of thousands of them this way.

``FastTzLoader`` is Django's loader, same class and same ``timezone``
attribute (Django's ``create_cursor`` compares it), whose ``load`` hands the
bytes to psycopg's own loader for the type, found through psycopg's public
adapters map (the C one with ``psycopg[binary]`` or ``[c]``, else the same
Python one Django's uses), and then does what Django's does: sets the
connection's time zone on the result.
"""

from __future__ import annotations

from functools import lru_cache

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format


def fast_tz_loader(tz) -> type[BaseTzLoader]:
    """Django's ``SpecificTzLoader`` for ``tz``, parsing in C where it can."""

    class FastTzLoader(BaseTzLoader):
        timezone = tz

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            # psycopg's own loader for the type: the C one when installed.
            parser = psycopg.adapters.get_loader(oid, Format.TEXT)
            self._parse = parser(oid, context).load

        def load(self, data):
            return self._parse(data).replace(tzinfo=self.timezone)

    return FastTzLoader


@lru_cache
def adapters_template(use_tz, timezone):
    """Django's adapters map with ``FastTzLoader`` for ``timestamptz``."""
    context = psycopg.adapt.AdaptersMap(base.get_adapters_template(use_tz, timezone))
    context.register_loader("timestamptz", fast_tz_loader(timezone))
    return context


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params["context"] = adapters_template(settings.USE_TZ, self.timezone)
        return params
