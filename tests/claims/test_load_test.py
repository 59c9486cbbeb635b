"""``manage.py load_test``: gunicorn really serves the pages to locust's
clients from a second process, and the table counts what they got."""

from __future__ import annotations

import io

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command

from claims import loadtest
from claims.demo_data import generate


# Transactional: the server is another process and must see the claims.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_test_serves_every_kind_of_request_without_errors(monkeypatch):
    # The server process reads its settings from the environment, as `make
    # serve` does (the test process's own settings come from pytest).
    monkeypatch.setenv("CLAIMDESK_DEMO", "1")
    generate(300, seed=4)
    sessions = Session.objects.count()
    out = io.StringIO()
    call_command(
        "load_test", users=4, seconds=6, workers=2, no_write=True, stdout=out,
        stderr=io.StringIO(),
    )  # fmt: skip
    text = out.getvalue()
    assert "| **all** |" in text
    rows = {
        line.split("|")[1].strip(): line.split("|")
        for line in text.splitlines()
        if line.startswith("| `")
    }
    # Readers and editors both ran (which requests a short run makes is
    # random; the list pages are the most frequent of each kind).
    assert rows, text
    assert all(row[7].strip() == "0" for row in rows.values()), text
    total = next(line for line in text.splitlines() if "| **all** |" in line)
    assert int(total.split("|")[2].replace(",", "")) > 5
    # The editor's session made for the run is gone.
    assert Session.objects.count() == sessions


@pytest.mark.django_db
def test_load_test_without_published_claims_says_what_to_do():
    with pytest.raises(CommandError, match="generate_demo_data"):
        call_command("load_test", users=1, seconds=1, no_write=True)


def test_bounds_are_checked_before_anything_starts():
    with pytest.raises(CommandError, match="--users must be 1–500"):
        call_command("load_test", users=0)


def test_the_table_reads_locust_statistics(tmp_path):
    stats = tmp_path / "load_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,"
        "Average Response Time,Min Response Time,Max Response Time,"
        "Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,"
        "98%,99%,99.9%,99.99%,100%\n"
        "GET,/claims/,120,0,30,35,10,90,5000,2.0,0.0,30,33,36,40,50,60,70,80,90,90,90\n"
        ",Aggregated,120,0,30,35,10,90,5000,2.0,0.0,30,33,36,40,50,60,70,80,90,90,90\n"
    )
    lines = loadtest._read_stats(stats)
    result = loadtest.Result(lines, claims=10, users=5, seconds=60, workers=4)
    table = result.table("manage.py load_test")
    assert "| `/claims/` | 120 | 2.0 | 30 | 60 | 80 | 0 |" in table
    assert result.total.requests == 120


def test_a_bad_wait_is_refused_with_an_example():
    with pytest.raises(CommandError, match="e.g. 1,3"):
        call_command("load_test", wait="3")
    with pytest.raises(CommandError, match="MIN <= MAX"):
        call_command("load_test", wait="3,1")
