"""A claim's summary: what is being checked, in a line, as readers see it.

Reviewers write it through the workflow like any other edit, so the log has
it; on a published claim it is part of what the verdict rates. Public pages
use it as the headline and keep the verbatim quote below it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import Kind
from claims import workflow
from claims.models import Claim, Status
from tests.claims.test_admin import form_data
from tests.conftest import events


@pytest.fixture
def published(proposed_claim, editor) -> Claim:
    return workflow.claim_approve(claim=proposed_claim, actor=editor)


def test_a_reviewer_writes_the_summary_and_the_log_records_it(claim, reviewer):
    claim = workflow.claim_update(
        claim=claim,
        actor=reviewer,
        expected_version=claim.version,
        changes={"summary": "Growth of 80 times"},
    )
    assert claim.summary == "Growth of 80 times"
    assert claim.headline == "Growth of 80 times"
    event = events(claim).last()
    assert event.kind == Kind.CLAIM_EDITED
    assert event.actor == reviewer
    assert event.changes == {"summary": ["", "Growth of 80 times"]}


def test_without_a_summary_the_headline_is_the_claims_text(claim):
    assert claim.summary == ""
    assert claim.headline == claim.text


def test_a_published_summary_is_what_the_verdict_rates(published, reviewer, editor2):
    with pytest.raises(ValidationError) as refused:
        workflow.claim_update(
            claim=published,
            actor=reviewer,
            expected_version=published.version,
            changes={"summary": "Something else"},
        )
    assert refused.value.code == "published"
    with pytest.raises(ValidationError) as refused:
        workflow.claim_update(
            claim=published,
            actor=editor2,
            expected_version=published.version,
            changes={"summary": "Something else"},
        )
    assert refused.value.code == "note_required"
    claim = workflow.claim_update(
        claim=published,
        actor=editor2,
        expected_version=published.version,
        changes={"summary": "Growth of 80 times in a year"},
        note="The check rates the yearly figure.",
    )
    assert (claim.status, claim.is_approved) == (Status.RESEARCHING, False)
    assert events(claim).last().kind == Kind.REOPENED


def test_the_public_page_heads_with_the_summary_and_quotes_below(published, editor2):
    Claim.objects.filter(pk=published.pk).update(summary="Did it grow <80×>?")
    html = Client().get(published.get_absolute_url()).content.decode()
    assert "<h1>Did it grow &lt;80×&gt;?</h1>" in html
    assert html.index("<h1>") < html.index("<mark>80 times growth</mark>")
    assert "<title>Did it grow &lt;80×&gt;? · Claimdesk</title>" in html
    listing = Client().get(reverse("claims:claim_list")).content.decode()
    assert "Did it grow &lt;80×&gt;?</a>" in listing


def test_the_admin_form_edits_the_summary(client, claim, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data["summary"] = "x" * 201
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    data["summary"] = "Growth of 80 times"
    response = client.post(url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.summary == "Growth of 80 times"
    assert events(claim).last().changes == {"summary": ["", "Growth of 80 times"]}


def test_the_workflow_keeps_a_summary_on_one_line(claim, reviewer):
    # Whoever writes it (a script, an import): the public headline.
    updated = workflow.claim_update(
        claim=claim, actor=reviewer, expected_version=claim.version,
        changes={"summary": "Data centre\n  costs"},
    )  # fmt: skip
    assert updated.summary == "Data centre costs"
