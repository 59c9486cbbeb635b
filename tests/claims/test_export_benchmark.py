"""The export memory benchmark's material (``benchmark --exports``): valid
synthetic claims, and each pass reporting every export. Nothing is timed."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims import export_benchmark
from claims.export import iter_records
from claims.models import Claim, Evidence, Quantity, ReviewNote


def test_grow_to_adds_claims_with_verdicts_evidence_amounts_and_notes(db):
    assert export_benchmark.grow_to(30) == 30
    assert export_benchmark.grow_to(50) == 20
    assert export_benchmark.grow_to(50) == 0
    assert Claim.objects.count() == 50
    # Four in ten an approved verdict, as the database's rules allow.
    assert Claim.objects.approved().count() == 20
    assert Evidence.objects.count() == 20 + 5
    assert Quantity.objects.count() == 25
    assert ReviewNote.objects.count() == 10
    records = list(iter_records())
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert records[0]["verdict"]["approved_by"] == "bench-editor"
    assert json.dumps(records)


def test_every_pass_reports_every_export(db):
    lines: list[str] = []
    export_benchmark.run([20, 10], trace_up_to=10, contrast_up_to=10, say=lines.append)
    labels = [
        "export_claims --format json",
        "export_claims --format csv",
        "export_claims --format spreadsheet-csv",
        "export_claims --format evidence-csv",
        "export_claims --format claimreview",
        "/claims/export.json",
    ]
    first, second, third = (
        lines.index(
            "pass 1: time, output and the process's peak RSS after each export"
        ),
        lines.index("pass 2: tracemalloc peak of each export of the first N claims"),
        lines.index("pass 3: tracemalloc peak of the JSON export without streaming"),
    )
    assert first == 0
    assert lines[1].startswith("10 claims (10 added")
    # Each growth is followed by statistics, as autovacuum would give it.
    assert lines[2].startswith("  vacuumed and analysed in ")
    assert sum("vacuumed" in line for line in lines) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'claims_claim'")
        assert cursor.fetchone()[0] == 20
    assert sum(label in line for line in lines[first:second] for label in labels) == 12
    # Only the first 10 claims, traced; only 10 for the contrast.
    assert len(lines[second + 1 : third]) == 6
    assert all(line.lstrip().startswith("10 ") for line in lines[second + 1 : third])
    assert [line.split() for line in lines[third + 1 :]] == [
        ["10", "one", "list,", "one", "json.dumps", lines[-1].split()[-2], "MiB"]
    ]


@pytest.mark.parametrize("sizes", ["x", "", "10,-1", "0"])
def test_benchmark_refuses_bad_export_sizes(sizes):
    with pytest.raises(CommandError, match="--exports takes claim counts"):
        call_command("benchmark", "--exports", sizes)
