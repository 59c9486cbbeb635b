"""``manage.py bench`` on a small generated database: every page answers,
the table has a row per page, and the doc gets it between its markers."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from claims import bench
from claims.demo_data import generate


# Transactional: the export runs twice, each in its own transaction, as the
# command does outside a test. Serialized rollback: a transactional test that
# ran before it with serialized_rollback (the browser tests, the API's
# schemathesis run) leaves the tables empty, the migrations' groups included;
# this restores them first.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_times_every_page_and_compares_the_plain_admin(tmp_path):
    generate(400, seed=2)
    out = io.StringIO()
    call_command(
        "bench",
        repeat=2,
        warmup=0,
        terms=12,
        no_write=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    for page in (
        "admin claim list, plain",
        "admin claim list, search “data center”",
        "admin claim list, page 8",
        "admin claim change page",
        "/claims/ searched “growth”",
        "claim page",
        "dashboard, anonymous",
        "/claims/ full-text search (12 different terms)",
    ):
        assert f"| {page}" in text, page
    plain_row = next(
        line for line in text.splitlines() if "| admin claim list, plain |" in line
    )
    assert plain_row.split("|")[7].strip() != "—"  # the yardstick was timed
    assert "(the writer of `export_claims --format csv`) of 400 claims" in text


def test_the_table_goes_between_the_markers(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nIntro.\n")
    bench.write(doc, "first")
    bench.write(doc, "second")
    assert doc.read_text() == (
        "# Performance\n\nIntro.\n\n<!-- bench:start -->\nsecond\n<!-- bench:end -->\n"
    )


def test_an_empty_database_says_what_to_run(db):
    with pytest.raises(CommandError, match="generate_demo_data --claims"):
        call_command(
            "bench", repeat=1, no_write=True, stdout=io.StringIO(), stderr=io.StringIO()
        )
