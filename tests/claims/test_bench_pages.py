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


class RecordingBench(bench.Bench):
    """The bench, each request and replay written down in order as it runs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.log = []

    def _once(self, client, url):
        self.log.append(url)
        return super()._once(client, url)

    def _replay(self, queries):
        self.log.append("replay")
        return super()._replay(queries)


@pytest.mark.django_db
def test_the_floor_is_replayed_after_the_same_request_as_the_page(
    client, editor, claim
):
    from django.test import override_settings

    timed = RecordingBench(repeat=3, warmup=0)
    with override_settings(ROOT_URLCONF="claims.bench_urls"):
        row = timed.page(
            "admin claim list",
            "/admin/claims/claim/",
            editor.username,
            plain="/plain-admin/claims/claim/",
        )
    # What each page request and each replay came right after.
    before = {"page": set(), "replay": set()}
    for previous, current in zip(timed.log, timed.log[1:], strict=False):
        kind = {"/admin/claims/claim/": "page", "replay": "replay"}.get(current)
        if kind:
            before[kind].add(previous)
    assert before == {
        "page": {"/plain-admin/claims/claim/"},
        "replay": {"/plain-admin/claims/claim/"},
    }
    assert timed.log.count("replay") == 3 and len(row.times) == 3
    assert len(row.plain) == 6  # the plain request, timed each time
    assert row.floor > 0


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
