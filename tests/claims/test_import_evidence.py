"""``manage.py import_evidence``: every row checked first, all or nothing,
each link an event in the log, nothing added twice, bounded files, and the
round trip with ``export_claims --format evidence-csv``."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import Event, Kind
from claimdesk import limits
from claims import workflow
from claims.models import Evidence
from claims.workflow.sources import EvidenceDraft, url_identity
from tests.conftest import make_claim

HEADER = "claim_id,url,title,publisher,published_on,stance,excerpt\n"


@pytest.fixture
def claims(episode, speaker, reviewer):
    return [
        make_claim(episode, "80 times growth", speaker=speaker),
        make_claim(episode, "about 10 times"),
    ]


def run(tmp_path, content: str | bytes, *options: str, user="rita", **kwargs):
    """(exit status, stdout, stderr) of the command on a file of ``content``."""
    path = tmp_path / "evidence.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_evidence",
            str(path),
            "--user",
            user,
            *options,
            stdout=out,
            stderr=err,
            **kwargs,
        )
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def export_evidence() -> str:
    out = io.StringIO()
    call_command(
        "export_claims", "--format", "evidence-csv", stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def good_file(claims) -> str:
    first, second = claims
    return (
        HEADER + f"{first.pk},https://example.org/filing,10-K,SEC,2026-02-01,supports,"
        '"Revenue grew 80 times, they said."\n'
        + f"{first.pk},https://example.org/blog,,,,context,\n"
        + f"{second.pk},HTTPS://Example.org/denial,Denial,,,Refutes,\n"
    )


# --- a good file ---------------------------------------------------------------------


def test_good_file_adds_every_row_through_the_workflow(tmp_path, claims, reviewer):
    first, second = claims
    code, out, err = run(tmp_path, good_file(claims))
    assert (code, err) == (0, "")
    assert out == "evidence.csv: added 3 evidence links\n"
    filing, blog, denial = Evidence.objects.order_by("id")
    assert (filing.claim, filing.url, filing.stance) == (
        first,
        "https://example.org/filing",
        "supports",
    )
    assert (filing.title, filing.publisher) == ("10-K", "SEC")
    assert filing.published_on == datetime.date(2026, 2, 1)
    assert filing.excerpt == "Revenue grew 80 times, they said."
    assert filing.added_by == reviewer
    # Normalised as by hand: the scheme in lower case, the stance's case.
    assert (denial.claim, denial.url, denial.stance) == (
        second,
        "https://Example.org/denial",
        "refutes",
    )
    assert blog.title == blog.publisher == blog.excerpt == ""


def test_every_imported_row_is_an_event_on_its_claims_timeline(
    tmp_path, claims, reviewer
):
    before = Event.objects.count()
    run(tmp_path, good_file(claims))
    # The import, then one event per link, its effects, written by the
    # workflow: no trigger logged a row.
    imported, *events = list(Event.objects.order_by("id")[before:])
    assert imported.kind == Kind.EVIDENCE_IMPORTED
    assert imported.actor == reviewer
    assert imported.changes == {
        "links": [None, 3],
        "claims": [None, 2],
        "file": [None, "evidence.csv"],
    }
    assert imported.note == "Imported from evidence.csv"
    assert len(events) == Evidence.objects.count() == 3
    assert {event.cause_id for event in events} == {imported.pk}
    for event, evidence, line in zip(
        events, Evidence.objects.order_by("id"), (2, 3, 4), strict=True
    ):
        assert event.kind == Kind.EVIDENCE_ADDED
        assert event.actor == reviewer
        assert (event.object_type, event.object_id) == ("claims.evidence", evidence.pk)
        assert (event.topic_type, event.topic_id) == ("claims.claim", evidence.claim_id)
        # Every field readers see (an empty one left out).
        shown = {
            "url": evidence.url,
            "stance": evidence.stance,
            "title": evidence.title,
            "publisher": evidence.publisher,
            "published_on": evidence.published_on and evidence.published_on.isoformat(),
            "excerpt": evidence.excerpt,
        }
        assert event.changes == {
            name: [None, value] for name, value in shown.items() if value
        }
        assert event.note == f"imported from evidence.csv, line {line}"


def test_an_import_is_one_line_of_the_desks_recent_activity(
    tmp_path, claims, reviewer, client
):
    """Not one "added evidence" line per link: the import, with how many
    links for how many claims and from which file."""
    first, second = claims
    rows = "".join(
        f"{claim.pk},https://example.org/{n},,,,context,\n"
        for n in range(15)
        for claim in (first, second)
    )
    code, _, err = run(tmp_path, HEADER + rows)
    assert (code, err) == (0, "")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        text = client.get("/").text
    assert "imported 30 evidence links for 2 claims from" in text
    assert "evidence.csv" in text
    assert "added evidence on" not in text
    # Who ran it is named; their user row is not read as the line's topic.
    assert not [
        q
        for q in queries
        if 'FROM "auth_user" WHERE' in q["sql"][:400] and "IN (" in q["sql"]
    ]


def test_reimporting_the_same_file_adds_nothing(tmp_path, claims):
    run(tmp_path, good_file(claims))
    links, events = Evidence.objects.count(), Event.objects.count()
    code, out, _ = run(tmp_path, good_file(claims))
    assert code == 0
    assert out == (
        "evidence.csv: added 0 evidence links; 3 skipped, already on their claim "
        "or repeated in the file\n"
    )
    assert (Evidence.objects.count(), Event.objects.count()) == (links, events)


def test_the_same_source_by_another_spelling_is_not_added_twice(
    tmp_path, claims, reviewer
):
    first, second = claims
    workflow.evidence_add(
        claim=first, actor=reviewer, url="https://example.org/filing", stance="supports"
    )
    content = (
        HEADER
        # The link by hand, with another case of host and scheme, a default
        # port and a fragment: the same source.
        + f"{first.pk},HTTPS://EXAMPLE.org:443/filing#page=2,,,,supports,\n"
        + f"{second.pk},https://example.org/filing,,,,refutes,\n"
        # Repeats the row above: skipped, not an error.
        + f"{second.pk},https://example.org/filing#top,,,,refutes,\n"
        # Another path is another source.
        + f"{first.pk},https://example.org/Filing,,,,supports,\n"
    )
    code, out, _ = run(tmp_path, content, verbosity=2)
    assert code == 0
    assert "line 2: skip (already on the claim)" in out
    assert "line 3: add" in out
    assert "line 4: skip (same as line 3)" in out
    assert "line 5: add" in out
    assert sorted(Evidence.objects.values_list("claim_id", "url")) == sorted(
        [
            (first.pk, "https://example.org/filing"),
            (second.pk, "https://example.org/filing"),
            (first.pk, "https://example.org/Filing"),
        ]
    )


def test_optional_columns_may_be_left_out_and_a_spreadsheets_bom_is_read(
    tmp_path, claims
):
    first, _ = claims
    content = "\ufeffStance , URL,Claim ID\r\nsupports,https://example.org/a," + str(
        first.pk
    )
    code, out, err = run(tmp_path, content.encode("utf-8"))
    assert (code, err) == (0, "")
    assert Evidence.objects.get().url == "https://example.org/a"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_spreadsheets_unicode_text_is_read(tmp_path, claims, encoding, delimiter):
    """Found by a new user: Excel's "Unicode text" (UTF-16 with a byte-order
    mark, tab-separated) was refused as binary (its NUL bytes)."""
    first, _ = claims
    rows = [
        ["claim_id", "url", "title", "stance"],
        [
            str(first.pk),
            "https://example.org/ünïcode",
            "Zoë's report, 2026",
            "supports",
        ],
    ]
    content = "\r\n".join(
        delimiter.join(f'"{value}"' if delimiter in value else value for value in row)
        for row in rows
    )
    bom = "\ufeff" if encoding != "utf-16" else ""  # utf-16 writes its own
    code, out, err = run(tmp_path, (bom + content).encode(encoding))
    assert (code, err) == (0, "")
    evidence = Evidence.objects.get()
    assert evidence.title == "Zoë's report, 2026"
    assert evidence.url == "https://example.org/ünïcode"


@pytest.mark.parametrize(
    ("delimiter", "separator"), [(",", "a comma"), ("\t", "a tab")]
)
def test_a_row_with_a_value_too_many_names_the_files_separator(
    tmp_path, claims, delimiter, separator
):
    # A tab-separated file was told about commas (found in the seventeenth
    # session's review, fixed in the eighteenth).
    first, _ = claims
    content = "\n".join(
        [
            delimiter.join(["claim_id", "url", "stance"]),
            delimiter.join([str(first.pk), "https://example.org/a", "supports", "x"]),
        ]
    )
    code, _out, err = run(tmp_path, content.encode())
    assert code != 0
    assert (
        "4 values, but the first line names 3 columns "
        f"(a value holding {separator} must be in double quotes)"
    ) in err
    assert not Evidence.objects.exists()


def test_a_row_with_too_few_values_is_told_so_without_the_quoting_hint(
    tmp_path, claims
):
    # Found in review: "1 values", and advice on quoting that cannot help a
    # row that is short of values.
    content = "claim_id\turl\tstance\n7\n"
    code, _out, err = run(tmp_path, content.encode())
    assert code != 0
    assert "line 2: 1 value, but the first line names 3 columns\n" in err


def test_a_file_starting_like_utf16_but_broken_is_refused(tmp_path, claims):
    code, _out, err = run(
        tmp_path, b"\xff\xfe" + "claim_id".encode("utf-16-le") + b"\x00"
    )
    assert code != 0
    assert "starts like UTF-16 text but is not" in err


def test_dry_run_checks_and_writes_nothing(tmp_path, claims):
    code, out, _ = run(tmp_path, good_file(claims), "--dry-run")
    assert (code, out) == (0, "evidence.csv: would add 3 evidence links\n")
    assert not Evidence.objects.exists()


# --- bad rows: each listed with its line and reason, nothing written -------------


BAD_ROWS = [
    ("999999,https://example.org/a,,,,supports,", "no claim has the id 999999"),
    ("abc,https://example.org/a,,,,supports,", "claim_id “abc” is not a claim id"),
    (",https://example.org/a,,,,supports,", "claim_id is empty"),
    (
        "{id},ftp://example.org/a,,,,supports,",
        "url “ftp://example.org/a”: Enter a web address that starts with http:// "
        "or https://\n",
    ),
    (
        "{id},javascript:alert(1),,,,supports,",
        "url “javascript:alert(1)”: Enter a web address",
    ),
    ("{id},,,,,supports,", "url is empty"),
    (
        "{id},https://example.org/a,,,,agrees,",
        "stance “agrees” is not one of supports, refutes, context",
    ),
    ("{id},https://example.org/a,,,,,", "stance is empty; give one of supports"),
    (
        "{id},https://example.org/a,,,05/08/2026,supports,",
        "published_on “05/08/2026” is not a date written YYYY-MM-DD",
    ),
    (
        "{id},https://example.org/a,,,2026-02-30,supports,",
        "published_on “2026-02-30” is not a date written YYYY-MM-DD",
    ),
    (
        "{id},https://example.org/a," + "T" * 501 + ",,,supports,",
        "Ensure this value has at most 500 characters (it has 501)\n",
    ),
    (
        "{id},https://example.org/a,,,supports,",
        "6 values, but the first line names 7 columns",
    ),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_written(
    tmp_path, claims, row, reason
):
    first, _ = claims
    good = f"{first.pk},https://example.org/good,,,,supports,\n"
    before = Event.objects.count()
    code, out, err = run(tmp_path, HEADER + good + row.format(id=first.pk) + "\n")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("error: ")
    assert lines[0].split(": ", 2)[2].startswith("line 3: ")
    assert reason in lines[0] + "\n"
    assert lines[-1].endswith(
        "evidence.csv: 1 bad row, nothing imported; correct it and import the whole "
        "file again"
    )
    assert not Evidence.objects.exists()
    assert Event.objects.count() == before


def test_every_bad_row_is_listed_with_its_own_line(tmp_path, claims):
    first, _ = claims
    content = (
        HEADER
        + f"{first.pk},https://example.org/a,,,,supports,\n"
        # An excerpt over three lines: the next row starts on line 6.
        + f'{first.pk},https://example.org/b,,,,bogus,"one\ntwo\nthree"\n'
        + f"{first.pk},https://example.org/c,,,,supports,\n"
        + "\n"
        + f"{first.pk},ftp://x,,,2026-13-01,supports,\n"
        + "12345678,https://example.org/d,,,,context,\n"
    )
    code, _, err = run(tmp_path, content)
    assert code == 1
    problems = [line.split(": ", 2)[2] for line in err.splitlines()[:-1]]
    assert problems == [
        "line 3: stance “bogus” is not one of supports, refutes, context",
        "line 8: published_on “2026-13-01” is not a date written YYYY-MM-DD (or "
        "leave it empty); url “ftp://x”: Enter a web address that starts with "
        "http:// or https://",
        "line 9: no claim has the id 12345678; check the id on the claim's page",
    ]
    assert "3 bad rows, nothing imported; correct them" in err.splitlines()[-1]
    assert not Evidence.objects.exists()


# --- bad files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            (HEADER + "1,https://example.org/caf\xe9,,,,supports,\n").encode("cp1252"),
            "line 2: the file is not UTF-8 (byte 0xe9); save it as CSV UTF-8",
        ),
        (
            b"PK\x03\x04\x00\x00binary workbook",
            "line 1: the file holds a NUL byte: it is binary",
        ),
        (b"", "the file is empty; its first line must be the column names"),
        (HEADER.encode(), "the file has no rows under its header"),
        (
            b"claim_id,address,stance\n1,https://example.org,supports\n",
            "line 1: missing columns: url; unknown columns: 'address'. The first "
            "line must give the column names claim_id, url, title",
        ),
        (
            b"claim_id;url;stance\n1;https://example.org;supports\n",
            "line 1: missing columns: claim_id, url, stance; the columns must be "
            "separated by commas",
        ),
        (
            b"claim_id,url,url,stance\n",
            "line 1: columns named twice: 'url'",
        ),
        (
            # A header of 100,000 empty names: counted in one pass (0.2 s; it
            # was quadratic, 14 s), each repeated name shown, even empty.
            b"claim_id,url,stance" + b"," * 100_000 + b"\n",
            "unknown columns: '', '', '', '', '', '', '', '', '', ''; "
            "columns named twice: ''.",
        ),
        (
            b'claim_id,url,stance\n1,"https://example.org,supports\n',
            "line 2: a value opened with a double quote is never closed",
        ),
        (
            b'claim_id,url,stance\n1,"https://example.org"x,supports\n',
            'line 2: a double quote inside a quoted value must be doubled ("")',
        ),
        (
            b"%PDF-1.7\n<< /Type /Catalog >>\n",
            "line 1: missing columns: claim_id, url, stance",
        ),
    ],
)
def test_a_file_that_is_not_a_csv_of_evidence_is_refused(
    tmp_path, claims, content, message
):
    code, out, err = run(tmp_path, content)
    assert code == 1
    assert out == ""
    assert message in err
    # Said once: the one problem is not repeated as the summary, and a
    # problem of the whole file (its encoding) is no "bad row" to correct.
    assert err.count(message) == 1
    if "not UTF-8" in message or "NUL byte" in message:
        assert "bad row" not in err
    assert "Traceback" not in err
    assert not Evidence.objects.exists()


def test_a_file_over_the_row_limit_is_refused_before_any_row_is_checked(
    tmp_path, claims, monkeypatch
):
    monkeypatch.setattr(limits, "EVIDENCE_FILE_MAX_ROWS", 3)
    first = claims[0].pk
    rows = "".join(f"{first},https://example.org/{n},,,,context,\n" for n in range(4))
    code, _, err = run(tmp_path, HEADER + rows)
    assert code == 1
    assert err.splitlines() == [
        f"error: {tmp_path / 'evidence.csv'}: the file has more than 3 rows; split "
        "it into files of at most 3 rows"
    ]
    assert not Evidence.objects.exists()
    # Three rows are within the limit.
    assert run(tmp_path, HEADER + rows.split("\n", 1)[1])[0] == 0
    assert Evidence.objects.count() == 3


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, claims, monkeypatch):
    monkeypatch.setattr(limits, "EVIDENCE_FILE_MAX_BYTES", 100)
    with pytest.raises(CommandError, match="over the 100-byte limit; split it"):
        run(tmp_path, good_file(claims))
    assert not Evidence.objects.exists()


def test_the_user_must_exist_and_may_add_evidence(tmp_path, claims, outsider):
    with pytest.raises(CommandError, match="No user is called “nobody”"):
        run(tmp_path, good_file(claims), user="nobody")
    code, _, err = run(tmp_path, good_file(claims), user="otto")
    assert code == 1
    assert "Only members of the Reviewer or Editor group" in err
    assert not Evidence.objects.exists()


def test_a_missing_file_is_one_line(db, tmp_path, reviewer):
    with pytest.raises(CommandError, match="no such file; check the path"):
        call_command("import_evidence", str(tmp_path / "nope.csv"), "--user", "rita")


# --- the round trip ------------------------------------------------------------------


def test_exported_evidence_imports_into_a_fresh_database_unchanged(
    tmp_path, claims, reviewer, editor
):
    first, second = claims
    fresh = transaction.savepoint()  # the claims, and no evidence yet
    for claim, url, stance, extra in [
        (
            first,
            "https://example.org/filing?id=1&page=2",
            "supports",
            {"title": "10-K, annual", "publisher": "SEC", "excerpt": 'He said "80".'},
        ),
        (
            first,
            "https://example.org/call",
            "context",
            {
                "published_on": datetime.date(2026, 5, 1),
                "excerpt": "Line one\nline two, with a comma\n\nand a blank line",
            },
        ),
        (second, "HTTP://example.org/ünïcode", "refutes", {"title": "Déni — 否认"}),
    ]:
        workflow.evidence_add(
            claim=claim, actor=editor, url=url, stance=stance, **extra
        )
    exported = export_evidence()
    assert exported.count("example.org") == 3

    transaction.savepoint_rollback(fresh)
    assert not Evidence.objects.exists()
    code, out, err = run(tmp_path, exported)
    assert (code, err) == (0, "")
    assert out == "evidence.csv: added 3 evidence links\n"
    assert export_evidence() == exported
    # And once more: nothing new, the same export.
    run(tmp_path, exported)
    assert export_evidence() == exported


# --- the workflow's bulk step ------------------------------------------------


def test_evidence_add_many_refuses_who_may_not_add_evidence(claims, outsider):
    draft = EvidenceDraft(claim_id=claims[0].pk, url="https://a.org", stance="context")
    with pytest.raises(ValidationError) as refused:
        workflow.evidence_add_many(drafts=[draft], actor=outsider)
    assert refused.value.code == "not_reviewer"
    assert not Evidence.objects.exists()


def test_evidence_add_many_is_all_or_nothing(claims, reviewer):
    good = EvidenceDraft(claim_id=claims[0].pk, url="https://a.org", stance="context")
    for bad, code in [
        (EvidenceDraft(claim_id=claims[0].pk, url="ftp://a.org", stance="context"),
         "bad_url"),
        (EvidenceDraft(claim_id=claims[0].pk, url="https://a.org", stance="agrees"),
         "bad_stance"),
        (EvidenceDraft(claim_id=99_999_999, url="https://a.org", stance="context"),
         "no_claim"),
    ]:  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            workflow.evidence_add_many(drafts=[good, bad], actor=reviewer)
        assert refused.value.code == code
    assert not Evidence.objects.exists()
    assert not Event.objects.filter(kind=Kind.EVIDENCE_ADDED).exists()


def test_evidence_add_many_takes_constant_queries(
    claims, reviewer, django_assert_num_queries
):
    drafts = [
        EvidenceDraft(claim_id=claim.pk, url=f"https://a.org/{n}", stance="context")
        for n in range(5)
        for claim in claims
    ]
    # savepoint + workflow mark, role, lock the claims, insert the links,
    # the import's event, insert the links' events, touch the claims, clear
    # the mark, release
    with django_assert_num_queries(10):
        workflow.evidence_add_many(drafts=drafts, actor=reviewer)
    assert Evidence.objects.count() == 10


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://Example.org/a", "HTTPS://example.ORG/a#x"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:443/a?q=1", "https://example.org/a?q=1"),
        # An internationalised host and its ASCII form are one site.
        ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/путь"),
        ("https://ПРИМЕР.рф:443/a", "https://xn--e1afmkfd.xn--p1ai/a"),
        # Found by a new user: a host's final dot, an escaped unreserved
        # character, an escape's case; a zero-width space (dropped by IDNA).
        ("https://example.org./y", "https://example.org/y"),
        ("https://example.org/%78?q=%7e", "https://example.org/x?q=~"),
        ("https://example.org/a%2fb", "https://example.org/a%2Fb"),
        ("https://exa\u200bmple.org/y", "https://example.org/y"),
    ],
)
def test_url_identity_treats_spellings_of_one_address_alike(a, b):
    assert url_identity(a) == url_identity(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/A", "https://example.org/a"),
        ("https://example.org/a?q=1", "https://example.org/a?q=2"),
        ("http://example.org:8080/a", "http://example.org/a"),
        ("https://пример.рф/a", "https://пример.com/a"),
        # An escaped reserved character is not the character itself.
        ("https://example.org/a%2Fb", "https://example.org/a/b"),
        ("https://example.org/a?x=%26", "https://example.org/a?x=&"),
    ],
)
def test_url_identity_keeps_what_makes_another_source(a, b):
    assert url_identity(a) != url_identity(b)


def test_an_excerpt_past_the_limit_is_named_by_its_line(tmp_path, claims):
    """The claim page and the API refuse an excerpt past EXCERPT_MAX_CHARS;
    so does the import, naming the line, and nothing is written."""
    first, _second = claims
    long = "x" * 20_001
    content = (
        good_file(claims) + f"{first.pk},https://example.org/long,,,,context,{long}\n"
    )
    code, out, err = run(tmp_path, content)
    assert code == 1
    assert "line 5: excerpt “xxxx" in err
    assert "The excerpt is 20,001 characters long; keep it to 20,000 or fewer" in err
    assert not Evidence.objects.exists()


def test_a_source_dated_in_the_future_is_named_by_its_line(tmp_path, claims):
    first, _second = claims
    content = good_file(claims) + (
        f"{first.pk},https://example.org/later,Title,Pub,9999-12-31,context,\n"
    )
    code, _out, err = run(tmp_path, content)
    assert code == 1
    assert "line 5: " in err and "9999-12-31 is in the future" in err
    assert not Evidence.objects.exists()


def test_a_value_past_the_csv_reader_limit_says_what_it_may_be(tmp_path, claims):
    first, _second = claims
    content = (
        HEADER + f'{first.pk},https://example.org/a,,,,context,"{"x" * 140_000}"\n'
    )
    code, _out, err = run(tmp_path, content)
    assert code == 1
    assert (
        "line 2: a value is longer than 131,072 characters (an excerpt holds "
        "at most 20,000" in err
    )
    assert "save the file as CSV again" not in err


def test_control_characters_in_a_value_become_spaces(tmp_path, claims, reviewer):
    """Found by a new user: a title holding \\x01\\x02 and an excerpt holding
    an ESC were stored as they were (the episode importer refuses such a
    file as binary). Now a space each, by the workflow: the file, the form
    and the API alike."""
    first, second = claims
    content = (
        HEADER
        + f"{first.pk},https://example.org/a,Title\x01\x02here,Pub\x7f,,supports,"
        + "An\x1bexcerpt\x0cthat\x85reads\n"
    )
    code, _out, err = run(tmp_path, content.encode("utf-8"))
    assert (code, err) == (0, "")
    evidence = Evidence.objects.get()
    assert evidence.title == "Title  here"
    assert evidence.publisher == "Pub"
    assert evidence.excerpt == "An excerpt that reads"
    added = workflow.evidence_add(
        claim=second,
        actor=reviewer,
        url="https://example.org/b",
        stance="context",
        title="\x1b[31mRed\x1b[0m\trises\u2028sharply",
        publisher="Two\nlines",
        excerpt="Line one\nline\ttwo\x00",
    )
    # A title and a publisher are one line: tabs and breaks are spaces too.
    assert added.title == "[31mRed [0m rises sharply"
    assert added.publisher == "Two lines"
    assert added.excerpt == "Line one\nline\ttwo"
