"""schema.org ClaimReview for published verdicts: what search engines and
fact-check aggregators read.

``claim_review`` builds one review as a dict (JSON-LD); the claim page embeds
it, the feed (``/claimreview.json``) and ``export_claims --format
claimreview`` list them. Only published verdicts have one: a claim without an
approved verdict, or whose verdict is "not checkable" (no rating of a
claim), gives None.

The verdict → rating mapping is in README ("ClaimReview"): a five-point scale
from False (1) to Verified (5); "Unverifiable" has no place on it, so it
carries only its name (``alternateName``), as the schema allows.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from claims.corrections import latest_withdrawal
from claims.models import Claim, Mention, Status

# Numeric ratings: worst 1, best 5. A verdict not here has no number.
RATING_VALUES: dict[Status, int] = {
    Status.FALSE: 1,
    Status.MISLEADING: 2,
    Status.DISPUTED: 3,
    Status.VERIFIED: 5,
}
BEST_RATING, WORST_RATING = 5, 1
# Verdicts that are a rating of the claim (not checkable is a decision not to).
REVIEWED = frozenset(
    {*RATING_VALUES, Status.UNVERIFIABLE},
)


def site_url(request=None) -> str:
    """``https://host`` of the site: the request's when there is one."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.CLAIMDESK_SITE_URL


def publisher(base_url: str) -> dict[str, Any]:
    """The organisation that publishes the reviews (settings)."""
    config = settings.CLAIMDESK_PUBLISHER
    return {
        "@type": "Organization",
        "name": config["name"],
        "url": config["url"] or base_url + "/",
        "logo": {
            "@type": "ImageObject",
            "url": config["logo"] or base_url + static("img/logo.png"),
        },
    }


def feed_modified() -> datetime.datetime | None:
    """When the feed of reviews last changed: the latest ``dateModified`` of
    a review it lists (claim_published_changed_idx), or the latest
    withdrawal of one (a published verdict reopened), which leaves no date
    on the claim. Two index reads."""
    changed = (
        Claim.objects.filter(published_changed_at__isnull=False, status__in=REVIEWED)
        .order_by("-published_changed_at")
        .values_list("published_changed_at", flat=True)
        .first()
    )
    moments = [m for m in (changed, latest_withdrawal()) if m is not None]
    return max(moments, default=None)


def reviewed(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Published verdicts that have a ClaimReview, with what it needs."""
    return (
        queryset.approved()
        .filter(status__in=REVIEWED)
        .select_related("episode__show", "speaker", "claimant")
        .prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.order_by("quote_start"))
        )
        .defer("search_vector", "episode__source_text", "episode__subtitle")
    )


def _person(claim: Claim) -> dict[str, Any] | None:
    person = claim.claimant or claim.speaker
    if person is None:
        return None
    author: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.profile_url:
        author["sameAs"] = person.profile_url
    return author


def _appearance(episode_url: str, seconds: int | None, name: str) -> dict:
    url = episode_url if seconds is None else f"{episode_url}#t={seconds}"
    return {"@type": "CreativeWork", "url": url, "name": name}


def _appearances(
    claim: Claim, base_url: str, mentions: Iterable[Mention]
) -> list[dict[str, Any]]:
    """Where the claim was made: the episode page, at the quote's second when
    known, then once per mention (each place once)."""
    episode = claim.episode
    episode_url = base_url + episode.get_absolute_url()
    name = f"{episode.show.name}: {episode.title}"
    places = [_appearance(episode_url, claim.timestamp_seconds, name)]
    places += [
        _appearance(episode_url, mention.timestamp_seconds, name)
        for mention in mentions
    ]
    seen: set[str] = set()
    unique = []
    for place in places:
        if place["url"] not in seen:
            seen.add(place["url"])
            unique.append(place)
    return unique


def rating(claim: Claim) -> dict[str, Any]:
    status = Status(claim.status)
    result: dict[str, Any] = {"@type": "Rating"}
    if status in RATING_VALUES:
        result.update(
            ratingValue=RATING_VALUES[status],
            bestRating=BEST_RATING,
            worstRating=WORST_RATING,
        )
    result["alternateName"] = status.label
    if claim.rationale:
        result["ratingExplanation"] = claim.rationale
    return result


def claim_review(
    claim: Claim, *, base_url: str, mentions: Iterable[Mention] | None = None
) -> dict[str, Any] | None:
    """The ClaimReview of a published verdict, or None when it has none.

    ``base_url`` is the site's ``https://host``; ``claim`` should come from
    ``reviewed`` (its joins and mentions), or cost a few queries more.
    ``mentions``: the claim's mentions, when the caller has read them.
    """
    if not claim.is_approved or claim.status not in REVIEWED:
        return None
    if mentions is None:
        mentions = claim.mentions.all()
    appearances = _appearances(claim, base_url, mentions)
    item: dict[str, Any] = {"@type": "Claim"}
    author = _person(claim)
    if author is not None:
        item["author"] = author
    if claim.episode.published_on is not None:
        item["datePublished"] = claim.episode.published_on.isoformat()
    item["appearance"] = appearances
    item["firstAppearance"] = appearances[0]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url + claim.get_absolute_url(),
        "claimReviewed": claim.headline,
        "datePublished": claim.approved_at.isoformat(),
        # What readers see last changed (a note or an assignment does not
        # count): Claim.published_changed_at, kept from the approval on.
        "dateModified": (claim.published_changed_at or claim.approved_at).isoformat(),
        "author": publisher(base_url),
        "reviewRating": rating(claim),
        "itemReviewed": item,
    }


# Inside <script>, "</script>" or "<!--" in a quote must not end the block.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """``data`` as the body of a ``<script type="application/ld+json">``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 (escaped above)


def share_metadata(claim: Claim, review: dict[str, Any]) -> dict[str, str]:
    """Open Graph and Twitter card fields, so a shared link shows the verdict."""
    verdict = review["reviewRating"]["alternateName"]
    description = f"Verdict: {verdict}."
    if claim.rationale:
        description += " " + claim.rationale
    if len(description) > 300:
        description = description[:299].rsplit(" ", 1)[0] + "…"
    return {
        "title": f"{verdict}: {claim.headline}",
        "description": description,
        "url": review["url"],
        "image": review["author"]["logo"]["url"],
        "site_name": review["author"]["name"],
    }
