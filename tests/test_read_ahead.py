"""``read_ahead``: a long read's next piece read by a second thread, on its
own connection, while the caller writes this one; inside a transaction, the
caller's own thread and connection.

The transactional tests restore what the migrations wrote (the groups)
after their flush: serialized_rollback."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from claimdesk.read_ahead import read_ahead
from claims import export as export_module
from people.models import Person
from tests.claims.reference.csv_export import csv_lines as reference_csv
from tests.claims.test_export import tricky_claims


def people_reader(seen: list):
    """A read of every person's name, one at a time, that notes the thread
    and the connection each read ran on."""

    def read():
        for name in Person.objects.order_by("name").values_list("name", flat=True):
            seen.append((threading.get_ident(), connections[DEFAULT_DB_ALIAS]))
            yield name

    return read


@pytest.fixture
def people(db):
    return [
        Person.objects.create(name=f"Person {n}", slug=f"p-{n}").name for n in range(5)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_in_a_second_thread_and_closes_its_connection(people):
    seen: list = []
    assert list(read_ahead(people_reader(seen))) == people
    (thread, reader_connection), *_ = seen
    assert thread != threading.get_ident()
    assert reader_connection is not connections[DEFAULT_DB_ALIAS]
    # The reader's connection is closed once the read ends; the caller's is
    # its own and untouched.
    assert reader_connection.connection is None
    assert connections[DEFAULT_DB_ALIAS].connection is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_stopped_early_stops_and_closes_its_connection(people):
    seen: list = []
    items = read_ahead(people_reader(seen))
    assert next(items) == people[0]
    items.close()
    # At most one item beyond the one handed over was read, and the thread
    # has ended with its connection closed.
    assert len(seen) <= 3
    assert not any(t.name == "read-ahead" for t in threading.enumerate())
    assert seen[0][1].connection is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_error_in_the_reader_is_raised_to_the_caller_where_it_happened(people):
    def read():
        yield from Person.objects.order_by("name").values_list("name", flat=True)[:2]
        raise LookupError("the third piece could not be read")

    got = []
    with pytest.raises(LookupError, match="third piece"):
        for item in read_ahead(read):
            got.append(item)
    assert got == people[:2]
    assert not any(t.name == "read-ahead" for t in threading.enumerate())


@pytest.mark.django_db
def test_inside_a_transaction_it_reads_in_the_callers_thread(people):
    # A second connection would not see this transaction's rows.
    with transaction.atomic():
        Person.objects.create(name="Person 9 (uncommitted)", slug="p-9")
        seen: list = []
        names = list(read_ahead(people_reader(seen)))
    assert names == [*people, "Person 9 (uncommitted)"]
    assert {thread for thread, _ in seen} == {threading.get_ident()}
    assert all(conn is connections[DEFAULT_DB_ALIAS] for _, conn in seen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_read_ahead_is_the_same_text(episode, reviewer, editor, monkeypatch):
    """Outside a transaction the export's chunks are read ahead by a second
    thread: the same CSV, byte for byte, over several chunks."""
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 2)
    tricky_claims(episode, reviewer, editor)
    out = io.StringIO()
    assert export_module.write("csv", None, out) == 5
    assert out.getvalue() == "".join(reference_csv(export_module.iter_records()))
    records = list(export_module.iter_records())
    assert [record["id"] for record in records] == sorted(r["id"] for r in records)
    assert len(records) == 5
