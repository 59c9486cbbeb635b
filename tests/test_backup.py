"""make backup / make restore: a populated database round-trips whole."""

from __future__ import annotations

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from claimdesk.backup import backup, restore
from claims import workflow
from claims.models import Claim
from tests.conftest import add_evidence, make_claim, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot(conn) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of its
    rows (sorted), so two databases compare row for row."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
    ]
    digest = {}
    for table in tables:
        digest[table] = conn.execute(
            sql.SQL(
                "SELECT count(*),"
                " md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(table))
        ).fetchone()
    return digest


def connect(dbname: str | None = None):
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"host", "port", "user", "password", "dbname"} and value
    }
    if dbname:
        params["dbname"] = dbname
    return psycopg.connect(**params, autocommit=True)


def test_a_populated_database_round_trips_with_its_event_log(episode, tmp_path):
    reviewer = make_user("rita", "Reviewer")
    editor = make_user("edna", "Editor")
    claim = make_claim(episode)
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.note_add(claim=claim, actor=reviewer, body="Checked the filing.")
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="It holds.", actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)
    Claim.objects.filter(pk=claim.pk).update(claim_type="causal")  # logged by trigger

    archive = backup(tmp_path / "claimdesk.dump")
    assert archive.stat().st_size > 0
    name = f"{connection.settings_dict['NAME']}_restored"
    with connect() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        restore(archive, dbname=name)
        with connect() as original, connect(name) as restored:
            before, after = snapshot(original), snapshot(restored)
        assert set(before) == set(after)
        assert before == after
        assert before["audit_event"][0] >= 8  # the log came back whole
        # The rules came back too: the restored log is still append-only.
        with connect(name) as restored, pytest.raises(psycopg.errors.RestrictViolation):
            restored.execute("DELETE FROM audit_event")
    finally:
        with connect() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def test_restore_of_a_missing_or_broken_file_changes_nothing(claim, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "nothing.dump"))
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="restore failed, nothing was changed"):
        call_command("restore", str(broken))
    assert Claim.objects.filter(pk=claim.pk).exists()
