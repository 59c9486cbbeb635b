"""A date amount in the admin: stored as the number YYYYMMDD (ranges compare
as numbers), written and read by the desk as a day, YYYY-MM-DD."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from claims import workflow
from claims.extraction.types import number_day, shown_amount
from claims.forms import QuantityForm
from tests.claims.test_admin import form_data
from tests.conftest import events


def change_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def inline(page: str) -> str:
    """The amounts' table of a change page (its history, below, keeps the
    stored values as the log recorded them)."""
    return page.split('id="quantities-group"')[1].split('id="evidence-group"')[0]


@pytest.fixture
def deadline(claim):
    return claim.quantities.create(
        kind="date", low=20280101, high=20281231, unit="date", text="by 2028"
    )


def test_the_change_page_shows_a_date_amount_as_days(client, editor, deadline):
    client.force_login(editor)
    page = client.get(change_url(deadline.claim))
    data = form_data(page)
    assert (data["quantities-0-low"], data["quantities-0-high"]) == (
        "2028-01-01",
        "2028-12-31",
    )
    amounts = inline(page.text)
    assert 'value="2028-12-31"' in amounts
    assert "20281231" not in amounts
    assert 'placeholder="YYYY-MM-DD"' in amounts
    # A phone's decimal keypad has no "-": a day's inputs ask for text.
    low = re.search(r'<input[^>]*name="quantities-0-low"[^>]*>', amounts)[0]
    assert 'inputmode="text"' in low


def test_a_date_amount_saved_as_shown_is_no_change(client, editor, deadline):
    client.force_login(editor)
    page = client.get(change_url(deadline.claim))
    data = form_data(page)
    formset = page.context["inline_admin_formsets"][0].formset
    bound = type(formset)(data, instance=deadline.claim, prefix="quantities")
    assert not bound.forms[0].has_changed()
    before = events(deadline.claim).count()
    assert client.post(change_url(deadline.claim), data).status_code == 302
    deadline.refresh_from_db()
    assert (deadline.low, deadline.high) == (Decimal(20280101), Decimal(20281231))
    assert events(deadline.claim).count() == before  # nothing written


def test_a_day_typed_is_saved_as_its_number(client, editor, deadline):
    client.force_login(editor)
    data = form_data(client.get(change_url(deadline.claim)))
    data["quantities-0-high"] = "2029-06-30"
    assert client.post(change_url(deadline.claim), data).status_code == 302
    deadline.refresh_from_db()
    assert deadline.high == Decimal(20290630)
    assert number_day(deadline.high).isoformat() == "2029-06-30"


@pytest.mark.parametrize(
    ("low", "high", "field", "message"),
    [
        (
            "2028-01-01",
            "2029-02-30",
            "high",
            "2029-02-30 is not a day of the calendar: write a date as YYYY-MM-DD",
        ),
        ("2028-01-01", "5", "high", "A date amount is a day: write it as YYYY-MM-DD"),
        ("2028-13-01", "2028-12-31", "low", "2028-13-01 is not a day of the calendar"),
    ],
)
def test_a_date_amount_that_is_no_day_is_refused_with_the_way_to_write_it(
    client, editor, deadline, low, high, field, message
):
    client.force_login(editor)
    data = form_data(client.get(change_url(deadline.claim)))
    data["quantities-0-low"], data["quantities-0-high"] = low, high
    response = client.post(change_url(deadline.claim), data)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert any(message in error for error in form.errors[field])
    deadline.refresh_from_db()
    assert deadline.high == Decimal(20281231)  # nothing saved


def test_a_day_for_another_kind_of_amount_is_refused(editor, claim):
    form = QuantityForm(
        data={
            "kind": "money",
            "text": "$5 billion",
            "low": "2028-01-01",
            "high": "5000000000",
            "unit": "USD",
        }
    )
    assert not form.is_valid()
    assert form.errors["low"] == [
        "2028-01-01 is a day: choose the kind Date for it, or write a number."
    ]


def test_an_amount_made_a_date_must_be_a_day(editor, claim):
    amount = claim.quantities.create(
        kind="money", low=5, high=6, unit="USD", text="$5 to 6"
    )
    form = QuantityForm(
        instance=amount,
        data={"kind": "date", "text": "$5 to 6", "low": "5", "high": "6", "unit": ""},
    )
    assert not form.is_valid()
    assert "A date amount is a day" in form.errors["low"][0]


def test_a_reviewer_reads_a_published_date_amount_as_days(
    client, proposed_claim, editor, reviewer
):
    proposed_claim.quantities.create(
        kind="date", low=20280101, high=20281231, unit="date", text="by 2028"
    )
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    client.force_login(reviewer)
    amounts = inline(client.get(change_url(proposed_claim)).text)
    assert 'name="quantities-0-low"' not in amounts  # read-only
    assert "2028-01-01" in amounts and "2028-12-31" in amounts
    assert "20281231" not in amounts


def test_amounts_are_shown_as_the_desk_reads_them():
    assert shown_amount(Decimal("20281231.000000"), "date") == "2028-12-31"
    # A date amount that is no day is shown as its number, not hidden.
    assert shown_amount(Decimal("20281331"), "date") == "20,281,331"
    assert shown_amount(Decimal("5000000000.000000"), "money") == "5,000,000,000"
    assert shown_amount(Decimal("0.500000"), "percent") == "0.5"
    assert shown_amount(None) == "…"


# --- found by review ----------------------------------------------------------


def test_a_number_too_large_for_a_day_is_no_day_not_a_crash(client, editor, claim):
    assert number_day(Decimal("99999999999999999999")) is None
    assert number_day(Decimal("9991231")) is None  # no four-digit year
    amount = claim.quantities.create(
        kind="date", low=20280101, high=Decimal("99999999999999999999"), text="x"
    )
    client.force_login(editor)
    page = client.get(change_url(claim))
    assert page.status_code == 200
    assert 'value="99999999999999999999"' in inline(page.text)  # as stored
    data = form_data(page)
    data["quantities-0-low"] = "99999999999999999998"
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.errors["low"] == [
        "A date amount is a day: write it as YYYY-MM-DD, e.g. 2028-12-31."
    ]
    amount.refresh_from_db()
    assert amount.low == Decimal(20280101)


@pytest.mark.parametrize("typed", ["2028-1-5", "31/12/2028", "2028-12"])
def test_a_mistyped_day_is_told_how_to_write_it(db, typed):
    form = QuantityForm(
        data={"kind": "date", "text": "x", "low": typed, "high": "", "unit": ""}
    )
    assert not form.is_valid()
    assert form.errors["low"] == [
        "A date amount is a day: write it as YYYY-MM-DD, e.g. 2028-12-31."
    ]


def test_a_date_typed_without_a_unit_reads_as_a_day_on_the_public_page(
    client, proposed_claim, editor
):
    proposed_claim.quantities.create(
        kind="date", low=20281231, high=20281231, unit="", text="by the end of 2028"
    )
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    page = client.get(proposed_claim.get_absolute_url()).text
    assert "31 December 2028" in page
    assert "20,281,231" not in page


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (("money", 5, 5, "USD"), ("date", 20281231, 20281231, "date"), "2028-12-31"),
        (("date", 20280101, 20281231, "date"), ("money", 7, 7, "USD"), "7"),
    ],
)
def test_a_row_another_editor_gave_a_new_kind_is_shown_for_it(
    client, editor, editor2, claim, before, after, shown
):
    kind, low, high, unit = before
    amount = claim.quantities.create(
        kind=kind, low=low, high=high, unit=unit, text="the amount"
    )
    client.force_login(editor)
    data = form_data(client.get(change_url(claim)))
    kind, low, high, unit = after
    amount.kind, amount.low, amount.high, amount.unit = kind, low, high, unit
    workflow.quantities_save(
        claim=type(claim).objects.get(pk=claim.pk), actor=editor2, save=[amount]
    )
    data["text"] += " (edited)"
    response = client.post(change_url(claim), data)
    assert response.status_code == 200  # the conflict, shown
    again = form_data(response)
    assert again["quantities-0-kind"] == kind
    assert again["quantities-0-high"] == shown
    amounts = inline(response.text)
    assert ('placeholder="YYYY-MM-DD"' in amounts) == (kind == "date")
    # Saved again: the other editor's amount stays, the text is saved.
    assert client.post(change_url(claim), again).status_code == 302
    amount.refresh_from_db()
    assert (amount.kind, amount.high) == (kind, Decimal(high))


def test_the_history_reads_date_amounts_as_days_old_events_too(client, editor, claim):
    from audit.log import record
    from audit.models import Kind
    from claims.workflow.edits import amount_as_read

    amount = claim.quantities.model(
        claim=claim, kind="date", low=20280101, high=20281231, unit="date", text="2028"
    )
    workflow.quantities_save(claim=claim, actor=editor, save=[amount])
    logged = events(claim).last().changes["quantities"][1]
    assert logged == ["date 2028-01-01–2028-12-31 date “2028”"]
    # An event written before: the stored numbers, read as days.
    record(
        kind=Kind.CLAIM_EDITED,
        actor=editor,
        obj=claim,
        changes={"quantities": [[], ["date 20290630 date (about) “mid-2029”"]]},
    )
    client.force_login(editor)
    history = client.get(claim.get_absolute_url()).text
    assert "date 2028-01-01–2028-12-31 date “2028”" in history
    assert "date 2029-06-30 date (about) “mid-2029”" in history
    assert "20281231" not in history and "20290630" not in history
    assert (
        amount_as_read("date …–20281231 “until 2028”")
        == "date …–2028-12-31 “until 2028”"
    )
    assert amount_as_read("date 20281331 “no day”") == "date 20281331 “no day”"
    assert (
        amount_as_read("money 5000000000 USD “$5bn”") == "money 5000000000 USD “$5bn”"
    )
