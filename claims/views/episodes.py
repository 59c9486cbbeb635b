"""Episode pages (the source with each visible claim's passage highlighted)
and person pages (their claims and record). Visibility as on the claim page:
``ClaimQuerySet.visible_to``."""

from __future__ import annotations

import bisect
import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from audit.models import Event
from claimdesk.limits import as_id, validate_search
from claimdesk.methods import read_only
from claimdesk.roles import is_reviewer
from claims.models import VERDICTS, Claim, Status
from claims.views.claim import timestamp
from episodes.models import Episode
from people.models import Person

EPISODES_PER_PAGE = 25
# A person page lists this many claims, newest episodes first; the record
# (counts per verdict) always covers them all.
PERSON_CLAIMS_LIMIT = 100


def _visible_claim_count(user) -> Coalesce:
    claims = (
        Claim.objects.visible_to(user)
        .filter(episode=OuterRef("pk"))
        .order_by()
        .values("episode")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(claims), 0)


def _parse_cursor(value: str) -> tuple[datetime.date | None, int] | None:
    """``2026-05-08.42`` or ``none.42`` (an undated episode) → (date, id)."""
    date_text, _, id_text = value.partition(".")
    if not (id_text.isascii() and id_text.isdigit()):
        return None
    if date_text == "none":
        return None, int(id_text)
    try:
        return datetime.date.fromisoformat(date_text), int(id_text)
    except ValueError:
        return None


@read_only
def episode_list(request: HttpRequest) -> HttpResponse:
    # Newest first, undated last; pages follow on from the last row shown
    # (keyset), so a late page costs what the first one does.
    episodes = (
        Episode.objects.select_related("show")
        .only("title", "slug", "published_on", "show__name")
        .annotate(claim_count=_visible_claim_count(request.user))
        .order_by(F("published_on").desc(nulls_last=True), "-id")
    )
    cursor = _parse_cursor(request.GET.get("after", ""))
    if cursor is not None:
        date, last_id = cursor
        if date is None:
            episodes = episodes.filter(published_on__isnull=True, id__lt=last_id)
        else:
            episodes = episodes.filter(
                Q(published_on__lt=date)
                | Q(published_on=date, id__lt=last_id)
                | Q(published_on__isnull=True)
            )
    page = list(episodes[: EPISODES_PER_PAGE + 1])
    next_cursor = ""
    if len(page) > EPISODES_PER_PAGE:
        page = page[:EPISODES_PER_PAGE]
        last = page[-1]
        date_text = last.published_on.isoformat() if last.published_on else "none"
        next_cursor = f"{date_text}.{last.pk}"
    return render(
        request,
        "claims/episode_list.html",
        {
            "episodes": page,
            "next_cursor": next_cursor,
            "later_page": cursor is not None,
            "is_reviewer": is_reviewer(request.user),
        },
    )


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    claim: Claim
    # The claim's own quote (an anchor other pages link to), or a mention.
    main: bool


def _passages(claims: Iterable[Claim]) -> list[Passage]:
    passages = []
    for claim in claims:
        if claim.quote_start is not None:
            passages.append(Passage(claim.quote_start, claim.quote_end, claim, True))
        for mention in claim.mentions.all():
            passages.append(
                Passage(mention.quote_start, mention.quote_end, claim, False)
            )
    return passages


def highlight_source(source: str, passages: Iterable[Passage]) -> SafeString:
    """The source as HTML, each passage a ``<mark>`` linked to its claim.

    Every piece of source text is escaped on its own. Passages that overlap
    one already placed are left out (claims' own quotes are placed first,
    then mentions): the claims are still listed by speaker on the page.
    """
    placed: list[Passage] = []
    starts: list[int] = []
    ordered = sorted(passages, key=lambda p: (not p.main, p.start, p.end, p.claim.pk))
    for passage in ordered:
        if not 0 <= passage.start < passage.end <= len(source):
            continue
        i = bisect.bisect_left(starts, passage.start)
        if i > 0 and placed[i - 1].end > passage.start:
            continue
        if i < len(placed) and placed[i].start < passage.end:
            continue
        placed.insert(i, passage)
        starts.insert(i, passage.start)
    pieces = []
    position = 0
    for passage in placed:
        pieces.append(escape(source[position : passage.start]))
        pieces.append(
            format_html(
                '<a class="passage" href="{}"{}><mark>{}</mark></a>',
                passage.claim.get_absolute_url(),
                format_html(' id="claim-{}"', passage.claim.pk) if passage.main else "",
                source[passage.start : passage.end],
            )
        )
        position = passage.end
    pieces.append(escape(source[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


@dataclass
class SpeakerGroup:
    speaker: Person | None
    claims: list[Claim] = field(default_factory=list)


def _by_speaker(claims: Iterable[Claim]) -> list[SpeakerGroup]:
    """Claims grouped by speaker, in the order speakers first make a claim;
    claims of no identified speaker last."""
    groups: dict[int | None, SpeakerGroup] = {}
    for claim in claims:
        group = groups.setdefault(claim.speaker_id, SpeakerGroup(claim.speaker))
        group.claims.append(claim)
    return sorted(groups.values(), key=lambda group: group.speaker is None)


# How long a rendered episode body stays in the cache. Any write to one of its
# claims changes the key (their count and latest update), so this only
# bounds how long an unused version takes up room.
EPISODE_BODY_SECONDS = 3600


def by_slug(request: HttpRequest, queryset, slug: str):
    """The row at ``slug``; else a permanent redirect to the page of the row
    that had that address before an edit changed it or a merge folded it
    into another (``Event.objects.now_at``), so old links and published
    references keep working; else 404."""
    found = queryset.filter(slug=slug).first()
    if found is not None:
        return found
    moved = Event.objects.now_at(queryset.model, slug)
    if moved is None:
        raise Http404(f"No {queryset.model._meta.verbose_name} at this address.")
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(
        moved.get_absolute_url() + (f"?{query}" if query else "")
    )
    # Permanent for search engines, but kept by browsers a day only: the old
    # address may be given to another page later.
    response["Cache-Control"] = f"max-age={MOVED_SECONDS}"
    return response


# How long a browser keeps a moved page's redirect.
MOVED_SECONDS = 86_400


@read_only
def episode_detail(request: HttpRequest, slug: str) -> HttpResponse:
    episode = by_slug(request, Episode.objects.select_related("show"), slug)
    if isinstance(episode, HttpResponse):
        return episode
    reviewer = is_reviewer(request.user)
    appearances = list(
        episode.appearances.select_related("person").order_by("role", "person__name")
    )
    visible = Claim.objects.visible_to(request.user).filter(episode=episode)
    # The claims and the highlighted source are the same for every visitor
    # of a kind until a claim changes: rendered once per version (a
    # thousand claims take a second to render), then read from the cache.
    # The speakers' names and addresses are drawn in the body too, and a
    # rename changes no claim: they are part of the version (read by key;
    # joined to the claims, the planner hashed all the people: 2 ms more).
    version = visible.aggregate(
        n=Count("id"),
        last=Max("updated_at"),
        speakers=ArrayAgg("speaker_id", distinct=True, default=Value([])),
    )
    speakers = list(
        Person.objects.filter(pk__any=set(version["speakers"]) - {None})
        .order_by("pk")
        .values_list("pk", "slug", "name")
    )
    key = "claims:episode-body:{}:{}:{}:{}:{}:{}".format(
        episode.pk,
        "desk" if reviewer else "public",
        episode.updated_at.isoformat(),
        version["n"],
        version["last"].isoformat() if version["last"] else "-",
        hashlib.md5(repr(speakers).encode(), usedforsecurity=False).hexdigest(),
    )
    body = cache.get(key)
    if body is None:
        claims = list(
            visible.select_related("speaker")
            .defer("search_vector")
            .prefetch_related("mentions")
            .in_source_order()
        )
        for claim in claims:
            claim.clock = timestamp(claim.timestamp_seconds)
        body = render_to_string(
            "claims/includes/episode_body.html",
            {
                "claims": claims,
                "groups": _by_speaker(claims),
                "source_html": highlight_source(episode.source_text, _passages(claims)),
                "is_reviewer": reviewer,
            },
        )
        cache.set(key, body, EPISODE_BODY_SECONDS)
    return render(
        request,
        "claims/episode_detail.html",
        {
            "episode": episode,
            "appearances": appearances,
            "body": mark_safe(body),  # noqa: S308 (rendered by our own template)
            "is_reviewer": reviewer,
        },
    )


# --- people -------------------------------------------------------------------


PEOPLE_PER_PAGE = 50


def _claims_of(user, role: str) -> Coalesce:
    """How many claims ``user`` may see with the row's person as ``role``."""
    claims = (
        Claim.objects.visible_to(user)
        .filter(**{role: OuterRef("pk")})
        .order_by()
        .values(role)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(claims), 0)


class PeopleFilter(forms.Form):
    q = forms.CharField(
        label="Name",
        required=False,
        strip=True,
        validators=[validate_search],
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)


@read_only
def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone who speaks or is quoted, A to Z, with how many claims of
    theirs the visitor may see. Keyset pages (``after`` = the last id shown),
    so a late page costs what the first does."""
    form = PeopleFilter(request.GET)
    people = Person.objects.none()
    query, last = "", None
    if form.is_valid():
        query = form.cleaned_data["q"]
        people = Person.objects.annotate(sort_name=Lower("name"))
        if query:
            # Accents and curly apostrophes left out on both sides: "zoe"
            # finds "Zoë", "o'neil" finds "O’Neil".
            people = people.filter(
                Q(name__unaccent__icontains=query)
                | Q(aliases__name__unaccent__icontains=query)
            ).distinct()
        last_id = as_id(form.cleaned_data["after"])
        last = Person.objects.filter(pk=last_id).values_list(Lower("name")).first()
        if last is not None:
            people = people.filter(
                Q(sort_name__gt=last[0]) | Q(sort_name=last[0], id__gt=last_id)
            )
        people = people.annotate(
            spoken=_claims_of(request.user, "speaker"),
            made=_claims_of(request.user, "claimant"),
        ).order_by("sort_name", "id")
    page = list(people[: PEOPLE_PER_PAGE + 1])
    next_after = None
    if len(page) > PEOPLE_PER_PAGE:
        page = page[:PEOPLE_PER_PAGE]
        next_after = page[-1].pk
    return render(
        request,
        "claims/person_list.html",
        {
            "form": form,
            "people": page,
            "query": query,
            "next_after": next_after,
            "later_page": last is not None,
            "is_reviewer": is_reviewer(request.user),
        },
        status=200 if form.is_valid() else 400,
    )


@read_only
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = by_slug(request, Person.objects.prefetch_related("aliases"), slug)
    if isinstance(person, HttpResponse):
        return person
    reviewer = is_reviewer(request.user)
    # On their page: the claims they made (in their own words, or
    # reported as theirs by another speaker) and the claims they reported
    # from someone else. Only the first are their record: a speaker who
    # quotes another's wrong figure is not rated for it.
    listed = Claim.objects.visible_to(request.user).filter(
        Q(speaker=person) | Q(claimant=person)
    )
    own = Q(claimant=person) | Q(claimant__isnull=True)
    counts = {
        row["status"]: row
        for row in listed.order_by()
        .values("status")
        .annotate(
            total=Count("id", filter=own),
            published=Count("id", filter=own & Q(approved_at__isnull=False)),
            listed=Count("id"),
        )
    }
    record = [
        {
            "status": status,
            "published": counts[status]["published"],
            "proposed": counts[status]["total"] - counts[status]["published"],
        }
        for status in Status
        if status in VERDICTS and counts.get(status, {}).get("total")
    ]
    open_counts = [
        (status, counts[status]["total"])
        for status in (Status.UNREVIEWED, Status.RESEARCHING)
        if counts.get(status, {}).get("total")
    ]
    total = sum(row["listed"] for row in counts.values())
    claims = list(
        listed.select_related("episode__show", "speaker", "claimant")
        .defer("search_vector", "episode__source_text", "episode__subtitle")
        .order_by(
            F("episode__published_on").desc(nulls_last=True),
            "-episode_id",
            "quote_start",
            "id",
        )[:PERSON_CLAIMS_LIMIT]
    )
    for claim in claims:
        claim.clock = timestamp(claim.timestamp_seconds)
    theirs = {None, person.pk}
    return render(
        request,
        "claims/person_detail.html",
        {
            "person": person,
            "aliases": [alias.name for alias in person.aliases.all()],
            "is_reviewer": reviewer,
            "record": record,
            "open_counts": open_counts,
            "total": total,
            "shown": len(claims),
            "spoken": [
                c
                for c in claims
                if c.speaker_id == person.pk and c.claimant_id in theirs
            ],
            "made": [
                c
                for c in claims
                if c.claimant_id == person.pk and c.speaker_id != person.pk
            ],
            "relayed": [
                c
                for c in claims
                if c.speaker_id == person.pk and c.claimant_id not in theirs
            ],
        },
    )
