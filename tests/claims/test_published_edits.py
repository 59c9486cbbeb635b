"""What a published verdict rates cannot change silently.

A reviewer cannot change a published claim's text, quote, speaker, claimant
or amounts, in the workflow, the editorial desk or the claim page. An editor
can, with a reason, and the claim goes back to research, off the public
pages, to be approved again.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import Event, Kind
from claims import workflow
from claims.models import Claim, Quantity, Status
from tests.claims.test_admin import form_data
from tests.conftest import events


@pytest.fixture
def published(proposed_claim, editor) -> Claim:
    return workflow.claim_approve(claim=proposed_claim, actor=editor)


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def unchanged(claim: Claim, count: int) -> None:
    claim.refresh_from_db()
    assert claim.text == "Growth claim: 80 times growth"
    assert (claim.status, claim.is_approved) == (Status.VERIFIED, True)
    assert events(claim).count() == count
    assert Client().get(claim.get_absolute_url()).status_code == 200


# --- the workflow ------------------------------------------------------------------


def test_the_workflow_refuses_a_reviewers_change_of_what_is_rated(published, reviewer):
    for changes in ({"text": "New"}, {"quote": "80 times"}, {"speaker": None}):
        with pytest.raises(ValidationError) as refused:
            workflow.claim_update(
                claim=published,
                actor=reviewer,
                expected_version=published.version,
                changes=changes,
                note="Why not.",
            )
        assert refused.value.code == "published"
    with pytest.raises(ValidationError) as refused:
        workflow.quantities_save(
            claim=published,
            actor=reviewer,
            save=[Quantity(kind="count", low=1, high=1, text="one")],
        )
    assert refused.value.code == "published"


def test_a_reviewer_may_still_change_what_is_not_rated(published, reviewer):
    claim = workflow.claim_update(
        claim=published,
        actor=reviewer,
        expected_version=published.version,
        changes={"claim_type": "forecast"},
    )
    assert (claim.claim_type, claim.is_approved) == ("forecast", True)


def test_an_editors_change_needs_a_reason_and_reopens_the_claim(published, editor2):
    with pytest.raises(ValidationError) as refused:
        workflow.claim_update(
            claim=published,
            actor=editor2,
            expected_version=published.version,
            changes={"text": "Corrected"},
        )
    assert refused.value.code == "note_required"
    claim = workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={"text": "Corrected"},
        note="The text misread the quote.",
    )
    assert (claim.text, claim.status, claim.approved_at) == (
        "Corrected",
        Status.RESEARCHING,
        None,
    )
    assert Client().get(claim.get_absolute_url()).status_code == 404


# --- the editorial desk -----------------------------------------------------------


def test_the_admin_shows_a_reviewer_the_rated_fields_read_only(
    client, published, reviewer
):
    client.force_login(reviewer)
    page = client.get(change_url(published))
    assert 'name="text"' not in page.text
    assert 'name="summary"' not in page.text
    assert 'name="quote"' not in page.text
    assert 'name="claim_type"' in page.text
    # The amounts are shown, not editable.
    assert 'name="quantities-TOTAL_FORMS"' in page.text
    assert 'name="quantities-0-low"' not in page.text


def test_the_form_locks_every_field_the_workflow_may_refuse():
    """A rated field the form left editable was shown as a box a reviewer
    could fill, then the whole save was refused (the summary, until
    2026-12-04): the form's locked fields cover every rated field it shows."""
    from claims.admin.claim import FORM_FIELDS, ClaimAdmin
    from claims.workflow.rules import EDITABLE_FIELDS, RATED_FIELDS

    # The fields the form shows as inputs (quote_start and quote_end are
    # shown as the record, read-only to everyone).
    shown = set(flatten_fieldsets(ClaimAdmin.change_fieldsets)) - set(
        ClaimAdmin.change_readonly_fields
    )
    assert (EDITABLE_FIELDS & shown) <= set(FORM_FIELDS)
    assert (RATED_FIELDS & shown) <= set(FORM_FIELDS)


def test_a_reviewers_crafted_admin_post_of_the_text_is_refused(
    client, published, reviewer
):
    count = events(published).count()
    client.force_login(reviewer)
    data = form_data(client.get(change_url(published)))
    data["text"] = "Rewritten under the readers"
    response = client.post(change_url(published), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["not_editable"]
    unchanged(published, count)


def test_an_editor_changes_the_text_in_the_admin_with_a_reason_and_reopens(
    client, published, editor2
):
    client.force_login(editor2)
    data = form_data(client.get(change_url(published)))
    data["text"] = "Corrected wording"
    response = client.post(change_url(published), data)
    assert response.status_code == 200
    assert "needs a note that says why" in response.text
    data["note"] = "The text misread the quote."
    assert client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert (published.text, published.status, published.is_approved) == (
        "Corrected wording",
        Status.RESEARCHING,
        False,
    )
    reopened = events(published).last()
    assert (reopened.kind, reopened.actor, reopened.note) == (
        Kind.REOPENED,
        editor2,
        "The text misread the quote.",
    )
    assert reopened.changes["text"][1] == "Corrected wording"


# --- the claim page ---------------------------------------------------------------


def post_edit(client, claim, **data):
    claim.refresh_from_db()
    return client.post(
        claim.get_absolute_url(),
        {"action": "edit", "version": claim.version, "loaded_version": claim.version}
        | {"claim_type": claim.claim_type}
        | data,
    )


def test_the_claim_page_offers_a_reviewer_no_rated_field(client, published, reviewer):
    client.force_login(reviewer)
    page = client.get(published.get_absolute_url()).text
    assert 'name="action" value="edit"' in page
    assert 'id="id_edit_claim_type"' in page
    assert 'id="id_edit_text"' not in page
    assert "only an editor can change what it rates" in page


def test_a_reviewers_page_post_of_the_text_is_refused(client, published, reviewer):
    count = events(published).count()
    client.force_login(reviewer)
    response = post_edit(client, published, text="Rewritten under the readers")
    assert response.status_code == 200
    assert "You cannot change text on this claim here" in response.text
    unchanged(published, count)


def test_an_editor_changes_the_text_on_the_page_and_reopens(client, published, editor2):
    client.force_login(editor2)
    response = post_edit(
        client,
        published,
        text="Corrected wording",
        quote=published.quote,
        note="The text misread the quote.",
    )
    assert response.status_code == 303
    published.refresh_from_db()
    assert (published.status, published.is_approved) == (Status.RESEARCHING, False)
    assert Event.objects.filter(kind=Kind.REOPENED, actor=editor2).exists()


def test_an_editors_change_of_only_the_amounts_asks_for_the_reason_first(
    client, published, editor2
):
    Quantity.objects.filter(claim=published).delete()
    client.force_login(editor2)
    data = form_data(client.get(change_url(published)))
    data.update(
        {
            "quantities-TOTAL_FORMS": "1",
            "quantities-0-kind": "multiplier",
            "quantities-0-text": "80 times",
            "quantities-0-low": "80",
            "quantities-0-high": "80",
            "quantities-0-unit": "x",
        }
    )
    response = client.post(change_url(published), data)
    # The page again, the amount as typed, the reason asked for.
    assert response.status_code == 200
    assert "needs a note that says why" in response.text
    assert 'value="80 times"' in response.text
    published.refresh_from_db()
    assert published.is_approved and not published.quantities.exists()
    data["note"] = "The amount was missing."
    assert client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert (published.status, published.is_approved) == (Status.RESEARCHING, False)
    assert published.quantities.get().text == "80 times"
