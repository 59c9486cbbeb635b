"""Claims, their quantities, evidence, reviewer notes and status history.

Every change of a claim's state goes through ``claims.workflow``; the models
hold data and the database-level rules (check constraints here, triggers in
``claims/dbrules.py``) that no caller can bypass.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse

from claimdesk.instances import QuickLoading
from claimdesk.lookups import IntArray  # also registers ``__any``
from claimdesk.planner import planner_without
from claimdesk.roles import is_reviewer
from claimdesk.weblinks import HTTP_URL_REGEX
from claims.dbrules import SEARCH_CONFIG
from claims.extraction.types import ClaimType, QuantityKind
from episodes.models import Episode
from people.models import Person, PersonAlias


class Status(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    RESEARCHING = "researching", "Researching"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    NOT_CHECKABLE = "not_checkable", "Not checkable"


# Verdicts: decisions that end research. Each needs a rationale note and an
# editor's approval (four-eyes) before it counts as published.
VERDICTS = frozenset(
    {
        Status.VERIFIED,
        Status.DISPUTED,
        Status.FALSE,
        Status.MISLEADING,
        Status.UNVERIFIABLE,
        Status.NOT_CHECKABLE,
    }
)
# A published claim: an approved verdict, what readers see. Statuses sorted:
# the same SQL in every process (a set's order varies), so that the partial
# indexes below with this condition are implied by ``approved()``'s filter.
PUBLISHED = Q(status__in=sorted(VERDICTS), approved_at__isnull=False)


def list_order_key(*leading):
    """The lists' newest-first key (newest episode first, then the order the
    claims were said), after ``leading`` columns: the key of the indexes
    that the lists walk (``sort_claims``' "newest", the admin's ordering)."""
    return (
        *leading,
        F("episode_date").desc(),
        F("episode_id").desc(),
        Coalesce("quote_start", 0),
        "id",
    )


# Verdicts that stand on sources: they need at least one evidence link.
VERDICTS_NEEDING_EVIDENCE = frozenset(
    {Status.VERIFIED, Status.DISPUTED, Status.FALSE, Status.MISLEADING}
)


# How the demo's sample review (claims/demo.py) starts its rationale; pages
# label such a claim as a demo review.
DEMO_REVIEW_LABEL = "Demo review:"

# A headline; search engines cut ``claimReviewed`` at about 75 characters.
SUMMARY_MAX_LENGTH = 200
SUMMARY_ADVISED_LENGTH = 75


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


def count_per_claim(model: type[models.Model]):
    """The number of ``model`` rows (evidence, notes) of each claim: a
    correlated subquery rather than JOIN + GROUP BY, so that a page's count
    query drops it, an export's chunk need not aggregate every claim first,
    and each row costs one index lookup."""
    rows = (
        model.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


# websearch_to_tsquery reads each "-" of a row ("--x", "- - x", "-(-x")
# as one more NOT around the word, and PostgreSQL refuses a query nested 32
# deep ("tsquery stack too small": a 500 for a search of 33 dashes). Such a
# run counts by parity: a run that starts where a word may start, with only
# what websearch skips between its dashes (spaces and ! & | ( ) <). Any
# other character between them ("-.-x") makes a word of what follows, and a
# dash inside a word ("well--known") is no negation: both are left alone.
_NEGATIONS = re.compile(r"(?<![^\s!&|()<])-(?:[\s!&|()<]*-)+")


def search_text(value: str) -> str:
    """A search as websearch_to_tsquery is given it: spaces collapsed, each
    run of negations one "-" or none."""
    value = _NEGATIONS.sub(
        lambda run: "-" if run.group().count("-") % 2 else " ", " ".join(value.split())
    )
    return " ".join(value.split())


# The people whose name or one of whose aliases looks like the search
# (pg_trgm's ``%``, through each name's trigram index), at most 200 of each:
# what ClaimQuerySet.search's Person and PersonAlias querysets compiled to.
# Without accents on either side ("Zoe Muller" finds Zoë Müller), through the
# trigram indexes on claimdesk_unaccent(name) (people migration 0007).
_PEOPLE_NAMED = f"""
    (SELECT id FROM {Person._meta.db_table}
      WHERE claimdesk_unaccent(name) %% claimdesk_unaccent(%s)
      ORDER BY name LIMIT 200)
    UNION
    (SELECT person_id FROM {PersonAlias._meta.db_table}
      WHERE claimdesk_unaccent(name) %% claimdesk_unaccent(%s) LIMIT 200)
"""  # noqa: S608 (table names from the models)


class ClaimQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read by walking the list order's index, not a bitmap of the
        # search's matches (by_id_if_few).
        self._walk_index = False
        # Whether a search (``search``) also matches people's names: its
        # matches are then more than its words' (``matches_at_most``).
        self._names_matched = False
        # How many rows this query is known to match more than (by_id_if_few).
        self._more_than = 0

    @property
    def has_many_matches(self) -> bool:
        """Known, from by_id_if_few, to match more than its limit."""
        return self._walk_index

    @property
    def names_matched(self) -> bool:
        """A search (``search``) that also matched people's names."""
        return self._names_matched

    @property
    def more_than(self) -> int:
        """How many rows this query is known to match more than (0 if
        nothing is known; by_id_if_few's limit once it found more)."""
        return self._more_than

    def _clone(self):
        clone = super()._clone()
        clone._walk_index = self._walk_index
        clone._names_matched = self._names_matched
        clone._more_than = self._more_than
        return clone

    def _fetch_all(self):
        # Only an ordered query is walked (a page's rows fetched by id are not).
        if not (self._walk_index and self.ordered) or self._result_cache is not None:
            return super()._fetch_all()
        # For this one query: no bitmap of the matches and no sort, which
        # leaves the walk of the list order's index (by_id_if_few).
        with planner_without("enable_bitmapscan", "enable_sort", using=self.db):
            # The rows only; related rows are prefetched after, as usual.
            self._result_cache = list(self._iterable_class(self))
        return super()._fetch_all()

    def for_list(self) -> ClaimQuerySet:
        """Everything a list row shows, in one query: joins and evidence count."""
        return self.select_related("episode__show", "speaker", "claimant").annotate(
            evidence_count=count_per_claim(Evidence)
        )

    def for_admin_rows(self) -> ClaimQuerySet:
        """What a row of the admin's claim list shows, for a page of rows
        chosen by id: the claim's shown columns, and its speaker's name, its
        episode's title and date and its show's name as ``speaker_name``,
        ``episode_title``, ``episode_published_on``, ``show_name``.

        Each related value is a lookup by primary key per row, not a join:
        for 50 rows the planner hashed the whole people and episode tables
        (1.7 ms of SQL and 3.3 ms with the objects at a million claims; this
        1.2 and 2.6 ms)."""
        # Unordered: one row each (the models' default order would add a
        # sort per lookup).
        episode = Episode.objects.filter(pk=OuterRef("episode_id")).order_by()
        person = Person.objects.filter(pk=OuterRef("speaker_id")).order_by()
        return self.only(
            "text", "status", "approved_at", "speaker_id", "episode_id"
        ).annotate(
            evidence_count=count_per_claim(Evidence),
            speaker_name=Subquery(person.values("name")),
            episode_title=Subquery(episode.values("title")),
            episode_published_on=Subquery(episode.values("published_on")),
            show_name=Subquery(episode.values("show__name")),
        )

    def visible_to(self, user) -> ClaimQuerySet:
        """What ``user`` may see: everything for reviewers and editors, only
        approved (published) verdicts for everyone else."""
        return self.visible_to_role(reviewer=is_reviewer(user))

    def visible_to_role(self, *, reviewer: bool) -> ClaimQuerySet:
        """``visible_to`` a reviewer or editor (``reviewer``), or anyone else."""
        return self if reviewer else self.approved()

    def awaiting_approval(self) -> ClaimQuerySet:
        return self.filter(status__in=VERDICTS, approved_at__isnull=True)

    def forecasts_due(self, today: datetime.date) -> ClaimQuerySet:
        """Forecasts whose stated period has ended: time to check them."""
        return self.filter(resolves_on__lte=today)

    def approved(self) -> ClaimQuerySet:
        return self.filter(PUBLISHED)

    def search(self, value: str) -> ClaimQuerySet:
        """Full text over the claim's text, summary and quote, ranked
        (``search_rank``), plus the claims of people whose name or alias
        looks like ``value`` (typos in names). The list page and the admin
        search alike."""
        if not value.strip():
            return self
        # Negations that cancel out ("--") leave no word to match: searched
        # as a lone "-" is, which matches none.
        value = search_text(value) or "-"
        query = SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG)
        # Two small id lists, each from a pg_trgm GIN index (`%` operator).
        # Kept apart rather than Person JOIN alias with OR across the two
        # tables, which no index can serve.
        # Read them first (one UNION query, a handful of ids): as literal lists the
        # planner can OR a bitmap scan of the search GIN index with the
        # speaker/claimant btrees; as sub-queries it falls back to reading
        # every claim.
        # Through the names' trigram indexes: on 5,000 people the planner
        # prefers to compute the similarity of every name (11 ms) to the
        # index (0.3 ms); it does not know what the operator costs.
        # Written as SQL, not built by the ORM: compiling the UNION of two
        # querysets was 0.5 ms of each search's Python (for four lines).
        with (
            planner_without("enable_seqscan", using=self.db),
            connections[self.db].cursor() as cursor,
        ):
            cursor.execute(_PEOPLE_NAMED, [value, value])
            people = {pk for (pk,) in cursor.fetchall()}
        named = Q(speaker_id__in=people) | Q(claimant_id__in=people)
        # ts_rank returns a float4, which psycopg reads from its shortest
        # decimal text: not the same number once sent back in a page cursor.
        # As float8 it round-trips exactly, so "rank < cursor's rank" holds.
        rank = Cast(SearchRank(F("search_vector"), query), FloatField())
        found = self.filter(Q(search_vector=query) | named).annotate(search_rank=rank)
        found._names_matched = bool(people)
        return found

    def matches_at_most(self, value: str) -> int:
        """``search_statistics(value)``'s bound alone."""
        return self.search_statistics(value)[0]

    def search_statistics(self, value: str) -> tuple[int, int]:
        """An upper bound, from the table's statistics, of how many claims the
        full-text part of ``search(value)`` matches, in one cheap query.

        The planner multiplies the frequencies of the words of an AND query
        as if they were independent: "data center" (two words that come
        together) was expected to match 2,905 claims and matched 55,467. No
        AND query matches more claims than its least frequent word, and
        ANALYZE keeps each frequent word's share (``most_common_elems``);
        a word not among them is rarer than all of them. An OR query
        matches at most the sum. Without statistics yet (a table never
        analysed), the bound is the table's size. With it, the table's row
        estimate (``reltuples``), which the same query reads.
        """
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                """
                SELECT websearch_to_tsquery(%s, %s)::text,
                       s.most_common_elems::text::text[],
                       s.most_common_elem_freqs,
                       greatest(c.reltuples, 0)::bigint
                  FROM pg_class c
                  LEFT JOIN pg_stats s
                    ON s.schemaname = current_schema()
                   AND s.tablename = c.relname AND s.attname = 'search_vector'
                 WHERE c.oid = %s::regclass
                """,
                [SEARCH_CONFIG, search_text(value), self.model._meta.db_table],
            )
            query, words, freqs, rows = cursor.fetchone()
        if not words:
            return rows, rows
        share = dict(zip(words, freqs, strict=False))
        floor = freqs[len(words)]  # the least frequent of the common words
        # Each word of the query, unless negated ("-word" → !'word').
        found = re.findall(r"(!?)\s*'((?:[^']|'')*)'", query)
        shares = [share.get(w.replace("''", "'"), floor) for neg, w in found if not neg]
        if not shares:
            return rows, rows
        bound = sum(shares) if "|" in query else min(shares)
        return min(rows, round(bound * rows)), rows

    def by_id_if_few(self, limit: int = 2_000) -> ClaimQuerySet:
        """This query as a list of at most ``limit`` ids, if it matches no
        more; otherwise unchanged (one query reads at most ``limit`` + 1 ids).

        For a search listed in an index's order (newest first): the planner
        walks the index and tests each claim against the search, which
        finds a common word's first 50 matches within a few hundred claims,
        but walks all million for two common words that are seldom said
        together ("launch deal": expected 602 matches, found none, 0.8 s).
        With the matches in hand as ids, the page is a sort of at most
        ``limit`` rows; with more than ``limit`` matches, the walk meets
        one in every 500 claims or more often (for a million claims).
        """
        # From the search's GIN bitmap (with the filters' bitmaps), never by
        # walking another index and testing every claim it reaches: for
        # "doubled", expected in 6,596 published claims and found in none,
        # the planner walked all 199,565 published ones (255 ms).
        # The ids come back as the text of one array, counted by the database:
        # read as 2,001 rows, each through Django's row iteration, they cost
        # more Python than the rest of the page's rows.
        matches = self.order_by().values_list("pk", flat=True)[: limit + 1]
        sql, params = matches.query.get_compiler(using=self.db).as_sql()
        with (
            planner_without("enable_indexscan", "enable_seqscan", using=self.db),
            connections[self.db].cursor() as cursor,
        ):
            # Django's own SQL of the query, its values bound as parameters.
            counted = f"SELECT count(*), coalesce(array_agg(id)::text, '{{}}') FROM ({sql}) AS matches (id)"  # noqa: S608, E501
            cursor.execute(counted, params)
            found, ids = cursor.fetchone()
        if found <= limit:
            return self.filter(pk__any=IntArray(ids))
        # Many matches: walk the index. Left to itself, the planner may still
        # expect few (it multiplies the words' frequencies, and "data center"
        # came out 20 times too low) and sort them all instead: 11,094
        # published matches sorted, 120 ms.
        walked = self._chain()
        walked._walk_index = True
        walked._more_than = limit
        return walked

    def in_source_order(self) -> ClaimQuerySet:
        return self.order_by("quote_start", "id")


class Claim(QuickLoading, models.Model):
    # No single-column index on episode, speaker, claimant or assignee: the
    # Meta's composite indexes lead with each (a second copy would only cost
    # every write and every bulk load).
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="claims_spoken",
        null=True,
        blank=True,
        db_index=False,
    )
    claimant = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="claims_made",
        null=True,
        blank=True,
        db_index=False,
        help_text="Who originally made the claim, when the speaker reports "
        "someone else's words.",
    )
    text = models.TextField(help_text="The claim in one sentence.")
    # What the published check rates, in a line (schema.org ``claimReviewed``):
    # a reader's headline, written by a reviewer. Never the verdict.
    summary = models.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text="What is being checked, in under 75 characters where possible "
        "(the public headline). Never the verdict.",
    )
    quote = models.TextField(help_text="The verbatim passage from the source.")
    # Offsets of `quote` in episode.source_text, as Python string indices
    # (code points), end exclusive. A trigger checks they point at the quote.
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    timestamp_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the quote starts in the recording."
    )
    claim_type = models.CharField(
        max_length=20, choices=ClaimType.choices, default=ClaimType.OTHER
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNREVIEWED, editable=False
    )
    checkworthiness = models.FloatField(
        null=True, blank=True, help_text="0 (not worth checking) to 1 (check first)."
    )
    # What raised the score, in words a reviewer reads ("a percentage", …).
    checkworthiness_reasons = models.JSONField(default=list, blank=True)
    # For forecasts: the end of the stated period, when it can be re-checked.
    resolves_on = models.DateField(
        null=True, blank=True, help_text="When a forecast can be checked."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="claims_assigned",
        null=True,
        blank=True,
        db_index=False,
    )
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verdicts_proposed",
        null=True,
        blank=True,
        editable=False,
    )
    rationale = models.TextField(blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verdicts_approved",
        null=True,
        blank=True,
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The episode's date (0001-01-01 when it has none), copied here and kept
    # current by triggers, so "newest first" lists walk one index instead of
    # sorting every matching row through a join.
    episode_date = models.DateField(default=datetime.date(1, 1, 1), editable=False)
    # Kept current by a database trigger from text and summary (weight A)
    # and quote (B); the claim list's full-text search ranks on it.
    search_vector = SearchVectorField(null=True, editable=False)
    # Bumped by every write to the row; forms send the version they loaded
    # and a mismatch is a conflict, never a silent overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Any write to the row: a note, an assignment, a check-worthiness score
    # move it too. The desk's "recently updated"; readers never see it.
    updated_at = models.DateTimeField(auto_now=True)
    # When what readers see of a published claim last changed: its approval,
    # a later change of a column its page shows, an evidence link added or
    # removed. Null while unpublished. Kept by a database trigger
    # (claims.dbrules, "published_changes") and, for evidence, by the
    # workflow (``touch``); readers get it as ``updated_at`` (the API, the
    # exports) and as the ClaimReview's ``dateModified``.
    published_changed_at = models.DateTimeField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["episode_id", "quote_start", "id"]
        indexes = [
            models.Index(
                fields=["episode", "quote_start"], name="claim_episode_pos_idx"
            ),
            models.Index(fields=["status", "-updated_at"], name="claim_status_idx"),
            models.Index(fields=["claim_type"], name="claim_type_idx"),
            # A speaker's claims in the lists' order (claim_newest_idx's key
            # after the speaker): the admin list filtered by speaker reads
            # its page's 50 entries from the index alone, where the single-
            # column index fetched and sorted all of the speaker's claims
            # (349: 1.9 ms). It also serves the foreign key.
            models.Index(
                *list_order_key(F("speaker")),
                name="claim_speaker_idx",
                include=["quote_start"],
            ),
            models.Index(fields=["claimant"], name="claim_claimant_idx"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_idx"),
            models.Index(fields=["approved_at"], name="claim_approved_idx"),
            models.Index(
                fields=["resolves_on"],
                name="claim_resolves_on_idx",
                condition=Q(resolves_on__isnull=False),
            ),
            GinIndex(fields=["search_vector"], name="claim_search_idx"),
            # The same for published claims only: what an anonymous search
            # reads (``approved()``). A fifth of the claims; without it a
            # public search intersects its matches with 200,000 published
            # ids and rechecks the unpublished matches on the heap
            # (docs/performance.md). Imports never touch it: new claims are
            # unreviewed.
            GinIndex(
                fields=["search_vector"],
                name="claim_published_search_idx",
                # Exactly ``approved()``, so that its filters are implied by
                # the index and never intersected with another index.
                condition=PUBLISHED,
            ),
            # The lists' "newest episode first" order (keyset pages, admin).
            # quote_start rides along (INCLUDE) so that a page found by
            # walking the index reads the index alone (an index-only scan):
            # an expression's column must be in the index for that. Page 500
            # of the admin list walks 25,000 entries: 8.7 ms reading each
            # row's heap page, 3.8 ms without.
            models.Index(
                *list_order_key(),
                name="claim_newest_idx",
                include=["quote_start"],
            ),
            # The same order over published verdicts only (a fifth of the
            # claims), for what readers see: a reader's search walks it
            # until a page of matches is found, reading only claims a
            # reader may see. Over claim_newest_idx a search matching one
            # published claim in 90 read 2,250 rows for 25 (22 ms); here
            # 470 (1 ms).
            models.Index(
                *list_order_key(),
                name="claim_published_newest_idx",
                include=["quote_start"],
                condition=PUBLISHED,
            ),
            # The claim list's "recently updated" order (keyset pages).
            models.Index(fields=["-updated_at", "-id"], name="claim_updated_idx"),
            # The latest change readers see, over every published claim: the
            # ClaimReview feed's dateModified (one index entry per published
            # claim; null while unpublished).
            models.Index(
                models.OrderBy(models.F("published_changed_at"), descending=True),
                name="claim_published_changed_idx",
                condition=Q(published_changed_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="claims_claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(claim_type__in=ClaimType.values),
                name="claims_claim_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(checkworthiness__isnull=True)
                | Q(checkworthiness__gte=0, checkworthiness__lte=1),
                name="claims_claim_checkworthiness_0_1",
            ),
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True, quote_end__isnull=True)
                | Q(
                    quote_start__isnull=False,
                    quote_end__isnull=False,
                    quote_end__gt=F("quote_start"),
                ),
                name="claims_claim_offsets_ordered",
            ),
            # Approval only of a verdict, and always with its approver.
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(
                    approved_at__isnull=False,
                    approved_by__isnull=False,
                    status__in=sorted(VERDICTS),
                ),
                name="claims_claim_approval_of_verdict",
            ),
            # Four-eyes, also in the database: nobody approves their own verdict.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("verdict_by")),
                name="claims_claim_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(text__regex=r"\S"), name="claims_claim_text_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self) -> str:
        return reverse("claims:claim_detail", args=[self.pk])

    @property
    def headline(self) -> str:
        """What readers see as the claim: its summary, else its text."""
        return self.summary or self.text

    @property
    def is_demo_review(self) -> bool:
        return self.rationale.startswith(DEMO_REVIEW_LABEL)

    @property
    def is_verdict(self) -> bool:
        return self.status in VERDICTS

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def quote_context(self, chars: int = 300) -> tuple[str, str, str]:
        """(before, quote, after): the quote with some source text either side."""
        if self.quote_start is None:
            return "", self.quote, ""
        source = self.episode.source_text
        before = source[max(0, self.quote_start - chars) : self.quote_start]
        after = source[self.quote_end : self.quote_end + chars]
        # Start and end on whole words.
        if self.quote_start > chars and " " in before:
            before = before[before.index(" ") + 1 :]
        if self.quote_end + chars < len(source) and " " in after:
            after = after[: after.rindex(" ")]
        return before, source[self.quote_start : self.quote_end], after


class Mention(QuickLoading, models.Model):
    """Another place the same claim is made in the episode's source.

    A summary page's bullet often restates a quote; a speaker may repeat a
    figure. The claim keeps its main quote; each other passage is a mention,
    with offsets the database checks like the claim's.
    """

    # Indexed by mention_claim_idx (claim, quote_start).
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    quote = models.TextField()
    quote_start = models.PositiveIntegerField()
    quote_end = models.PositiveIntegerField()
    timestamp_seconds = models.PositiveIntegerField(null=True, blank=True)

    # The log shows its changes on its claim's timeline.
    audit_timeline = "claim"

    class Meta:
        ordering = ["quote_start", "id"]
        indexes = [
            models.Index(fields=["claim", "quote_start"], name="mention_claim_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote_end__gt=F("quote_start")),
                name="claims_mention_offsets_ordered",
            ),
            models.UniqueConstraint(
                fields=["claim", "quote_start", "quote_end"],
                name="mention_unique_place",
            ),
        ]

    def __str__(self) -> str:
        return self.quote if len(self.quote) <= 60 else self.quote[:59] + "…"


class Quantity(QuickLoading, models.Model):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="quantities"
    )
    kind = models.CharField(max_length=20, choices=QuantityKind.choices)
    low = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    high = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)
    unit = models.CharField(
        max_length=20, blank=True, help_text="USD, %, x, W, s, … (empty for counts)."
    )
    approx = models.BooleanField(default=False, help_text="Stated as about/roughly.")
    text = models.CharField(max_length=300, help_text="As written in the quote.")

    # The log shows its changes on its claim's timeline.
    audit_timeline = "claim"

    class Meta:
        verbose_name_plural = "quantities"
        indexes = [models.Index(fields=["kind", "claim"], name="quantity_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuantityKind.values),
                name="claims_quantity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True)
                | Q(high__isnull=True)
                | Q(low__lte=F("high")),
                name="claims_quantity_low_le_high",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class Evidence(QuickLoading, models.Model):
    # Indexed by evidence_claim_idx (claim, stance).
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="evidence", db_index=False
    )
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    excerpt = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evidence_added",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    # The log shows its changes on its claim's timeline.
    audit_timeline = "claim"

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["claim", "stance"], name="evidence_claim_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__regex=HTTP_URL_REGEX), name="claims_evidence_http_url"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values),
                name="claims_evidence_stance_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def added_by_name(self) -> str:
        """Who added the link, as the API names users (their username)."""
        return self.added_by.get_username()


class ReviewNote(QuickLoading, models.Model):
    """A reviewer's note. Append-only: a trigger refuses UPDATE and DELETE."""

    # Indexed by note_claim_idx (claim, created_at).
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="notes", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_notes"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    # The log shows its changes on its claim's timeline.
    audit_timeline = "claim"

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="note_claim_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__regex=r"\S"), name="claims_reviewnote_body_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.body if len(self.body) <= 60 else self.body[:59] + "…"
