"""The dashboard and the claim list: reads only, a fixed number of queries.

What a visitor may see is decided once, by ``Claim.objects.visible_to``;
everything below narrows that queryset and never widens it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django import forms
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from audit.models import DB_KINDS, Event, Kind
from claimdesk.lookups import int_array
from claimdesk.methods import read_only
from claimdesk.prepared import Prepared
from claimdesk.roles import is_reviewer
from claims import workflow
from claims.filters import claim_filterset, unknown_parameters
from claims.models import VERDICTS, Claim, Evidence, Quantity, Status, count_per_claim
from claims.pagination import InvalidCursor, KeysetPaginator
from claims.workflow import Step

PAGE_SIZE = 25
DASHBOARD_ROWS = 10
ACTIVITY_ROWS = 15
# Rows changed outside the workflow that the activity groups, newest first.
OUTSIDE_ROWS = 2000
# The claim list's filters for "verdicts awaiting approval".
AWAITING_QUERY = urlencode(
    [
        ("approved", "no"),
        *(("status", status) for status in Status if status in VERDICTS),
    ]
)
# Columns a list row never shows; the source text of an episode can be long.
HEAVY_FIELDS = ("episode__source_text", "search_vector", "quote")
# What a dashboard row of a claim shows (its headline, status, episode and
# show, speaker, who proposed it, its forecast date) and what the approval
# rule reads: the dashboard's two lists compiled and converted every column
# of the claim, its episode, its show and two people (a third of the signed-in
# dashboard's Python).
DASHBOARD_ROW_FIELDS = (
    "text",
    "summary",
    "status",
    "approved_at",
    "verdict_by_id",
    "speaker_id",
    "episode_id",
    "resolves_on",
    "episode__title",
    "episode__slug",
    "episode__show__name",
    "episode__show__slug",
    "speaker__name",
    "speaker__slug",
)


def _dashboard_rows(queryset, *related: str):
    """A claim queryset with what a dashboard row shows (and its evidence
    count), and nothing else; ``related``: one more user it names, by
    username ("verdict_by")."""
    return (
        queryset.select_related("episode__show", "speaker", *related)
        .annotate(evidence_count=count_per_claim(Evidence))
        .only(*DASHBOARD_ROW_FIELDS, *(f"{name}__username" for name in related))
    )


# The dashboard's lists, compiled once per process (claimdesk.prepared): the
# same short lists on every view, whose building and compiling was more of
# the page's time than their rows.
_AWAITING = Prepared(
    lambda: _dashboard_rows(Claim.objects.awaiting_approval(), "verdict_by").order_by(
        "updated_at", "id"
    )[:DASHBOARD_ROWS]
)
_FORECASTS = Prepared(
    lambda reviewer, today: _dashboard_rows(
        Claim.objects.visible_to_role(reviewer=reviewer).forecasts_due(today)
    ).order_by("resolves_on", "id")[:DASHBOARD_ROWS],
    markers={"today": datetime.date(1, 1, 1)},
)
_EVENTS = Prepared(
    lambda: (
        Event.objects.filter(cause__isnull=True)
        .exclude(kind__in=DB_KINDS)
        .select_related("actor")
        .newest_first()[:ACTIVITY_ROWS]
    )
)
_OUTSIDE = Prepared(
    lambda: (
        Event.objects.filter(kind__in=DB_KINDS)
        .order_by("-at", "-id")
        .values_list("txid", "kind", "object_type", "at", "db_user")[:OUTSIDE_ROWS]
    )
)


@functools.cache
def _visible_rows(reviewer: bool):
    """``_list_rows`` of what a reviewer (or anyone else) may see, built once
    per process: each view filters, sorts and slices a copy of it (building
    it, with its joins and subqueries, took about 1 ms a view)."""
    return _list_rows(Claim.objects.visible_to_role(reviewer=reviewer))


def _list_rows(queryset):
    """A claim queryset with everything a list row shows, in two queries.

    Each claim's amounts are a plain list, ``claim.listed_quantities``: as
    the related manager's cache (``claim.quantities.all()``) Django made a
    manager and a filtered queryset per claim to hold them."""
    return (
        queryset.for_list()
        .defer(*HEAVY_FIELDS)
        .prefetch_related(
            Prefetch(
                "quantities",
                queryset=Quantity.objects.order_by("id"),
                to_attr="listed_quantities",
            )
        )
    )


# The dashboard's counts by status read every claim (a million, on a big
# desk): they are counted at most once a minute per process and kept in the
# cache, so a count may lag the desk by up to this long.
COUNTS_SECONDS = 60


def status_counts_of(visible, *, public: bool) -> dict:
    """{status: {"n", "awaiting"}} of ``visible``, from the cache when fresh."""
    key = f"claims:dashboard:counts:{'public' if public else 'desk'}"
    counts = cache.get(key)
    if counts is None:
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
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


@read_only
def dashboard(request: HttpRequest) -> HttpResponse:
    reviewer = is_reviewer(request.user)
    visible = Claim.objects.visible_to(request.user)

    counts = status_counts_of(visible, public=not reviewer)
    status_counts = [
        {"status": status, "label": status.label, "n": counts[status]["n"]}
        for status in Status
        if status in counts
    ]

    awaiting = None
    if reviewer:
        awaiting = _AWAITING.list()
        # The queue says, per claim, whether this user may approve it: the
        # workflow's own rule (four-eyes), not a second copy of it.
        for claim in awaiting:
            claim.refusal = workflow.refusal(Step.APPROVE, claim, request.user)

    forecasts = _FORECASTS.list(reviewer, today=timezone.localdate())

    activity = _activity() if reviewer else _published()

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


def _activity() -> list[dict]:
    """Recent events of the log, newest first. The claims an import logs are
    one line ("imported 11 claims from …"), not one line each; so are the
    rows one statement changed outside the workflow ("changed 500 claims")."""
    events = _EVENTS.list()
    # Changes outside the workflow, one line per transaction, kind and table,
    # from the newest rows only: a script that rewrote a million rows costs
    # this page no more than one that rewrote a thousand.
    outside: dict[tuple, dict] = {}
    for txid, kind, object_type, at, db_user in _OUTSIDE.list():
        group = outside.setdefault(
            (txid, kind, object_type),
            {"kind": kind, "object_type": object_type, "at": at, "rows": 0},
        )
        group["rows"] += 1
        group["db_user"] = db_user
    topics = _topics(events)
    rows = []
    for event in events:
        topic = topics.get((event.topic_type, event.topic_id))
        topic_label = f"{event.topic_type} {event.topic_id}"
        if event.kind == Kind.EPISODE_IMPORTED:
            claims = (event.changes.get("claims") or [None, 0])[1] or 0
            what = f"imported {claims} claim{'s' if claims != 1 else ''} from"
        elif event.kind == Kind.EVIDENCE_IMPORTED:
            links = (event.changes.get("links") or [None, 0])[1] or 0
            claims = (event.changes.get("claims") or [None, 0])[1] or 0
            source = (event.changes.get("file") or [None, ""])[1] or ""
            what = (
                f"imported {links} evidence link{'s' if links != 1 else ''} "
                f"for {claims} claim{'s' if claims != 1 else ''}"
                + (" from" if source else "")
            )
            # The links' claims are many: the import has no one page.
            topic, topic_label = None, source
        elif event.topic_type == "claims.claim":
            what = f"{event.get_kind_display()} on"
        else:
            what = f"{event.get_kind_display()}:"
        status = (event.changes.get("status") or [None, None])[1]
        rows.append(
            {
                "at": event.at,
                "who": event.who,
                "what": what,
                "status": status if status in Status.values else None,
                "status_label": Status(status).label if status in Status.values else "",
                "topic": topic,
                "topic_label": topic_label,
            }
        )
    for group in outside.values():
        verb = {"db.insert": "inserted", "db.update": "changed", "db.delete": "deleted"}
        rows.append(
            {
                "at": group["at"],
                "who": f"database user {group['db_user'] or '?'}",
                "what": f"{verb[group['kind']]} {group['rows']} "
                f"{group['object_type']} row{'s' if group['rows'] != 1 else ''} "
                "outside the workflow",
                "status": None,
                "status_label": "",
                "topic": None,
                "topic_label": "",
            }
        )
    rows.sort(key=lambda row: row["at"], reverse=True)
    return rows[:ACTIVITY_ROWS]


def _topics(events: list[Event]) -> dict[tuple[str, int], object]:
    """The claims, episodes and people the events are about: one query each."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        # An evidence import is on the timeline of who ran it; its line
        # names the file instead.
        if event.kind != Kind.EVIDENCE_IMPORTED:
            wanted.setdefault(event.topic_type, set()).add(event.topic_id)
    found = {}
    for label, ids in wanted.items():
        for obj in _TOPICS.list(label, ids=ids):
            found[(label, obj.pk)] = obj
    return found


def _topic_rows(label: str, ids):
    from django.apps import apps

    rows = apps.get_model(label)._default_manager.filter(pk__any=ids).order_by()
    if label == "claims.claim":
        # A line names a claim by its headline (and links it by id).
        return rows.only("text", "summary")
    if label == "episodes.episode":
        return rows.defer("source_text")
    return rows


_TOPICS = Prepared(_topic_rows, markers={"ids": [-1]}, adapt={"ids": int_array})


def _published() -> list[dict]:
    """For the public: the latest approvals of verdicts that still stand."""
    return [
        {
            "at": claim.approved_at,
            "who": claim.approved_by.get_username(),
            "what": "approved",
            "status": claim.status,
            "status_label": claim.get_status_display(),
            "topic": claim,
            "topic_label": str(claim),
        }
        for claim in _PUBLISHED.list()
    ]


_PUBLISHED = Prepared(
    lambda: (
        Claim.objects.approved()
        .select_related("approved_by")
        .defer(*HEAVY_FIELDS[1:])
        .order_by("-approved_at", "-id")[:ACTIVITY_ROWS]
    )
)


# How long a filter field is kept rendered: a new show appears among the
# show filter's choices within this.
FILTER_FORM_SECONDS = 60
# Fields whose rendering depends on a value from a short list (their
# choices), so that each value's rendering can be kept; a text field's value
# is whatever a visitor typed, so it is drawn afresh unless empty.
_CHOICE_WIDGETS = (forms.Select, forms.CheckboxSelectMultiple, forms.RadioSelect)


def _filter_fields(form, reviewer: bool) -> str:
    """The filter form's fields, each rendered at most once a minute per
    audience and value rather than on every view: the widgets are drawn
    through the form templates option by option (a fifth of a filtered
    list's time at a million claims). A field with an error, or a typed
    value, is drawn afresh."""
    audience = "reviewer" if reviewer else "public"
    # Fields kept for their checks only (limit_to_public): drawn with an error.
    unlisted = getattr(form, "unlisted_fields", frozenset())
    parts = []
    for field in form:
        if field.name in unlisted and not field.errors:
            continue
        value = field.value()
        cacheable = not field.errors and (
            value in (None, "", [], ())
            or isinstance(field.field.widget, _CHOICE_WIDGETS)
        )
        key = None
        if cacheable:
            digest = hashlib.sha256(
                json.dumps(value, default=str, sort_keys=True).encode()
            ).hexdigest()[:32]
            key = f"claims:list:filter-field:{audience}:{field.name}:{digest}"
            html = cache.get(key)
            if html is not None:
                parts.append(html)
                continue
        html = render_to_string("claims/includes/filter_field.html", {"field": field})
        if key:
            cache.set(key, html, FILTER_FORM_SECONDS)
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 (our template's output, escaped there)


@read_only
def claim_list(request: HttpRequest) -> HttpResponse:
    reviewer = is_reviewer(request.user)
    visible = _visible_rows(reviewer)._chain()
    filterset = claim_filterset(request.GET, visible, public=not reviewer)

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
    filter_fields = _filter_fields(filterset.form, reviewer)
    # The downloads take the same filters; the whole list, not a page. Only
    # the filters: they refuse what the list ignores (a tracker's utm_source).
    filters = params.copy()
    for name in unknown_parameters(params, filterset, also=()):
        filters.pop(name)
    export_query = filters.urlencode()
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
            "filter_fields": filter_fields,
            "page": page,
            "is_reviewer": reviewer,
            "cursor_invalid": cursor_invalid,
            "first_url": first_url,
            "next_url": next_url,
            "page_size": PAGE_SIZE,
            "export_query": export_query,
        },
        # The form shows what was wrong; 400 tells clients the query was bad.
        status=200 if valid else 400,
    )
