"""The dashboard and the claim list: reads only, a fixed number of queries.

What a visitor may see is decided once, by ``Claim.objects.visible_to``;
everything below narrows that queryset and never widens it.
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from claimdesk.roles import is_reviewer
from claims.filters import ClaimFilterSet
from claims.models import VERDICTS, ChangeKind, Claim, Quantity, Status, StatusChange
from claims.pagination import InvalidCursor, KeysetPaginator

PAGE_SIZE = 25
DASHBOARD_ROWS = 10
ACTIVITY_ROWS = 15
# The claim list's filters for "verdicts awaiting approval".
AWAITING_QUERY = urlencode(
    [
        ("approved", "no"),
        *(("status", status) for status in Status if status in VERDICTS),
    ]
)
# Columns a list row never shows; the source text of an episode can be long.
HEAVY_FIELDS = ("episode__source_text", "search_vector", "quote")


def _list_rows(queryset):
    """A claim queryset with everything a list row shows, in two queries."""
    return (
        queryset.for_list()
        .defer(*HEAVY_FIELDS)
        .prefetch_related(
            Prefetch("quantities", queryset=Quantity.objects.order_by("id"))
        )
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    reviewer = is_reviewer(request.user)
    visible = Claim.objects.visible_to(request.user)

    # One GROUP BY for the counts, the awaiting-approval total included.
    counts = {
        row["status"]: row
        for row in visible.order_by()
        .values("status")
        .annotate(
            n=Count("id"),
            awaiting=Count("id", filter=Q(status__in=VERDICTS, approved_at=None)),
        )
    }
    status_counts = [
        {"status": status, "label": status.label, "n": counts[status]["n"]}
        for status in Status
        if status in counts
    ]

    awaiting = None
    if reviewer:
        awaiting = list(
            Claim.objects.awaiting_approval()
            .for_list()
            .select_related("verdict_by")
            .defer(*HEAVY_FIELDS)
            .order_by("updated_at", "id")[:DASHBOARD_ROWS]
        )

    forecasts = list(
        visible.forecasts_due(timezone.localdate())
        .for_list()
        .defer(*HEAVY_FIELDS)
        .order_by("resolves_on", "id")[:DASHBOARD_ROWS]
    )

    activity = StatusChange.objects.select_related("claim", "actor").defer(
        "claim__search_vector", "claim__quote"
    )
    if reviewer:
        # An import logs one "created" row per claim; they would drown the rest.
        activity = activity.exclude(kind=ChangeKind.CREATED, actor=None)
    else:
        # The public sees approvals of verdicts that still stand, nothing else:
        # no drafts, no proposed verdicts, no notes.
        activity = activity.filter(
            kind=ChangeKind.APPROVAL,
            claim__status__in=VERDICTS,
            claim__approved_at__isnull=False,
            to_status=F("claim__status"),
        )
    activity = list(activity.order_by("-at", "-id")[:ACTIVITY_ROWS])

    return render(
        request,
        "claims/dashboard.html",
        {
            "is_reviewer": reviewer,
            "status_counts": status_counts,
            "total": sum(row["n"] for row in counts.values()),
            "awaiting_total": sum(row["awaiting"] for row in counts.values()),
            "awaiting_query": AWAITING_QUERY,
            "awaiting": awaiting,
            "forecasts": forecasts,
            "activity": activity,
            "today": timezone.localdate(),
        },
    )


def _limit_to_public(form) -> None:
    """Only approved verdicts are visible: offer only what can match."""
    field = form.fields["status"]
    field.choices = [
        (value, label) for value, label in field.choices if value in VERDICTS
    ]
    del form.fields["approved"]
    # Check-worthiness is internal, and "recently updated" would show when
    # reviewers work on a published claim (a note, new evidence).
    order = form.fields["order"]
    order.choices = [
        (value, label)
        for value, label in order.choices
        if value in ("", "newest", "relevance")
    ]


def claim_list(request: HttpRequest) -> HttpResponse:
    reviewer = is_reviewer(request.user)
    visible = _list_rows(Claim.objects.visible_to(request.user))
    filterset = ClaimFilterSet(request.GET, queryset=visible)
    if not reviewer:
        _limit_to_public(filterset.form)

    page = None
    cursor_invalid = False
    valid = filterset.is_valid()
    if valid:
        paginator = KeysetPaginator(filterset.qs, per_page=PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("cursor"))
        except InvalidCursor:
            cursor_invalid = True
            page = paginator.page(None)

    params = request.GET.copy()
    params.pop("cursor", None)
    # Shareable links: every filter and the cursor live in the query string.
    first_url = f"{request.path}?{params.urlencode()}" if params else request.path
    next_url = None
    if page is not None and page.has_next:
        params["cursor"] = page.next_cursor
        next_url = f"{request.path}?{params.urlencode()}"

    return render(
        request,
        "claims/claim_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "is_reviewer": reviewer,
            "cursor_invalid": cursor_invalid,
            "first_url": first_url,
            "next_url": next_url,
            "page_size": PAGE_SIZE,
        },
        # The form shows what was wrong; 400 tells clients the query was bad.
        status=200 if valid else 400,
    )
