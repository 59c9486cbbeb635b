"""``generate_demo_data``: synthetic data that obeys every rule of the real
thing (quotes are slices of their source, status changes have their events,
foreign keys and triggers are back in place afterwards)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from audit.models import Event
from claims import workflow
from claims.demo_data import generate
from claims.models import VERDICTS, Claim, Evidence, Quantity, Status
from episodes.models import Episode


@pytest.fixture
def generated(db):
    return generate(600, seed=7)


def test_quotes_are_exact_slices_of_their_source(generated):
    sources = dict(Episode.objects.values_list("id", "source_text"))
    claims = list(
        Claim.objects.values_list("episode_id", "quote", "quote_start", "quote_end")
    )
    assert len(claims) == 600
    for episode_id, quote, start, end in claims:
        assert sources[episode_id][start:end] == quote
    assert generated.rows["claims_claim"] == 600


def test_a_realistic_mix_with_history_evidence_and_amounts(generated):
    statuses = {s: Claim.objects.filter(status=s).count() for s in Status}
    assert 200 < statuses[Status.UNREVIEWED] < 340
    assert Claim.objects.approved().count() > 60
    assert Claim.objects.awaiting_approval().count() > 20
    assert 1.6 < Evidence.objects.count() / 600 < 2.6
    assert 1.7 < Event.objects.count() / 600 < 2.4
    assert Quantity.objects.count() == 570
    for claim in Claim.objects.exclude(status=Status.UNREVIEWED)[:50]:
        kinds = list(
            Event.objects.about(claim)
            .order_by("at", "id")
            .values_list("kind", flat=True)
        )
        assert kinds[:2] == ["claim.created", "claim.research_started"]
        if claim.status in VERDICTS:
            assert "claim.verdict_proposed" in kinds
        if claim.is_approved:
            assert kinds[-1] == "claim.approved"
            assert claim.approved_by_id != claim.verdict_by_id


def test_each_claims_history_is_in_order_and_ends_at_its_status(generated):
    """Every claim has its events, ids ascending as they happened, the first
    one recording its text, the last status change its status."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH ev AS (
                SELECT e.object_id, e.kind, e.at, e.changes,
                       lag(e.at) OVER (PARTITION BY e.object_id ORDER BY e.id)
                           AS before,
                       row_number() OVER (PARTITION BY e.object_id ORDER BY e.id)
                           AS n,
                       row_number() OVER (PARTITION BY e.object_id
                                          ORDER BY e.id DESC) AS from_end
                  FROM audit_event e
                 WHERE e.object_type = 'claims.claim'
            )
            SELECT count(DISTINCT c.id),
                   count(*) FILTER (WHERE ev.before > ev.at),
                   count(*) FILTER (WHERE ev.n = 1 AND (ev.kind <> 'claim.created'
                       OR ev.changes -> 'text' ->> 1 IS DISTINCT FROM c.text)),
                   count(*) FILTER (WHERE ev.from_end = 1
                       AND ev.changes -> 'status' ->> 1 IS DISTINCT FROM c.status)
              FROM claims_claim c JOIN ev ON ev.object_id = c.id
            """
        )
        assert cursor.fetchone() == (600, 0, 0, 0)


def test_search_vectors_are_the_triggers_own(generated):
    """Each claim's vector is what the derived_columns trigger would store."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE search_vector IS DISTINCT FROM
                       setweight(to_tsvector('claimdesk_english', text), 'A')
                       || setweight(to_tsvector('claimdesk_english', quote), 'B'))
              FROM claims_claim
            """
        )
        assert cursor.fetchone() == (600, 0)
        # The sentences come from a pool, parsed once each, and recur.
        cursor.execute("SELECT count(DISTINCT text) FROM claims_claim")
        assert 300 < cursor.fetchone()[0] < 600


def _generated_rows():
    """The claims, and the history and evidence in the order of their ids
    (claims by their rank)."""
    claims = list(
        Claim.objects.order_by("id").values_list("text", "status", "quote_start")
    )
    first_claim = Claim.objects.order_by("id").values_list("id", flat=True)[0]
    events = [
        (kind, object_id - first_claim, changes)
        for kind, object_id, changes in Event.objects.order_by("id").values_list(
            "kind", "object_id", "changes"
        )
    ]
    evidence = [
        (claim_id - first_claim, url.replace(str(claim_id), "#"))
        for claim_id, url in Evidence.objects.order_by("id").values_list(
            "claim_id", "url"
        )
    ]
    return claims, events, evidence


def _on_disk():
    """The claims' ids in the order a sequential scan reads them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id ORDER BY ctid) FROM claims_claim")
        ids = cursor.fetchone()[0]
    return [pk - min(ids) for pk in ids]


def test_the_same_seed_gives_the_same_claims(db):
    with transaction.atomic():
        generate(120, seed=3)
        first = _generated_rows()
        transaction.set_rollback(True)
    generate(120, seed=3)
    assert _generated_rows() == first


def test_the_same_seed_gives_the_same_ids_whatever_the_claims_order_on_disk(db):
    """The history, evidence and notes read the claims by id, not in their
    order on disk, which follows the plan of the claims' INSERT (and, after
    a rolled-back load, where free space was): the same seed gave the
    events other ids when autovacuum had run in between (a flaky CI)."""
    with transaction.atomic():
        generate(120, seed=3)
        first, first_order = _generated_rows(), _on_disk()
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        # Another plan for the claims' INSERT: another order on disk.
        cursor.execute("SET LOCAL enable_hashjoin = off")
    generate(120, seed=3)
    assert _on_disk() != first_order
    assert _generated_rows() == first


def test_the_rules_are_back_on_after_the_load(generated, editor):
    claim = Claim.objects.awaiting_approval().first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=Status.FALSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(episode_id=10**9)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'claims_claim'::regclass"
            " AND NOT tgisinternal AND tgenabled = 'D'"
        )
        assert cursor.fetchone()[0] == 0
    approved = workflow.claim_approve(claim=claim, actor=editor)
    assert approved.is_approved


def _schema() -> list[tuple]:
    """Every constraint (with whether it is validated) and index of the
    schema, by table and name, each definition with its casts, brackets and
    spaces left out: an index made again from ``pg_get_indexdef`` reads
    back with its predicate's casts moved (``ARRAY['a'::varchar, …]::text[]``
    becomes ``ARRAY[('a'::varchar)::text, …]``), the same condition."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),
                   convalidated
              FROM pg_constraint
             WHERE connamespace = current_schema()::regnamespace
            UNION ALL
            SELECT tablename, indexname, indexdef, true
              FROM pg_indexes WHERE schemaname = current_schema()
            """
        )
        return sorted(
            (table, name, re.sub(r"::[a-z ]+|[\s()\[\]]", "", definition), valid)
            for table, name, definition, valid in cursor.fetchall()
        )


def test_the_schema_is_as_it_was_after_the_load(db):
    """The primary keys, indexes and foreign keys dropped for the load (those
    of other tables that refer to the loaded ones too) are all back, the
    same, and validated."""
    before = _schema()
    assert ("claims_claim", "claims_claim_pkey", "PRIMARYKEYid", True) in before
    generate(60, seed=5)
    assert _schema() == before


def test_every_trigger_is_installed_current_and_on_after_the_load(generated):
    """The log triggers dropped for the load come back as pgtrigger made them
    (its comment records the version), and they log again."""
    import pgtrigger

    for model, trigger in pgtrigger.registered():
        status, enabled = trigger.get_installation_status(model)
        assert (status, enabled) == ("INSTALLED", True), trigger.get_uri(model)
    claim = Claim.objects.first()
    logged = Event.objects.filter(kind="db.insert").count()
    Quantity.objects.create(claim=claim, kind="count", text="3 users")
    assert Event.objects.filter(kind="db.insert").count() == logged + 1


def test_it_fills_only_an_empty_database(generated):
    with pytest.raises(CommandError, match="already holds claims"):
        call_command("generate_demo_data", claims=10, stdout=io.StringIO())


def test_the_log_it_finds_is_kept_and_only_empty_tables_are_remade(db):
    """The loaded tables that were empty are emptied once more for the load
    (new files, written without WAL on the embedded server); a table that
    holds rows, here the log, keeps them and its files."""
    from people.models import Person

    person = Person.objects.create(name="Ada Logged", slug="ada-logged")
    before = Event.objects.create(
        kind="db.insert",
        object_type="people.person",
        object_id=person.pk,
        topic_type="people.person",
        topic_id=person.pk,
    )

    def files():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_filenode('audit_event'),"
                " pg_relation_filenode('claims_claim')"
            )
            return cursor.fetchone()

    logged = set(Event.objects.values_list("id", flat=True))
    assert before.pk in logged
    log_file, claims_file = files()
    generate(40, seed=3)
    assert logged <= set(Event.objects.values_list("id", flat=True))
    assert files()[0] == log_file
    assert files()[1] != claims_file
