"""schema.org ClaimReview on published verdicts, read the way a crawler reads
it (extruct), the feed at /claimreview.json, and the share metadata."""

from __future__ import annotations

import datetime
import json

import extruct
import pytest
from django.test import Client
from django.urls import reverse

from claims import workflow
from claims.models import Claim, Mention
from episodes.models import Episode
from people import workflow as people_workflow
from tests.conftest import add_evidence, make_claim

FEED = reverse("claims:claimreview_feed")
BASE = "http://testserver"


def extract(html: str, url: str) -> dict:
    return extruct.extract(
        html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True
    )


@pytest.fixture
def published(claim, reviewer, editor, editor2, speaker) -> Claim:
    Episode.objects.filter(pk=claim.episode_id).update(
        published_on=datetime.date(2026, 5, 8)
    )
    people_workflow.person_update(
        person=speaker,
        actor=editor,
        changes={"profile_url": "https://en.wikipedia.org/wiki/Someone"},
    )
    # The summary before the verdict is proposed: a change of what a
    # proposed verdict rates sends it back to research.
    claim = workflow.claim_update(
        claim=claim,
        actor=editor,
        expected_version=claim.version,
        changes={"summary": "Growth of 80 times in a year", "timestamp_seconds": 754},
    )
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    claim = workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Matches the filing.", actor=reviewer
    )
    Mention.objects.create(
        claim=claim,
        quote=claim.quote,
        quote_start=claim.quote_start,
        quote_end=claim.quote_end,
        timestamp_seconds=1290,
    )
    return workflow.claim_approve(claim=claim, actor=editor2)


def review_on_page(claim: Claim) -> dict:
    url = BASE + claim.get_absolute_url()
    response = Client().get(claim.get_absolute_url())
    assert response.status_code == 200
    data = extract(response.content.decode(), url)
    reviews = [item for item in data["json-ld"] if item["@type"] == "ClaimReview"]
    assert len(reviews) == 1
    return reviews[0]


def test_a_published_verdict_carries_every_claimreview_field(published, speaker):
    review = review_on_page(published)
    episode_url = BASE + published.episode.get_absolute_url()
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "Growth of 80 times in a year"
    assert review["url"] == BASE + published.get_absolute_url()
    assert review["datePublished"] == published.approved_at.isoformat()
    assert review["dateModified"] >= review["datePublished"]
    assert review["author"] == {
        "@type": "Organization",
        "name": "Claimdesk",
        "url": BASE + "/",
        "logo": {"@type": "ImageObject", "url": BASE + "/static/img/logo.png"},
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Verified",
        "ratingExplanation": published.rationale,
    }
    assert published.rationale
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": speaker.name,
        "sameAs": "https://en.wikipedia.org/wiki/Someone",
    }
    assert item["datePublished"] == "2026-05-08"
    assert [a["url"] for a in item["appearance"]] == [
        f"{episode_url}#t=754",
        f"{episode_url}#t=1290",
    ]
    assert item["firstAppearance"]["url"] == f"{episode_url}#t=754"


def test_the_claimant_is_the_author_when_the_speaker_reports_them(
    proposed_claim, editor, editor2
):
    claimant = people_workflow.person_create(name="Jensen Huang", actor=None)
    Claim.objects.filter(pk=proposed_claim.pk).update(claimant=claimant)
    claim = workflow.claim_approve(claim=proposed_claim, actor=editor)
    assert review_on_page(claim)["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Jensen Huang",
    }


def test_the_publisher_comes_from_settings(published, settings):
    settings.CLAIMDESK_PUBLISHER = {
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org/",
        "logo": "https://factcheck.example.org/logo.png",
    }
    assert review_on_page(published)["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.org/",
        "logo": {
            "@type": "ImageObject",
            "url": "https://factcheck.example.org/logo.png",
        },
    }


def test_share_metadata_shows_the_verdict(published):
    url = BASE + published.get_absolute_url()
    html = Client().get(published.get_absolute_url()).content.decode()
    og = [i for i in extract(html, url)["opengraph"]]
    assert og[0]["og:title"] == "Verified: Growth of 80 times in a year"
    assert og[0]["og:description"].startswith("Verdict: Verified. ")
    assert og[0]["og:url"] == url
    assert og[0]["og:image"] == BASE + "/static/img/logo.png"
    assert '<meta name="twitter:card" content="summary">' in html
    assert (
        '<meta name="twitter:title" content="Verified: Growth of 80 times in a year">'
        in html
    )


def test_a_quote_cannot_close_the_json_ld_block(published, editor):
    Claim.objects.filter(pk=published.pk).update(
        summary="</script><script>alert(1)</script>"
    )
    html = Client().get(published.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    review = review_on_page(published)
    assert review["claimReviewed"] == "</script><script>alert(1)</script>"


def test_an_unpublished_claim_carries_none(proposed_claim, reviewer, client):
    client.force_login(reviewer)
    html = client.get(proposed_claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
    assert "og:title" not in html
    data = json.loads(Client().get(FEED).content)
    assert data["dataFeedElement"] == []


def test_a_not_checkable_verdict_is_no_review(claim, reviewer, editor):
    claim = workflow.claim_set_verdict(
        claim=claim,
        actor=reviewer,
        verdict="not_checkable",
        note="An opinion.",
        expected_version=claim.version,
    )
    claim = workflow.claim_approve(claim=claim, actor=editor)
    html = Client().get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html


def test_a_reopened_claim_drops_out_of_page_and_feed(published, editor):
    assert len(json.loads(Client().get(FEED).content)["dataFeedElement"]) == 1
    workflow.claim_reopen(
        claim=published,
        actor=editor,
        note="A new source.",
        expected_version=published.version,
    )
    assert Client().get(published.get_absolute_url()).status_code == 404
    assert json.loads(Client().get(FEED).content)["dataFeedElement"] == []


def publish(episode, reviewer, editor, n: int, verdict: str = "") -> list[Claim]:
    claims = []
    for i in range(n):
        claim = make_claim(episode, quote="80 times growth")
        claim = workflow.claim_start_research(
            claim=claim, actor=reviewer, expected_version=claim.version
        )
        add_evidence(claim, reviewer)
        claim = workflow.claim_set_verdict(
            claim=claim,
            actor=reviewer,
            verdict=verdict or ("false" if i % 2 else "verified"),
            note=f"Rationale {i}.",
            expected_version=claim.version,
        )
        claims.append(workflow.claim_approve(claim=claim, actor=editor))
    return claims


def test_the_feed_lists_newest_approval_first_in_pages(
    episode, reviewer, editor, settings, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("claims.views.publishing.FEED_PER_PAGE", 2)
    claims = publish(episode, reviewer, editor, 5)
    newest_first = [BASE + c.get_absolute_url() for c in reversed(claims)]
    urls, url = [], FEED
    while url:
        # The rows, their passages, the feed's latest change and withdrawal.
        with django_assert_max_num_queries(4):
            response = Client().get(url)
        assert response["Content-Type"] == "application/ld+json; charset=utf-8"
        data = json.loads(response.content)
        assert data["@type"] == "DataFeed"
        urls += [review["url"] for review in data["dataFeedElement"]]
        assert all(r["@type"] == "ClaimReview" for r in data["dataFeedElement"])
        url = data.get("next")
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
            url = url.removeprefix(BASE)
    assert urls == newest_first
    ratings = {r: None for r in urls}
    assert len(ratings) == 5


def test_a_damaged_feed_cursor_is_a_400(db):
    response = Client().get(FEED, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    body = json.loads(response.content)
    # The API's shape and code for a damaged cursor.
    assert body["code"] == "invalid_cursor"
    assert "start again from /claimreview.json" in body["detail"]


def test_every_page_of_the_feed_says_when_the_feed_last_changed(
    episode, reviewer, editor, monkeypatch
):
    monkeypatch.setattr("claims.views.publishing.FEED_PER_PAGE", 2)
    oldest, *_ = publish(episode, reviewer, editor, 3)
    # New evidence on the oldest review, on the feed's second page: its
    # first page said only its own claims' latest change, and missed it.
    workflow.evidence_add(
        claim=oldest, actor=reviewer, url="https://example.org/new-filing",
        stance="supports",
    )  # fmt: skip
    first = json.loads(Client().get(FEED).content)
    second = json.loads(Client().get(first["next"].removeprefix(BASE)).content)
    changed = max(r["dateModified"] for r in second["dataFeedElement"])
    assert changed > max(r["dateModified"] for r in first["dataFeedElement"])
    assert first["dateModified"] == second["dateModified"] == changed
    # A review withdrawn is a change: the feed's date moves on, not back.
    newest = Claim.objects.get(
        pk=first["dataFeedElement"][0]["url"].rstrip("/").rsplit("/", 1)[1]
    )
    workflow.claim_reopen(claim=newest, actor=editor, note="A new filing.")
    after = json.loads(Client().get(FEED).content)
    assert len(after["dataFeedElement"]) == 2
    assert after["dateModified"] > changed
    # A published claim the feed does not list (not checkable) moves nothing.
    unrated = publish(episode, reviewer, editor, 1, verdict="not_checkable")[0]
    assert (
        json.loads(Client().get(FEED).content)["dateModified"]
        == (after["dateModified"])
    )
    assert unrated.published_changed_at is not None


def test_renaming_the_speaker_shows_on_the_claim_and_its_date_modified(
    published, speaker, editor
):
    """Found by a new user: a person's rename changed the author a published
    verdict's page and ClaimReview name, with nothing on the claim's
    history and the same dateModified."""
    from audit.models import Event, Kind

    before = review_on_page(published)
    people_workflow.person_update(
        person=speaker, actor=editor, changes={"name": "Ranjan Roy Sr"}
    )
    after = review_on_page(published)
    assert after["itemReviewed"]["author"]["name"] == "Ranjan Roy Sr"
    assert after["dateModified"] > before["dateModified"]
    published.refresh_from_db()
    assert published.is_approved  # one person, spelt anew: still published
    event = Event.objects.about(published).order_by("id").last()
    assert (event.kind, event.actor, event.object_id) == (
        Kind.PERSON_EDITED,
        editor,
        published.pk,
    )
    assert event.changes == {
        "speaker": [
            {"id": speaker.pk, "label": "Ranjan Roy"},
            {"id": speaker.pk, "label": "Ranjan Roy Sr"},
        ]
    }
    assert event.cause.kind == Kind.PERSON_EDITED
    # A change of the description alone names nobody anew: nothing on the claim.
    logged = Event.objects.about(published).count()
    people_workflow.person_update(
        person=speaker, actor=editor, changes={"description": "Founder."}
    )
    assert Event.objects.about(published).count() == logged


def test_an_episodes_new_date_gives_its_reviews_a_new_date_modified(published, editor):
    from episodes import workflow as episodes_workflow

    before = review_on_page(published)
    episode = Episode.objects.get(pk=published.episode_id)
    episode.published_on = datetime.date(2026, 6, 1)
    episodes_workflow.episode_save(episode=episode, actor=editor)
    after = review_on_page(published)
    assert after["itemReviewed"]["datePublished"].startswith("2026-06-01")
    assert after["dateModified"] > before["dateModified"]


def test_a_new_profile_link_gives_the_review_a_new_date_modified(
    published, speaker, editor
):
    # Found in review: the ClaimReview's author's sameAs changed with the
    # same dateModified.
    before = review_on_page(published)
    people_workflow.person_update(
        person=speaker,
        actor=editor,
        changes={"profile_url": "https://example.org/ranjan"},
    )
    after = review_on_page(published)
    assert after["itemReviewed"]["author"]["sameAs"] == "https://example.org/ranjan"
    assert after["dateModified"] > before["dateModified"]
