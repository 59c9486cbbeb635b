"""``manage.py export_claims``: the contract, its new columns, the list's
filters, and a query count per chunk of claims, not per claim."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import DateTimeField, Value
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims import export as export_module
from claims import workflow
from claims.export import IsoTimestamp
from claims.models import Quantity
from episodes.models import Show
from people.models import Person
from tests.conftest import add_evidence, make_claim, make_episode

# The columns of the first release, in their order: never renamed or dropped.
FIRST_CSV_COLUMNS = [
    "id", "text", "quote", "speaker", "claimant", "episode_title", "episode_show",
    "episode_published_on", "episode_slug", "timestamp_seconds", "status",
    "approved", "checkworthiness", "quantities", "evidence", "notes", "created_at",
    "updated_at",
]  # fmt: skip


def export(fmt: str, *options: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", "--format", fmt, *options, stdout=out, stderr=err)
    return out.getvalue()


def exported_ids(*options: str) -> list[int]:
    return [record["id"] for record in json.loads(export("json", *options))]


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
        "created_at", "updated_at", "verdict", "summary",
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


def test_export_carries_the_verdict_its_rationale_and_approval(exported_claim, episode):
    make_claim(episode, quote="about 10 times")
    published, unreviewed = json.loads(export("json"))
    exported_claim.refresh_from_db()
    assert published["verdict"] == {
        "status": "verified",
        "label": "Verified",
        "rationale": "Matches the filing.",
        "approved": True,
        "approved_at": exported_claim.approved_at.isoformat(),
        "approved_by": "edna",
    }
    assert datetime.datetime.fromisoformat(published["verdict"]["approved_at"]).tzinfo
    assert unreviewed["verdict"] is None


def test_export_carries_the_summary_readers_see_as_the_headline(claim, reviewer):
    workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"summary": "Did growth reach 80 times?"},
    )
    (record,) = json.loads(export("json"))
    assert record["summary"] == "Did growth reach 80 times?"
    (row,) = csv.DictReader(io.StringIO(export("csv")))
    assert row["summary"] == "Did growth reach 80 times?"


def test_a_claim_without_a_summary_exports_an_empty_one(claim):
    (record,) = json.loads(export("json"))
    assert record["summary"] == ""


def test_a_proposed_verdict_is_exported_unapproved(proposed_claim):
    (record,) = json.loads(export("json"))
    assert record["approved"] is False
    assert record["verdict"] == {
        "status": "verified",
        "label": "Verified",
        "rationale": "Matches the filing.",
        "approved": False,
        "approved_at": None,
        "approved_by": None,
    }
    (row,) = csv.DictReader(io.StringIO(export("csv")))
    assert (row["verdict"], row["rationale"]) == ("verified", "Matches the filing.")
    assert row["approved_by"] == row["approved_at"] == ""


def test_csv_export_has_one_row_per_claim(exported_claim):
    reader = csv.DictReader(io.StringIO(export("csv")))
    rows = list(reader)
    # The first release's columns first, in their order; new ones appended.
    assert reader.fieldnames[: len(FIRST_CSV_COLUMNS)] == FIRST_CSV_COLUMNS
    assert reader.fieldnames[len(FIRST_CSV_COLUMNS) :] == [
        "verdict",
        "rationale",
        "approved_by",
        "approved_at",
        "summary",
    ]
    assert len(rows) == 1
    row = rows[0]
    assert (row["verdict"], row["rationale"]) == ("verified", "Matches the filing.")
    assert row["approved_by"] == "edna"
    assert row["summary"] == ""
    assert row["episode_show"] == "Big Technology"
    assert row["approved"] == "true"
    assert json.loads(row["quantities"])[0]["low"] == 5_000_000_000
    assert json.loads(row["evidence"])[0]["stance"] == "supports"


def _typed(value):
    """``value`` with each number's type beside it, so that 1 and 1.0 (or
    True and 1) compare unequal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    if isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    return value


def test_exports_parse_to_the_records_values_and_types(exported_claim, episode):
    """Integers stay integers and fractions floats (an amount past 64 bits
    too), non-ASCII and control characters come back as they were, null is
    null in JSON and an empty cell in CSV, with a verdict and without."""
    text = 'Croissance « ×10 » — 成長\tdit\u0007 "vraiment"\u2028fin'
    other = make_claim(episode, quote="about 10 times", text=text, checkworthiness=1.0)
    Quantity.objects.create(
        claim=other, kind="percent", low=Decimal("2.5"), unit="%", approx=True,
        text="≈2,5 %",
    )  # fmt: skip
    Quantity.objects.create(
        claim=other, kind="money", low=Decimal("123456789012345678901234"),
        high=Decimal("123456789012345678901234.5"), unit="USD", text="huge",
    )  # fmt: skip
    exported_claim.refresh_from_db()
    other.refresh_from_db()
    episode_record = {
        "title": episode.title,
        "show": "Big Technology",
        "published_on": "2026-05-08",
        "slug": episode.slug,
    }
    expected = [
        {
            "id": exported_claim.pk,
            "text": exported_claim.text,
            "quote": exported_claim.quote,
            "speaker": "Ranjan Roy",
            "claimant": None,
            "episode": episode_record,
            "timestamp_seconds": None,
            "status": "verified",
            "approved": True,
            "checkworthiness": None,
            "quantities": [
                {
                    "kind": "money",
                    "low": 5_000_000_000,
                    "high": 6_000_000_000,
                    "unit": "USD",
                    "approx": False,
                    "text": "5 to $6,000,000,000",
                }
            ],
            "evidence": [
                {"url": "https://example.org/report", "title": "", "stance": "supports"}
            ],
            "notes": 1,
            "created_at": exported_claim.created_at.isoformat(),
            "updated_at": exported_claim.updated_at.isoformat(),
            "verdict": {
                "status": "verified",
                "label": "Verified",
                "rationale": "Matches the filing.",
                "approved": True,
                "approved_at": exported_claim.approved_at.isoformat(),
                "approved_by": "edna",
            },
            "summary": "",
        },
        {
            "id": other.pk,
            "text": text,
            "quote": "about 10 times",
            "speaker": None,
            "claimant": None,
            "episode": episode_record,
            "timestamp_seconds": None,
            "status": "unreviewed",
            "approved": False,
            "checkworthiness": 1.0,
            "quantities": [
                {
                    "kind": "percent",
                    "low": 2.5,
                    "high": None,
                    "unit": "%",
                    "approx": True,
                    "text": "≈2,5 %",
                },
                {
                    "kind": "money",
                    "low": 123456789012345678901234,
                    "high": 1.2345678901234568e23,
                    "unit": "USD",
                    "approx": False,
                    "text": "huge",
                },
            ],
            "evidence": [],
            "notes": 0,
            "created_at": other.created_at.isoformat(),
            "updated_at": other.updated_at.isoformat(),
            "verdict": None,
            "summary": "",
        },
    ]
    records = list(export_module.iter_records())
    assert _typed(records) == _typed(expected)
    assert [list(record) for record in records] == [list(r) for r in expected]
    exported = json.loads(export("json"))
    assert _typed(exported) == _typed(expected)
    assert [list(record) for record in exported] == [list(r) for r in expected]

    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    for row, record in zip(rows, expected, strict=True):
        verdict = record["verdict"] or {}
        assert _typed(json.loads(row.pop("quantities"))) == _typed(record["quantities"])
        assert json.loads(row.pop("evidence")) == record["evidence"]
        assert row == {
            "id": str(record["id"]),
            "text": record["text"],
            "quote": record["quote"],
            "speaker": record["speaker"] or "",
            "claimant": "",
            "episode_title": episode.title,
            "episode_show": "Big Technology",
            "episode_published_on": "2026-05-08",
            "episode_slug": episode.slug,
            "timestamp_seconds": "",
            "status": record["status"],
            "approved": "true" if record["approved"] else "false",
            "checkworthiness": "" if record["checkworthiness"] is None else "1.0",
            "notes": str(record["notes"]),
            "created_at": record["created_at"],
            "updated_at": record["updated_at"],
            "verdict": verdict.get("status", ""),
            "rationale": verdict.get("rationale", ""),
            "approved_by": verdict.get("approved_by", ""),
            "approved_at": verdict.get("approved_at", ""),
            "summary": "",
        }


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 5, 8, 10, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 5, 8, 10, 0, 0, 120000, tzinfo=datetime.UTC),
        datetime.datetime(2026, 5, 8, 10, 0, 0, 5, tzinfo=datetime.UTC),
        datetime.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
        # Another zone: written in UTC, as values() reads it.
        datetime.datetime(
            2026, 1, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
        None,
    ],
)
def test_timestamps_are_written_as_isoformat_writes_them_in_utc(show, moment):
    iso = (
        Show.objects.annotate(
            iso=IsoTimestamp(Value(moment, output_field=DateTimeField()))
        )
        .values_list("iso", flat=True)
        .get()
    )
    assert iso == (moment.astimezone(datetime.UTC).isoformat() if moment else None)


def test_the_command_says_how_many_it_exported(claim, episode):
    err = io.StringIO()
    call_command("export_claims", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "exported 1 claim as json\n"
    make_claim(episode, "fully built")
    err = io.StringIO()
    call_command("export_claims", "--format", "csv", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == "exported 2 claims as csv\n"


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


def test_export_reads_claims_a_chunk_at_a_time(
    episode, reviewer, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 2)
    quotes = ["Intro line.", "80 times growth", "about 10 times", "fully built"]
    claims = [make_claim(episode, quote=quote) for quote in quotes]
    for claim in claims:
        add_evidence(claim, reviewer)
    # Per chunk of 2: the claims, their quantities, their evidence. Two full
    # chunks, then one query that finds no more claims (nothing to prefetch).
    with django_assert_num_queries(2 * 3 + 1):
        assert exported_ids() == [claim.pk for claim in claims]
    make_claim(episode, quote="5 to $6,000,000,000")
    # Five claims: chunks of 2, 2 and 1; the short one says it is the last.
    with django_assert_num_queries(3 * 3):
        assert len(exported_ids()) == 5


def test_unknown_format_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_claims", "--format", "xml")


# --- the claim list's filters -----------------------------------------------------


@pytest.fixture
def two_shows(exported_claim, episode, show):
    """A published claim of 8 May 2026 on Big Technology, an unreviewed one
    of the same episode, and an unreviewed one on another show in 2025."""
    other = Show.objects.create(name="Hard Fork", slug="hard-fork")
    older = make_episode(other, slug="ep-2", published_on="2025-01-10")
    return {
        "published": exported_claim,
        "draft": make_claim(episode, quote="about 10 times"),
        "other_show": make_claim(older, quote="Intro line."),
    }


def test_published_exports_only_approved_verdicts(two_shows):
    assert exported_ids("--published") == [two_shows["published"].pk]
    assert len(exported_ids()) == 3


def test_status_filter_takes_several_statuses(two_shows):
    published, draft, other = two_shows.values()
    assert exported_ids("--status", "unreviewed") == [draft.pk, other.pk]
    assert exported_ids("--status", "verified", "--status", "unreviewed") == [
        published.pk,
        draft.pk,
        other.pk,
    ]
    assert exported_ids("--status", "verified,false") == [published.pk]


def test_show_and_dates_filter_as_on_the_list(two_shows):
    published, draft, other = two_shows.values()
    assert exported_ids("--show", "hard-fork") == [other.pk]
    assert exported_ids("--since", "2026-01-01") == [published.pk, draft.pk]
    assert exported_ids("--until", "2025-12-31") == [other.pk]
    assert exported_ids("--show", "big-technology", "--published") == [published.pk]


def test_query_takes_any_filter_of_the_list(two_shows):
    published, draft, _ = two_shows.values()
    assert exported_ids("--query", "has_evidence=yes") == [published.pk]
    assert exported_ids("--query", "approved=no&show=big-technology") == [draft.pk]


def test_filters_apply_to_the_csv_too(two_shows):
    rows = list(csv.DictReader(io.StringIO(export("csv", "--show", "hard-fork"))))
    assert [int(row["id"]) for row in rows] == [two_shows["other_show"].pk]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--status", "aproved"],
            "--status 'aproved': Select a valid choice. aproved is not one of the "
            "available choices. Choose from: unreviewed, researching,",
        ),
        (
            ["--show", "no-such-show"],
            "--show 'no-such-show': Select a valid choice. That choice is not one "
            "of the available choices. Give a show's slug: big-technology, "
            "hard-fork.",
        ),
        (
            ["--since", "10/05/2026x"],
            "--since '10/05/2026x': Enter a valid date. Give a date as YYYY-MM-DD.",
        ),
        (["--until", "2026-13-01"], "--until '2026-13-01': Enter a valid date."),
        (
            ["--query", "stauts=verified"],
            "--query: no filter is called 'stauts'; the claim list's filters are "
            "q, status,",
        ),
        (
            ["--query", "has_evidence=maybe"],
            "--query's “has_evidence” 'maybe': Select a valid choice.",
        ),
        (["--show", "big\x00tech"], "A filter holds a NUL character."),
        (
            ["--status", ",,"],
            "--status ',,': no status given. Choose from: unreviewed,",
        ),
        # A script's empty variable ("--show=$SHOW") named nothing: not
        # everything exported.
        (
            ["--show", ""],
            "--show '': no show given. Give a show's slug: big-technology, "
            "hard-fork. Leave the option out to export every claim.",
        ),
        (["--since", " "], "--since ' ': no date given. Give a date as YYYY-MM-DD."),
        (
            ["--query", "q=%ff"],
            "--query 'q=%ff': a %-escape in it is not UTF-8 text;",
        ),
        (["--until", ""], "--until '': no date given. Give a date as YYYY-MM-DD."),
        # What readers see, with the readers' filters: refused as the public
        # list refuses them, not answered with nothing.
        (
            ["--published", "--query", "approved=no"],
            "approved=no matches none of them.",
        ),
        (
            ["--published", "--status", "unreviewed"],
            # Only the statuses readers see are offered (the list held the
            # one refused: found by a new user).
            "--status 'unreviewed': Select a valid choice. unreviewed is not one "
            "of the available choices. Choose from: verified, disputed, false, "
            "misleading, unverifiable, not_checkable. (--published",
        ),
        (
            ["--published", "--query", "order=updated"],
            "(--published exports what readers see; leave it out to export every "
            "claim.)",
        ),
    ],
)
def test_a_bad_filter_is_refused_with_what_to_give(two_shows, options, message):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("export_claims", *options, stdout=out, stderr=io.StringIO())
    assert str(refused.value).startswith("Nothing exported. ")
    assert message in str(refused.value)
    assert refused.value.returncode == 1
    assert out.getvalue() == ""


# --- --format claimreview ---------------------------------------------------------


def publish(claim, reviewer, editor, verdict: str = "verified"):
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict=verdict, note="Checked.", actor=reviewer
    )
    return workflow.claim_approve(claim=claim, actor=editor)


def test_claimreview_is_a_datafeed_of_the_sites_own_reviews(
    client, exported_claim, episode, reviewer, editor, settings
):
    settings.CLAIMDESK_SITE_URL = "http://testserver"
    publish(make_claim(episode, quote="about 10 times"), reviewer, editor, "false")
    not_rated = publish(make_claim(episode, "Intro line."), reviewer, editor)
    workflow.claim_reopen(claim=not_rated, actor=editor, note="Opinion, in fact.")
    workflow.claim_set_verdict(
        claim=not_rated, verdict="not_checkable", note="Opinion.", actor=reviewer
    )
    workflow.claim_approve(claim=not_rated, actor=editor)
    make_claim(episode, quote="fully built")  # unpublished

    feed = json.loads(export("claimreview"))
    assert list(feed) == ["@context", "@type", "dataFeedElement"]
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    reviews = feed["dataFeedElement"]
    # Published verdicts with a rating, by claim id; "not checkable" has none.
    assert [r["url"].rsplit("/", 2)[-2] for r in reviews] == [
        str(exported_claim.pk),
        str(exported_claim.pk + 1),
    ]
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    # The same items as the site's feed (built by claims/claimreview.py).
    site = json.loads(client.get(reverse("claims:claimreview_feed")).content)
    assert sorted(reviews, key=lambda r: r["url"]) == sorted(
        site["dataFeedElement"], key=lambda r: r["url"]
    )


def test_claimreview_takes_the_lists_filters(two_shows):
    # Hard Fork has no published verdict.
    assert json.loads(export("claimreview", "--show", "hard-fork")) == {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [],
    }
    feed = json.loads(export("claimreview", "--since", "2026-05-01"))
    assert len(feed["dataFeedElement"]) == 1


def test_claimreview_reads_a_chunk_at_a_time(
    episode, reviewer, editor, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 2)
    for quote in ("Intro line.", "80 times growth", "about 10 times"):
        publish(make_claim(episode, quote=quote), reviewer, editor)
    # Per chunk of 2: the claims (episode, show, people joined), their
    # mentions: chunks of 2 and 1.
    with django_assert_num_queries(2 * 2):
        assert len(json.loads(export("claimreview"))["dataFeedElement"]) == 3


def tricky_claims(episode, reviewer, editor):
    """Claims whose every text cell needs quoting somewhere: commas, quotes,
    line breaks (LF, CR, CRLF), leading and trailing spaces, tabs and
    non-ASCII; with a published verdict and without; with amounts (whole,
    fractional, past 64 bits) and evidence, and without; checkworthiness
    whole, fractional, tiny and missing; a claimant and a timestamp."""
    episode.title = 'The "big" one, part 2'
    episode.save()
    Show.objects.filter(pk=episode.show_id).update(name="Tech, Weekly")
    quoted = Person.objects.create(name='Ana "AJ" Jones, Jr.', slug="ana")
    plain = Person.objects.create(name="Ranjan Roy", slug="ranjan")
    texts = [
        'It grew 80×, "they" say,\nand it will again.',
        "  Carriage\rreturn and tab\there  ",
        "Windows\r\nline, with a comma",
        "Plain text with nothing to quote",
        "Croissance « ×10 » — 成長\u2028fin",
    ]
    quotes = ["80 times growth", "about 10 times", "Intro line.", "fully built",
              "80 times growth"]  # fmt: skip
    worth = [1.0, 0.1, 1e-05, None, 0.123456789]
    claims = []
    for n, (text, quote, checkworthiness) in enumerate(
        zip(texts, quotes, worth, strict=True)
    ):
        claims.append(
            make_claim(
                episode,
                quote=quote,
                text=text,
                speaker=quoted if n % 2 else plain,
                claimant=plain if n == 1 else None,
                timestamp_seconds=n * 61 if n else None,
                checkworthiness=checkworthiness,
                summary='A "headline", with a comma\nand a line' if n == 0 else "",
            )
        )
    first, second = claims[0], claims[1]
    workflow.evidence_add(
        claim=first, actor=reviewer, url="https://example.org/a?x=1,2",
        stance="supports", title='Report "A", 2026',
    )  # fmt: skip
    workflow.claim_start_research(claim=first, actor=reviewer)
    workflow.claim_set_verdict(
        claim=first, verdict="misleading", actor=reviewer,
        note='Half true, "half" not,\nsee the filing.',
    )  # fmt: skip
    workflow.claim_approve(claim=first, actor=editor)
    for low, high in (
        (Decimal("5000000000"), Decimal("6000000000")),
        (Decimal("2.5"), None),
        (Decimal("0.000001"), Decimal("123456789012345678901234.5")),
    ):
        Quantity.objects.create(
            claim=second, kind="money", low=low, high=high, unit="USD",
            text='"$5, or 6"',
        )  # fmt: skip
    return claims


def test_csv_is_byte_for_byte_what_csv_writer_makes_of_the_records(
    episode, reviewer, editor
):
    """``csv_rows`` writes each row from the database's tuples; the previous
    release wrote ``csv.writer`` rows of the records. The text is the same."""
    from tests.claims.reference.csv_export import csv_lines as reference

    tricky_claims(episode, reviewer, editor)
    expected = "".join(reference(export_module.iter_records()))
    assert export("csv") == expected
    out = io.StringIO()
    assert export_module.write("csv", None, out) == 5
    assert out.getvalue() == expected
    rows = list(csv.reader(io.StringIO(expected)))
    assert len(rows) == 6
    assert rows[1][1] == 'It grew 80×, "they" say,\nand it will again.'


@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=40))
def test_a_csv_cell_is_what_csv_writer_writes(text):
    out = io.StringIO()
    csv.writer(out).writerow([text, "x"])
    assert export_module._csv_cell(text) + ",x\r\n" == out.getvalue()
