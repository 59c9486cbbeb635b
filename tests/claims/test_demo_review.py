"""The demo's sample review: published through the workflow by the demo
accounts, labelled as a demo review, and made once."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from audit.models import Kind
from claims.models import Claim, Status
from tests.conftest import events


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_seeds", verbosity=0)
    call_command("create_demo_users", stdout=io.StringIO())


def test_the_sample_review_is_published_through_the_workflow(demo, capsys):
    call_command("publish_demo_review")
    assert "Demo review published: claim" in capsys.readouterr().out
    claim = Claim.objects.get(
        summary="Anthropic planned for about 10× growth this year"
    )
    assert (claim.status, claim.is_approved) == (Status.UNVERIFIABLE, True)
    assert claim.claimant.name == "Dario Amodei"
    kinds = [(e.kind, e.actor.username) for e in events(claim).exclude(actor=None)]
    assert kinds == [
        (Kind.CLAIM_ASSIGNED, "reviewer"),
        (Kind.CLAIM_EDITED, "reviewer"),
        (Kind.RESEARCH_STARTED, "reviewer"),
        (Kind.NOTE_ADDED, "reviewer"),
        (Kind.VERDICT_PROPOSED, "reviewer"),
        (Kind.APPROVED, "editor"),
    ]
    page = Client().get(claim.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Demo review.</strong>" in html
    # Readers' words: no command-line markup in the published rationale.
    assert "`" not in claim.rationale
    assert "made by the demo set-up" in html
    assert "<h1>Anthropic planned for about 10× growth this year</h1>" in html
    listing = Client().get(reverse("claims:claim_list")).content.decode()
    assert "demo review</span>" in listing
    feed = json.loads(Client().get(reverse("claims:claimreview_feed")).content)
    assert [r["claimReviewed"] for r in feed["dataFeedElement"]] == [claim.summary]


def test_running_it_again_changes_nothing(demo, capsys):
    call_command("publish_demo_review")
    count = events(Claim.objects.get(status=Status.UNVERIFIABLE)).count()
    call_command("publish_demo_review")
    assert "already published" in capsys.readouterr().out
    assert events(Claim.objects.get(status=Status.UNVERIFIABLE)).count() == count


def test_without_the_seeds_it_says_what_to_run(db, settings):
    settings.DEMO_MODE = True
    call_command("create_demo_users", stdout=io.StringIO())
    with pytest.raises(CommandError, match="run `manage.py load_seeds` first"):
        call_command("publish_demo_review")


def test_only_in_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only runs in local demo mode"):
        call_command("publish_demo_review")
