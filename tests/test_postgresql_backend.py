"""claimdesk/postgresql: timestamps read by psycopg's C parser, with the
values and time zones Django's own loader gives."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.adapt import AdaptersMap
from psycopg.pq import Format

from claimdesk.postgresql.base import fast_tz_loader

pytestmark = pytest.mark.django_db
TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid
# Whole-hour, half-hour and quarter-hour offsets, negative ones, and zones
# whose old offsets had seconds (local mean time: +00:19:32 in Amsterdam
# before 1937), which PostgreSQL writes as "+00:19:32".
ZONES = [
    "UTC",
    "Asia/Kolkata",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Europe/Amsterdam",
    "Pacific/Honolulu",
]


def djangos_loader(tz, raw):
    """The loader Django registers for ``tz`` (``SpecificTzLoader``)."""
    context = AdaptersMap(psycopg.adapters)
    register_tzloader(tz, context)
    return context.get_loader(TIMESTAMPTZ, Format.TEXT)(TIMESTAMPTZ, raw)


def test_the_connection_reads_timestamps_with_psycopgs_c_parser():
    connection.ensure_connection()
    raw = connection.connection
    loader = raw.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert loader.__name__ == "FastTzLoader"
    assert loader.timezone == connection.timezone
    # psycopg[binary] is what pyproject.toml installs: its parser is C.
    assert psycopg.pq.__impl__ == "binary"
    parser = loader(TIMESTAMPTZ, raw)._parse.__self__
    assert type(parser).__module__ == "psycopg_binary._psycopg"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT now(), %s::timestamptz",
            [dt.datetime(2026, 12, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)],
        )
        now, back = cursor.fetchone()
    assert now.tzinfo is dt.UTC and now.utcoffset() == dt.timedelta(0)
    assert back == dt.datetime(2026, 12, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001 (hypothesis: naive bounds)
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    ),
    zone=st.sampled_from(ZONES),
    tz=st.sampled_from([dt.UTC, None]),
)
def test_any_timestamp_in_any_session_zone_loads_as_djangos_loader_loads_it(
    moment, zone, tz
):
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(psycopg.sql.SQL("SET TIME ZONE {}").format(zone))
        try:
            cursor.execute("SELECT (%s::timestamptz)::text", [moment])
            text = cursor.fetchone()[0].encode()
            fast = fast_tz_loader(tz)(TIMESTAMPTZ, raw).load(text)
            django = djangos_loader(tz, raw).load(text)
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert fast == django
    assert fast.tzinfo == django.tzinfo
    assert fast.replace(tzinfo=None) == django.replace(tzinfo=None)
