"""Changes that bypass the workflow still reach the log: the database's own
triggers record each one, with what changed and the database user."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from audit.models import Event, Kind
from claims import workflow
from claims.models import Claim, Quantity, ReviewNote
from episodes.models import Episode
from people.models import Person, PersonAlias
from tests.conftest import events


def db_events(**filters) -> list[Event]:
    """Events the triggers wrote since the test's own setup."""
    return list(
        Event.objects.filter(kind__in=[Kind.DB_INSERT, Kind.DB_UPDATE, Kind.DB_DELETE])
        .filter(id__gt=MARK["id"], **filters)
        .order_by("id")
    )


MARK = {"id": 0}


@pytest.fixture
def mark(db):
    """Remember the newest event: the fixtures' own rows (people, shows and
    episodes made with the ORM) are logged too, and are not the subject."""

    def set_mark():
        MARK["id"] = (
            Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )

    return set_mark


def current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def test_an_orm_update_is_logged_with_old_and_new(claim, mark):
    mark()
    Claim.objects.filter(pk=claim.pk).update(text="Changed behind the desk")
    (event,) = db_events(topic_id=claim.pk)
    assert (event.kind, event.actor, event.db_user) == (
        Kind.DB_UPDATE,
        None,
        current_user(),
    )
    assert event.changes == {
        "text": ["Growth claim: 80 times growth", "Changed behind the desk"]
    }
    assert (event.object_type, event.object_id) == ("claims.claim", claim.pk)
    # The claim's own timeline shows it.
    assert events(claim).last() == event


def test_a_raw_sql_update_is_logged(claim, mark):
    mark()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET claim_type = 'causal' WHERE id = %s", [claim.pk]
        )
    (event,) = db_events(topic_id=claim.pk)
    assert event.changes == {"claim_type": ["statistic", "causal"]}


def test_an_update_that_changes_nothing_logs_nothing(claim, mark):
    mark()
    Claim.objects.filter(pk=claim.pk).update(text=claim.text)
    assert db_events() == []


def test_bulk_create_logs_each_row_on_its_claims_timeline(claim, mark):
    mark()
    Quantity.objects.bulk_create(
        [
            Quantity(claim=claim, kind="count", low=1, high=1, text="one"),
            Quantity(claim=claim, kind="count", low=2, high=2, text="two"),
        ]
    )
    inserted = db_events(kind=Kind.DB_INSERT)
    assert [e.object_type for e in inserted] == ["claims.quantity"] * 2
    assert {e.topic_id for e in inserted} == {claim.pk}
    assert [e.changes["text"] for e in inserted] == [[None, "one"], [None, "two"]]


def test_copy_is_logged(claim, reviewer, mark):
    mark()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY claims_reviewnote (claim_id, author_id, body, created_at) FROM STDIN"
        ) as copy,
    ):
        copy.write_row((claim.pk, reviewer.pk, "Loaded by COPY", "2026-12-01"))
    note = ReviewNote.objects.get(body="Loaded by COPY")
    (event,) = db_events(object_type="claims.reviewnote")
    assert (event.kind, event.object_id, event.topic_id) == (
        Kind.DB_INSERT,
        note.pk,
        claim.pk,
    )
    assert event.changes["body"] == [None, "Loaded by COPY"]


def test_a_delete_is_logged_with_what_was_there(db, mark):
    mark()
    person = Person.objects.create(name="Temp Person", slug="temp-person")
    PersonAlias.objects.create(person=person, name="T. Person")
    PersonAlias.objects.filter(person=person).delete()
    deleted = db_events(kind=Kind.DB_DELETE)
    assert [(e.object_type, e.topic_id) for e in deleted] == [
        ("people.personalias", person.pk)
    ]
    assert deleted[0].changes["name"] == ["T. Person", None]


def test_a_long_source_is_logged_as_its_digest(episode, mark):
    mark()
    old = episode.source_text
    Episode.objects.filter(pk=episode.pk).update(
        source_text=old + "A new line.\n", subtitle="New subtitle"
    )
    (event,) = db_events(object_type="episodes.episode")
    assert event.changes == {
        "subtitle": ["", "New subtitle"],
        "source_text_md5": [
            hashlib.md5(old.encode()).hexdigest(),  # noqa: S324 - a digest, not a secret
            hashlib.md5((old + "A new line.\n").encode()).hexdigest(),  # noqa: S324
        ],
    }


def test_what_the_workflow_records_is_not_recorded_twice(claim, reviewer, mark):
    mark()
    workflow.claim_start_research(claim=claim, actor=reviewer)
    workflow.note_add(claim=claim, actor=reviewer, body="Checked.")
    assert db_events() == []
    assert [e.kind for e in events(claim)] == [
        Kind.CLAIM_CREATED,
        Kind.RESEARCH_STARTED,
        Kind.NOTE_ADDED,
    ]


def test_a_raw_write_after_a_workflow_call_in_one_transaction_is_still_caught(
    claim, reviewer, mark
):
    mark()
    # The test runs in one transaction, as a script that calls the workflow
    # and then writes by hand would.
    workflow.claim_start_research(claim=claim, actor=reviewer)
    Claim.objects.filter(pk=claim.pk).update(text="By hand afterwards")
    (event,) = db_events()
    assert event.changes["text"][1] == "By hand afterwards"


def test_the_admin_history_pages_read_the_log(client, claim, reviewer, editor, mark):
    from django.urls import reverse

    mark()
    workflow.claim_start_research(claim=claim, actor=reviewer, note="Mine.")
    Claim.objects.filter(pk=claim.pk).update(text="Fixed by a script")
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).text
    # Newest first, the change made outside the workflow included.
    assert page.index("Changed a row outside the workflow") < page.index(
        "Started research"
    )
    assert "Fixed by a script" in page and "Mine." in page
    log = client.get(reverse("admin:audit_event_changelist"))
    assert log.status_code == 200
    client.force_login(reviewer)
    assert client.get(reverse("admin:audit_event_changelist")).status_code == 403
