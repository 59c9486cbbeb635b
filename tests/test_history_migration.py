"""The status history becomes the event log without losing a row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

BEFORE = ("claims", "0016_people_app")
AFTER = ("claims", "0017_event_log")


# serialized_rollback: the flush afterwards would otherwise take the groups
# that a data migration made away from later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_status_change_row_is_in_the_log_after_the_migration(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    Show = old.apps.get_model("episodes", "Show")
    Episode = old.apps.get_model("episodes", "Episode")
    Claim = old.apps.get_model("claims", "Claim")
    StatusChange = old.apps.get_model("claims", "StatusChange")
    User = old.apps.get_model("auth", "User")
    rita = User.objects.create(username="rita")
    edna = User.objects.create(username="edna")
    show = Show.objects.create(name="Show", slug="show")
    episode = Episode.objects.create(
        show=show,
        title="Episode",
        slug="episode",
        source_format="summary",
        source_text="80 times growth",
        source_checksum="0" * 64,
    )
    claim = Claim.objects.create(episode=episode, text="Growth", quote="80 times")
    start = datetime.datetime(2026, 5, 8, 9, tzinfo=datetime.UTC)
    rows = [
        ("created", "", "unreviewed", None, "Imported from ep.txt"),
        ("transition", "unreviewed", "researching", rita, ""),
        ("transition", "researching", "verified", rita, "Matches the filing."),
        ("approval", "verified", "verified", edna, "Checked."),
        ("transition", "verified", "researching", edna, "New figures."),
        ("source", "researching", "researching", None, "Corrected source."),
    ]
    # `at` is auto_now_add and the table is append-only: written as the
    # rows were, with their own times.
    with connection.cursor() as cursor:
        for minute, (kind, old_status, new_status, actor, note) in enumerate(rows):
            cursor.execute(
                "INSERT INTO claims_statuschange"
                " (claim_id, kind, from_status, to_status, actor_id, note, at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    claim.pk,
                    kind,
                    old_status,
                    new_status,
                    actor.pk if actor else None,
                    note,
                    start + datetime.timedelta(minutes=minute),
                ],
            )
    assert StatusChange.objects.count() == len(rows)

    new = migrator.apply_tested_migration(AFTER)
    Event = new.apps.get_model("audit", "Event")
    copied = list(
        Event.objects.filter(topic_type="claims.claim", topic_id=claim.pk).order_by(
            "at", "id"
        )
    )
    assert [
        (e.kind, e.changes["status"], e.actor_id, e.note, e.at) for e in copied
    ] == [
        ("claim.created", [None, "unreviewed"], None, "Imported from ep.txt", start),
        (
            "claim.research_started",
            ["unreviewed", "researching"],
            rita.pk,
            "",
            start + datetime.timedelta(minutes=1),
        ),
        (
            "claim.verdict_proposed",
            ["researching", "verified"],
            rita.pk,
            "Matches the filing.",
            start + datetime.timedelta(minutes=2),
        ),
        (
            "claim.approved",
            ["verified", "verified"],
            edna.pk,
            "Checked.",
            start + datetime.timedelta(minutes=3),
        ),
        (
            "claim.reopened",
            ["verified", "researching"],
            edna.pk,
            "New figures.",
            start + datetime.timedelta(minutes=4),
        ),
        (
            "claim.source_followed",
            ["researching", "researching"],
            None,
            "Corrected source.",
            start + datetime.timedelta(minutes=5),
        ),
    ]
    assert {(e.object_type, e.object_id) for e in copied} == {
        ("claims.claim", claim.pk)
    }
