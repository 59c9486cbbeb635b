"""What Claimdesk publishes beyond the claim pages: the ClaimReview feed and
the corrections log."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from claimdesk.limits import as_id
from claimdesk.methods import read_only
from claims.claimreview import claim_review, feed_modified, reviewed, site_url
from claims.corrections import corrections
from claims.models import Claim
from claims.pagination import InvalidCursor, KeysetPaginator

CORRECTIONS_PER_PAGE = 50
FEED_PER_PAGE = 100


@read_only
def claimreview_feed(request: HttpRequest) -> HttpResponse:
    """Every published review, newest approval first: a schema.org DataFeed,
    in pages of ``FEED_PER_PAGE``; ``next`` (and a ``Link: rel=next``
    header) is the following page."""
    base_url = site_url(request)
    paginator = KeysetPaginator(
        reviewed(Claim.objects.all()).order_by("-approved_at", "-id"),
        per_page=FEED_PER_PAGE,
    )
    try:
        page = paginator.page(request.GET.get("cursor") or None)
    except InvalidCursor:
        # The API's shape and code for the same refusal.
        return JsonResponse(
            {
                "code": "invalid_cursor",
                "detail": "That cursor was damaged or made for another list; "
                "start again from /claimreview.json.",
            },
            status=400,
        )
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": "Published fact-checks (ClaimReview)",
        "url": base_url + reverse("claims:claimreview_feed"),
        "dataFeedElement": [
            claim_review(claim, base_url=base_url) for claim in page.rows
        ],
    }
    # On every page, the whole feed's latest change (a page's own missed a
    # change further on).
    changed = feed_modified()
    if changed is not None:
        feed["dateModified"] = changed.isoformat()
    if page.next_cursor:
        feed["next"] = feed["url"] + "?" + urlencode({"cursor": page.next_cursor})
    response = HttpResponse(
        json.dumps(feed, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
    if page.next_cursor:
        response["Link"] = f'<{feed["next"]}>; rel="next"'
    return response


@read_only
def corrections_log(request: HttpRequest) -> HttpResponse:
    before = as_id(request.GET.get("before"))
    rows, next_before = corrections(before=before, limit=CORRECTIONS_PER_PAGE)
    return render(
        request,
        "claims/corrections.html",
        {"corrections": rows, "next_before": next_before, "later_page": before},
    )
