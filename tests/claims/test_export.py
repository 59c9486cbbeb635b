import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims import workflow
from claims.models import Quantity
from tests.conftest import make_claim


def export(fmt: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", "--format", fmt, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def exported_claim(proposed_claim, editor, reviewer):
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    workflow.note_add(claim=proposed_claim, actor=reviewer, body="Checked twice.")
    Quantity.objects.create(
        claim=proposed_claim,
        kind="money",
        low=5_000_000_000,
        high=6_000_000_000,
        unit="USD",
        text="5 to $6,000,000,000",
    )
    return proposed_claim


def test_json_export_follows_the_contract(exported_claim, episode, speaker):
    make_claim(episode, quote="about 10 times")
    records = json.loads(export("json"))
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    record = records[0]
    assert list(record) == [
        "id", "text", "quote", "speaker", "claimant", "episode", "timestamp_seconds",
        "status", "approved", "checkworthiness", "quantities", "evidence", "notes",
        "created_at", "updated_at",
    ]  # fmt: skip
    assert record["episode"] == {
        "title": episode.title,
        "show": "Big Technology",
        "published_on": "2026-05-08",
        "slug": episode.slug,
    }
    assert (record["speaker"], record["claimant"]) == ("Ranjan Roy", None)
    assert (record["status"], record["approved"]) == ("verified", True)
    assert record["quantities"] == [
        {
            "kind": "money",
            "low": 5_000_000_000,
            "high": 6_000_000_000,
            "unit": "USD",
            "approx": False,
            "text": "5 to $6,000,000,000",
        }
    ]
    assert record["evidence"] == [
        {"url": "https://example.org/report", "title": "", "stance": "supports"}
    ]
    assert record["notes"] == 1
    assert records[1]["approved"] is False


def test_csv_export_has_one_row_per_claim(exported_claim):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["episode_show"] == "Big Technology"
    assert row["approved"] == "true"
    assert json.loads(row["quantities"])[0]["low"] == 5_000_000_000
    assert json.loads(row["evidence"])[0]["stance"] == "supports"


def test_empty_export_is_an_empty_array(db):
    assert json.loads(export("json")) == []


def test_export_query_count_does_not_grow_with_claims(
    exported_claim, episode, django_assert_num_queries
):
    # claims (one chunk) + quantities prefetch + evidence prefetch
    with django_assert_num_queries(3):
        export("json")
    for quote in ("about 10 times", "Intro line."):
        make_claim(episode, quote=quote)
    with django_assert_num_queries(3):
        export("json")


def test_unknown_format_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_claims", "--format", "xml")
