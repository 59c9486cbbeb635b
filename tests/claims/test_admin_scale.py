"""The claim list at scale: pages found in two steps (primary keys, then
rows), rows written in one pass with Django's own markup, estimated counts
said as such, and the statistics' bound on a search's matches."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import admin_list_filter, results
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.admin import paginator
from claims.demo_data import generate
from claims.models import Claim
from claims.templatetags.admin_rows import (
    fast_action_fields,
    fast_list_filter,
    fast_result_list,
    fast_rows,
)
from tests.conftest import make_user

CHANGELIST = reverse("admin:claims_claim_changelist")

# The count line of an estimated list ("about 1,280 claims"); claims' own
# texts may say "about" too.
ESTIMATED_COUNT = re.compile(r"\babout \d[\d,]* claims\b")


@pytest.fixture
def generated(db):
    generate(300, seed=3)
    return get_user_model().objects.get(username="bench-editor-1")


def changelist(user, query: str = ""):
    request = RequestFactory().get(CHANGELIST + query)
    request.user = user
    cl = admin.site._registry[Claim].get_changelist_instance(request)
    cl.formset = None  # what changelist_view sets for a list without list_editable
    return cl


def expected_ids(page: int, **filters) -> list[int]:
    """The page as one query with Django's ordering would give it."""
    ordering = admin.site._registry[Claim].ordering
    rows = Claim.objects.filter(**filters).order_by(*ordering)
    return list(rows.values_list("id", flat=True)[page * 50 : page * 50 + 50])


@pytest.mark.parametrize(
    ("query", "page", "filters"),
    [
        # The admin numbers its pages from 1.
        ("", 0, {}),
        ("?p=4", 3, {}),
        ("?status__exact=unreviewed&p=2", 1, {"status": "unreviewed"}),
    ],
)
def test_a_page_has_the_rows_and_order_of_the_single_query(
    generated, query, page, filters
):
    cl = changelist(generated, query)
    assert [claim.pk for claim in cl.result_list] == expected_ids(page, **filters)
    # Each row has what its columns show, joined (no query per row).
    assert all(hasattr(claim, "evidence_count") for claim in cl.result_list)


def test_a_deep_page_costs_the_same_queries_as_the_first_but_one(
    client, generated, django_assert_num_queries
):
    client.force_login(generated)
    client.get(CHANGELIST)  # the shows' and speakers' caches warm
    # session + the user with their roles and permissions (one query) + the
    # table's row estimate + count + the page's ids + the page's rows; on
    # the first page its ids come with the estimate, in one round trip.
    with django_assert_num_queries(5):
        first = client.get(CHANGELIST)
    with django_assert_num_queries(6):
        deep = client.get(CHANGELIST, {"p": 5})
    assert len(first.context["cl"].result_list) == 50
    assert len(deep.context["cl"].result_list) == 50


@pytest.mark.parametrize(
    "query",
    ["", "?status__exact=false", "?o=2.-5", "?q=data+center", "?approved=yes&p=2"],
)
def test_rows_written_in_one_pass_are_djangos_markup(generated, query):
    cl = changelist(generated, query)
    django_rows = ["".join(str(cell) for cell in row) for row in results(cl)]
    fast = ["".join(row) for row in fast_rows(cl)]
    assert fast == django_rows
    assert fast, "the query should list some claims"


def same_markup(html) -> str:
    """``html`` with the template's whitespace between tags dropped."""
    return re.sub(r">\s+<", "><", " ".join(str(html).split()))


@pytest.mark.parametrize(
    "query", ["", "?o=2.-5", "?o=-3", "?q=data+center", "?status__exact=none"]
)
def test_the_results_table_written_in_python_is_djangos(generated, query):
    cl = changelist(generated, query)
    django = Template("{% load admin_list %}{% result_list cl %}").render(
        Context({"cl": cl, "opts": cl.opts})
    )
    fast = fast_result_list(cl)
    assert same_markup(fast) == same_markup(django)
    if query == "?status__exact=none":
        assert fast == ""
    else:
        assert "<tbody><tr>" in same_markup(fast)
    if "o=2.-5" in query:
        assert 'class="sortpriority"' in fast


@pytest.mark.parametrize(
    "query",
    ["", "?status__exact=false", "?approved=awaiting&forecast=due", "?speaker={}"],
)
def test_filters_written_in_python_are_djangos_markup(generated, query):
    speaker = Claim.objects.exclude(speaker=None).values_list("speaker", flat=True)[0]
    cl = changelist(generated, query.format(speaker))
    assert len(cl.filter_specs) >= 5
    for spec in cl.filter_specs:
        django = " ".join(str(admin_list_filter(cl, spec)).split())
        fast = " ".join(str(fast_list_filter(cl, spec)).split())
        assert fast.replace("> <", "><") == django.replace("> <", "><")
        assert 'class="selected"' in fast


def test_action_fields_written_in_python_are_djangos_markup(client, generated):
    client.force_login(generated)
    action_form = client.get(CHANGELIST).context["action_form"]
    django = Template(
        "{% for field in action_form %}{% if field.label %}<label>{{ field.label }} "
        "{{ field }}</label>{% else %}{{ field }}{% endif %}{% endfor %}"
    ).render(Context({"action_form": action_form}))
    fast = str(fast_action_fields(action_form))
    assert " ".join(fast.split()) == " ".join(django.split()).replace("> <", "><")
    assert '<option value="approve">' in fast


@pytest.mark.parametrize(
    ("url", "preserved", "popup", "to_field"),
    [
        ("/admin/claims/claim/add/", "", False, None),
        ("/admin/claims/claim/add/", "_changelist_filters=q%3Da%26b", False, None),
        ("/admin/claims/claim/", "_changelist_filters=status__exact%3Dfalse", 1, "id"),
        ("/admin/claims/claim/?o=2", "_changelist_filters=p%3D2", False, None),
        ("/admin/claims/claim/7/change/", "_changelist_filters=q%3Dx", False, None),
        ("/nowhere/", "_changelist_filters=q%3Dx", False, None),
    ],
)
def test_preserved_filters_are_added_as_djangos_tag_adds_them(
    db, url, preserved, popup, to_field
):
    from django.contrib.admin.templatetags.admin_urls import (
        add_preserved_filters as djangos,
    )

    from claims.templatetags.admin_rows import add_preserved_filters

    context = {"opts": Claim._meta, "preserved_filters": preserved}
    for _ in range(2):  # the second time from the remembered resolve
        assert add_preserved_filters(context, url, popup, to_field) == djangos(
            context, url, popup, to_field
        )


@pytest.mark.parametrize("query", [{}, {"status__exact": "false", "q": "a&b <c>"}])
def test_the_add_link_written_in_python_is_djangos_markup(client, generated, query):
    from claims.templatetags.admin_rows import fast_add_link

    client.force_login(generated)
    response = client.get(CHANGELIST, query)
    context = dict(response.context_data)
    django = Template("{% load admin_list %}{% change_list_object_tools %}").render(
        Context(context)
    )
    fast = str(fast_add_link(Context(context)))
    assert " ".join(fast.split()) == " ".join(django.split()).replace("> <", "><")
    assert 'class="addlink"> Add claim </a>' in fast
    assert fast in response.text
    if query:
        assert "_changelist_filters=" in fast
    # Without the permission to add, no link (as Django's template).
    context["has_add_permission"] = False
    assert str(fast_add_link(Context(context))) == ""


def test_the_one_pass_rows_escape_text_and_keep_the_filters_in_links(client, generated):
    claim = Claim.objects.order_by("id").first()
    Claim.objects.filter(pk=claim.pk).update(text="<b>80×</b> & zanzibar")
    client.force_login(generated)
    response = client.get(CHANGELIST, {"q": "zanzibar", "status__exact": claim.status})
    assert "&lt;b&gt;80×&lt;/b&gt; &amp; zanzibar" in response.text
    assert "<b>80×</b>" not in response.text
    link = reverse("admin:claims_claim_change", args=[claim.pk])
    assert f'href="{link}?_changelist_filters=' in response.text


def test_an_estimated_count_says_about(client, generated, monkeypatch):
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    client.force_login(generated)
    response = client.get(CHANGELIST)
    assert response.context["cl"].paginator.estimated
    assert ESTIMATED_COUNT.search(response.text)
    # The action bar's "select across every page" says it too (Django's
    # says "Select all 1,003,755 claims" of an estimate).
    estimate = response.context["cl"].result_count
    assert re.search(rf"Select all claims \(about {estimate}\)", response.text)
    assert re.search(rf"All claims selected \(about {estimate}\)", response.text)
    assert not re.search(r"Select all \d", response.text)
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 10_000_000)
    response = client.get(CHANGELIST)
    assert not response.context["cl"].paginator.estimated
    assert "300 claims" in response.text
    assert "Select all 300 claims" in response.text
    assert "All 300 selected" in response.text
    assert "(about" not in response.text


def test_a_speakers_list_is_counted_once_without_the_planners_estimate(
    client, generated, monkeypatch
):
    """One speaker's claims are counted in one query bounded by
    ESTIMATE_FROM (no EXPLAIN first); past the bound the list is estimated
    and says "about"."""
    speaker_id, expected = (
        Claim.objects.values_list("speaker_id")
        .annotate(n=Count("*"))
        .order_by("-n", "speaker_id")
        .first()
    )
    client.force_login(generated)
    client.get(CHANGELIST)  # the sidebar's cached shows and speakers
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, {"speaker": speaker_id})
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith("EXPLAIN")]
    counts = [sql for sql in statements if sql.startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "LIMIT 10001" in counts[0]
    assert response.context["cl"].result_count == expected > 1
    assert not response.context["cl"].paginator.estimated
    assert f"{expected} claims" in response.text

    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    response = client.get(CHANGELIST, {"speaker": speaker_id})
    assert response.context["cl"].paginator.estimated
    assert response.context["cl"].result_count >= expected
    assert ESTIMATED_COUNT.search(response.text)


def test_a_page_past_the_real_end_of_an_estimate_shows_the_real_last_page(
    client, generated, monkeypatch
):
    """An estimate above the real count offers page links past the end; the
    page behind such a link shows the real last page, counted exactly."""
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    # The planner's estimate, made ten times too high.
    monkeypatch.setattr(
        paginator, "planned_rows", lambda queryset, read=None: 10 * queryset.count()
    )
    client.force_login(generated)
    query = {"status__exact": "unreviewed"}
    real = Claim.objects.filter(status="unreviewed").count()
    first = client.get(CHANGELIST, query)
    assert first.context["cl"].paginator.estimated
    assert first.context["cl"].paginator.num_pages > (real + 49) // 50
    past = client.get(
        CHANGELIST, {**query, "p": first.context["cl"].paginator.num_pages}
    )
    assert past.status_code == 200
    cl = past.context["cl"]
    last = (real + 49) // 50
    assert cl.page_num == last
    assert [claim.pk for claim in cl.result_list] == expected_ids(
        last - 1, status="unreviewed"
    )
    assert cl.result_count == real and not cl.paginator.estimated
    assert f"{real} claims" in past.text and not ESTIMATED_COUNT.search(past.text)


def test_a_common_search_is_counted_only_up_to_its_cap(client, generated, monkeypatch):
    client.force_login(generated)
    matches = Claim.objects.search("data center").count()
    assert matches >= 4
    cap = matches // 2
    monkeypatch.setattr(paginator, "SEARCH_COUNTED_UP_TO", cap)
    cl = client.get(CHANGELIST, {"q": "data center"}).context["cl"]
    assert cl.paginator.estimated
    assert cl.result_count >= cap + 1
    monkeypatch.setattr(paginator, "SEARCH_COUNTED_UP_TO", 100_000)
    cl = client.get(CHANGELIST, {"q": "data center"}).context["cl"]
    assert not cl.paginator.estimated
    assert cl.result_count == matches


def test_a_search_past_its_id_limit_is_estimated_from_the_bound_alone(
    client, generated, monkeypatch
):
    """More matches than by_id_if_few's limit, and only words match: the
    count is the statistics' bound (above the planner's estimate of the
    same words), with no EXPLAIN. A search that also matches a person's
    name keeps the planner's estimate, which counts that person's claims."""
    from claims.admin import claim as claim_admin
    from claims.models import ClaimQuerySet

    original = ClaimQuerySet.by_id_if_few
    monkeypatch.setattr(
        ClaimQuerySet, "by_id_if_few", lambda qs, limit=2: original(qs, limit)
    )
    # Listed newest first, as a search expected to match very many is.
    monkeypatch.setattr(claim_admin, "RANKED_UP_TO", -1)
    client.force_login(generated)
    speaker = (
        Claim.objects.values_list("speaker__name")
        .annotate(n=Count("*"))
        .order_by("-n", "speaker__name")
        .first()[0]
    )
    for words, named in [("data center", False), (speaker, True)]:
        matches = Claim.objects.search(words)
        assert matches.names_matched is named
        assert matches.count() > 2, words
        with CaptureQueriesContext(connection) as captured:
            cl = client.get(CHANGELIST, {"q": words}).context["cl"]
        explained = [
            q["sql"] for q in captured.captured_queries if "EXPLAIN" in q["sql"]
        ]
        assert bool(explained) is named, words
        assert cl.paginator.estimated
        bound = Claim.objects.matches_at_most(words)
        assert cl.result_count >= max(bound, 3)
        if not named:
            assert cl.result_count == bound >= matches.count()


def test_the_statistics_bound_a_search_of_several_words_from_above(generated):
    # generate() analyses the tables it fills, as ANALYZE or autovacuum would.
    for words in ("data center", "revenue", "data or battery", "battery -data"):
        matches = Claim.objects.filter(search_vector=_query(words)).count()
        assert Claim.objects.matches_at_most(words) >= matches, words
    # A word nobody said is rarer than every common word.
    assert Claim.objects.matches_at_most("zebra") <= Claim.objects.matches_at_most(
        "data"
    )
    # An OR matches at most both; an AND at most the rarer.
    both = Claim.objects.matches_at_most("data or battery")
    assert both >= Claim.objects.matches_at_most("data")
    assert Claim.objects.matches_at_most("data battery") <= min(
        Claim.objects.matches_at_most("data"), Claim.objects.matches_at_most("battery")
    )


def _query(words: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(words, search_type="websearch", config="claimdesk_english")


def _newest(qs):
    from claims.filters import sort_claims

    return [claim.pk for claim in sort_claims(qs, "newest")]


def test_a_search_with_few_matches_is_listed_from_its_ids(generated):
    found = Claim.objects.search("data center")
    expected = list(
        found.order_by(*admin.site._registry[Claim].ordering).values_list(
            "id", flat=True
        )
    )
    narrowed = found.by_id_if_few(limit=len(expected))
    assert not narrowed._walk_index
    assert 'claims_claim"."id" = ANY(' in str(narrowed.query)
    ordered = narrowed.order_by(*admin.site._registry[Claim].ordering)
    assert list(ordered.values_list("id", flat=True)) == expected
    # No match at all: no rows, and no query for them.
    assert list(Claim.objects.search("zanzibar").by_id_if_few()) == []


def test_a_search_with_many_matches_walks_the_index_with_the_planner_hinted(
    generated,
):
    found = Claim.objects.search("data center")
    matches = found.count()
    walked = found.by_id_if_few(limit=matches - 1)
    assert walked._walk_index
    ordering = admin.site._registry[Claim].ordering
    plain = list(found.order_by(*ordering).values_list("id", flat=True)[:50])
    # The ids query (values_list keeps the hint too), between the settings
    # (in a savepoint here: the test runs inside a transaction).
    with CaptureQueriesContext(connection) as queries:
        hinted = list(walked.order_by(*ordering).values_list("id", flat=True)[:50])
    assert hinted == plain
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    assert len(sql) == 3
    assert sql[0].startswith("SET LOCAL enable_bitmapscan TO off")
    assert sql[1].startswith('SELECT "claims_claim"."id"')
    assert sql[2].startswith("SET LOCAL enable_bitmapscan TO on")
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"


def test_the_public_list_gives_the_same_claims_either_way(client, generated):
    from claims.models import ClaimQuerySet

    def listed(limit):
        original = ClaimQuerySet.by_id_if_few
        ClaimQuerySet.by_id_if_few = lambda qs, limit=limit: original(qs, limit)
        try:
            response = client.get("/claims/", {"q": "data center"})
        finally:
            ClaimQuerySet.by_id_if_few = original
        assert response.status_code == 200
        return [claim.pk for claim in response.context["page"].rows]

    few, many = listed(100_000), listed(1)
    assert few == many
    assert few


def test_the_claim_list_has_no_navigation_sidebar_and_other_pages_keep_it(
    client, generated
):
    client.force_login(generated)
    assert 'id="nav-sidebar"' not in client.get(CHANGELIST).text
    assert 'class="breadcrumbs"' in client.get(CHANGELIST).text
    other = client.get(reverse("admin:episodes_episode_changelist")).text
    assert 'id="nav-sidebar"' in other


def test_a_page_past_an_estimate_below_the_real_count_is_listed(
    client, generated, monkeypatch
):
    """An estimate below the real count: a page past its end (typed, or a
    link from before the list grew) is counted exactly and listed, not
    refused with Django's "?e=1"."""
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    # The planner's estimate, made half the real count.
    monkeypatch.setattr(
        paginator, "planned_rows", lambda queryset, read=None: queryset.count() // 2
    )
    client.force_login(generated)
    query = {"status__exact": "unreviewed"}
    real = Claim.objects.filter(status="unreviewed").count()
    last = (real + 49) // 50
    assert (real // 2 + 49) // 50 < last, "the estimate should end a page early"
    first = client.get(CHANGELIST, query).context["cl"]
    assert first.paginator.estimated and first.paginator.num_pages < last
    response = client.get(CHANGELIST, {**query, "p": last})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.page_num == last
    assert [claim.pk for claim in cl.result_list] == expected_ids(
        last - 1, status="unreviewed"
    )
    assert cl.result_count == real and not cl.paginator.estimated
    assert f"{real} claims" in response.text
    assert not ESTIMATED_COUNT.search(response.text)
    # A page past the real end is the real last page, the filter kept
    # (Django's "?e=1" redirected to the whole list: found by a new user).
    response = client.get(CHANGELIST, {**query, "p": last + 1})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.page_num == last and cl.params == {"status__exact": "unreviewed"}
    assert [claim.pk for claim in cl.result_list] == expected_ids(
        last - 1, status="unreviewed"
    )


def test_the_last_page_of_an_estimate_below_the_real_count_is_whole_and_leads_on(
    client, generated, monkeypatch
):
    """The last page of an estimate held only the estimate's remainder of
    rows (Django ends the last page at the count) and offered no next page:
    the rows past the estimate could only be reached by typing a page."""
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(
        paginator, "planned_rows", lambda queryset, read=None: queryset.count() // 2
    )
    client.force_login(generated)
    query = {"status__exact": "unreviewed"}
    real = Claim.objects.filter(status="unreviewed").count()
    estimated_pages = (real // 2 + 49) // 50
    response = client.get(CHANGELIST, {**query, "p": estimated_pages})
    cl = response.context["cl"]
    assert [claim.pk for claim in cl.result_list] == expected_ids(
        estimated_pages - 1, status="unreviewed"
    )
    assert len(cl.result_list) == 50
    assert f"p={estimated_pages + 1}" in response.text  # the next page is linked


def test_a_page_far_past_an_estimate_is_its_last_page_without_counting(
    client, generated, monkeypatch
):
    # A page number far past the end is the estimate's last page (its rows
    # exist here), one before the first is the first: no COUNT of the whole
    # table, and the filter kept (Django's "?e=1" dropped it).
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(paginator, "planned_rows", lambda queryset, read=None: 60)
    client.force_login(generated)
    query = {"status__exact": "unreviewed"}

    def listed(page):
        cl = client.get(CHANGELIST, {**query, "p": page}).context["cl"]
        return cl.page_num, [claim.pk for claim in cl.result_list]

    linked = {page: listed(page) for page in (1, 2)}  # as the page links show
    for page, shown in ((999_999_999, 2), (-1, 1), (0, 1)):
        with CaptureQueriesContext(connection) as queries:
            assert listed(page) == linked[shown]
        # No count of the list (the rows' own evidence counts are per row).
        assert not any(
            q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries
        )


def test_a_readers_search_walks_the_published_claims_only(generated):
    """The walk of a reader's search (many matches, newest first) reads
    claim_published_newest_idx: only claims a reader may see, in the list's
    order, so a page of matches is found among a fifth of the claims."""
    from django.contrib.auth.models import AnonymousUser

    from claims.filters import sort_claims

    found = Claim.objects.visible_to(AnonymousUser()).search("percent")
    matches = found.count()
    assert matches > 1
    walked = sort_claims(found.by_id_if_few(limit=matches - 1), "newest")
    assert walked._walk_index
    expected = list(sort_claims(found, "newest").values_list("id", flat=True)[:25])
    with CaptureQueriesContext(connection) as queries:
        assert list(walked.values_list("id", flat=True)[:25]) == expected
    settings, select = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("SET LOCAL enable_bitmapscan TO off", "SELECT"))
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(settings)
        cursor.execute("EXPLAIN " + select)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_published_newest_idx" in plan, plan


def test_a_lists_actions_are_worked_out_once_a_view_and_per_user(
    client, generated, monkeypatch
):
    """Django asks for the actions three times a view; they are worked out
    once, kept on that request only: the next user's view has their own."""
    calls = []
    original = admin.ModelAdmin._filter_actions_by_permissions

    def counted(self, request, actions):
        calls.append(request.user.username)
        return original(self, request, actions)

    monkeypatch.setattr(admin.ModelAdmin, "_filter_actions_by_permissions", counted)
    client.force_login(generated)
    editor_choices = dict(
        client.get(CHANGELIST).context["action_form"].fields["action"].choices
    )
    assert calls == [generated.username]
    assert "approve" in editor_choices
    reviewer = make_user("rita-the-reviewer", "Reviewer")
    client.force_login(reviewer)
    reviewer_choices = dict(
        client.get(CHANGELIST).context["action_form"].fields["action"].choices
    )
    assert calls == [generated.username, reviewer.username]
    assert "approve" not in reviewer_choices


def test_counted_up_to_a_limit_as_djangos_count_of_the_slice(
    generated, django_assert_num_queries
):
    speaker = Claim.objects.exclude(speaker=None).values_list("speaker", flat=True)[0]
    querysets = [
        Claim.objects.all(),
        Claim.objects.filter(speaker_id=speaker),
        Claim.objects.filter(status="unreviewed", speaker_id=speaker),
        Claim.objects.search("data center"),
        Claim.objects.search("zanzibar"),
        Claim.objects.none(),
        Claim.objects.filter(pk__in=[]),
        Claim.objects.filter(pk=99999999999999999999),  # past the largest bigint
    ]
    for queryset in querysets:
        for limit in (1, 3, 100_000):
            djangos = queryset.values("pk").order_by()[:limit].count()
            assert paginator.count_up_to(queryset, limit) == djangos
    with django_assert_num_queries(1):
        assert paginator.count_up_to(Claim.objects.all(), 10) == 10


@pytest.mark.parametrize(
    ("query", "filters", "estimated"),
    [
        ({}, {}, True),  # the table's row estimate
        ({}, {}, False),  # the estimate, then the exact count
        ({"status__exact": "unreviewed"}, {"status": "unreviewed"}, True),  # EXPLAIN
        ({"status__exact": "unreviewed"}, {"status": "unreviewed"}, False),
        ({"speaker": None}, {"speaker_id": None}, False),  # counted up to a bound
    ],
)
def test_the_first_pages_ids_come_with_the_count_and_are_the_same(
    client, generated, monkeypatch, query, filters, estimated
):
    if "speaker" in query:
        speaker = (
            Claim.objects.values_list("speaker_id")
            .annotate(n=Count("*"))
            .order_by("-n", "speaker_id")
            .first()[0]
        )
        query, filters = {"speaker": speaker}, {"speaker_id": speaker}
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1 if estimated else 10_000_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    client.force_login(generated)
    client.get(CHANGELIST)  # the sidebar's caches warm
    for page in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CHANGELIST, {**query, "p": page})
        cl = response.context["cl"]
        assert [c.pk for c in cl.result_list] == expected_ids(page - 1, **filters)
        assert cl.paginator.estimated is (estimated and "speaker" not in query)
        together = [
            q["sql"]
            for q in captured.captured_queries
            if '; SELECT "claims_claim"."id"' in q["sql"]
        ]
        # Only the first page's ids are read with the count.
        assert len(together) == (1 if page == 1 else 0), together


def test_a_list_that_fits_on_its_first_page_is_read_from_its_ids(
    client, generated, django_assert_num_queries
):
    speaker, status = (
        Claim.objects.exclude(speaker=None)
        .values_list("speaker_id", "status")
        .annotate(n=Count("*"))
        .order_by("n", "speaker_id", "status")
        .first()[:2]
    )
    expected = expected_ids(0, speaker_id=speaker, status=status)
    assert 0 < len(expected) < 50
    query = {"speaker": speaker, "status__exact": status}
    client.force_login(generated)
    client.get(CHANGELIST, query)  # the sidebar's caches warm
    # session + user + the count with the ids + the rows.
    with django_assert_num_queries(4):
        response = client.get(CHANGELIST, query)
    assert [c.pk for c in response.context["cl"].result_list] == expected


def test_a_search_walked_in_index_order_is_not_read_with_its_count(
    client, generated, monkeypatch
):
    from claims.admin import claim as claim_admin
    from claims.models import ClaimQuerySet

    original = ClaimQuerySet.by_id_if_few
    monkeypatch.setattr(
        ClaimQuerySet, "by_id_if_few", lambda qs, limit=2: original(qs, limit)
    )
    monkeypatch.setattr(claim_admin, "RANKED_UP_TO", -1)
    client.force_login(generated)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, {"q": "data center"})
    assert not [q for q in captured.captured_queries if "; SELECT" in q["sql"]]
    ordering = admin.site._registry[Claim].ordering
    expected = list(
        Claim.objects.search("data center")
        .order_by(*ordering)
        .values_list("id", flat=True)[:50]
    )
    assert [c.pk for c in response.context["cl"].result_list] == expected


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "data center"},
        {"q": 'a "b" <c> & d', "status__exact": "unreviewed"},
        {"status__exact": "unreviewed", "p": "2"},
        {"status__exact": "nothing-matches-this"},
        {"speaker": "1"},
        {"_facets": "1", "q": "growth"},
    ],
)
def test_search_form_and_pagination_written_in_python_are_djangos_markup(
    client, generated, query
):
    from claims.templatetags.admin_rows import fast_pagination, fast_search_form

    client.force_login(generated)
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    context = dict(response.context_data)

    def same(ours, djangos):
        tidy = " ".join(djangos.split()).replace("> <", "><")
        assert " ".join(str(ours).split()).replace("> <", "><") == tidy

    same(
        fast_search_form(context["cl"]),
        Template("{% load admin_list %}{% search_form cl %}").render(Context(context)),
    )
    same(
        fast_pagination(context["cl"]),
        Template("{% load admin_list %}{% pagination cl %}").render(Context(context)),
    )
    assert str(fast_pagination(context["cl"])) in response.text
    assert 'id="changelist-search"' in response.text


def test_pagination_says_about_for_an_estimate_and_links_pages(
    client, generated, monkeypatch
):
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    client.force_login(generated)
    response = client.get(CHANGELIST, {"p": "2"})
    text = response.text
    assert ESTIMATED_COUNT.search(text)
    # The search form's count too.
    count = response.context["cl"].result_count
    assert f'<span class="small quiet">about {count} results' in text
    assert '<span class="this-page">2</span>' in text
    assert 'href="?p=1"' in text and 'class="end"' in text


@pytest.mark.parametrize("page", ["1", "01", "+1", " 1", "x"])
def test_every_spelling_of_the_first_page_reads_its_ids_with_the_count(
    client, generated, page
):
    """?p= read as Django's ChangeList reads it: all of these are page 1."""
    client.force_login(generated)
    client.get(CHANGELIST)  # the sidebar's caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, {"status__exact": "unreviewed", "p": page})
    assert response.context["cl"].page_num == 1
    assert [c.pk for c in response.context["cl"].result_list] == expected_ids(
        0, status="unreviewed"
    )
    assert [q for q in captured.captured_queries if "; SELECT" in q["sql"]]


def test_a_list_of_exactly_one_page_is_read_from_its_first_ids(
    client, generated, django_assert_num_queries
):
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    Claim.objects.filter(claim_type="causal").update(claim_type="other")
    Claim.objects.filter(pk__in=ids[:50]).update(claim_type="causal")
    client.force_login(generated)
    query = {"claim_type__exact": "causal"}
    client.get(CHANGELIST, query)
    # session + user + the estimate (EXPLAIN) with the first page's ids +
    # the exact count (an estimate this small is counted) + the rows.
    with django_assert_num_queries(5):
        response = client.get(CHANGELIST, query)
    assert [c.pk for c in response.context["cl"].result_list] == expected_ids(
        0, claim_type="causal"
    )
    assert len(response.context["cl"].result_list) == 50


def test_taking_an_action_out_of_the_list_changes_nothing_for_the_next_caller(rf, db):
    from claims.admin.claim import ClaimAdmin

    request = rf.get(CHANGELIST)
    request.user = get_user_model().objects.create_superuser("root", "", "x")
    model_admin = admin.site._registry[Claim]
    assert isinstance(model_admin, ClaimAdmin)
    first = model_admin.get_actions(request)
    name = next(iter(first))
    del first[name]
    assert name in model_admin.get_actions(request)


def test_a_filtered_searchs_estimate_is_the_filters_share_of_the_bound(
    client, generated, monkeypatch
):
    """Found by a new user: a search filtered to 4,743 claims said "about
    12,085 claims" (the words' bound over the whole table), with empty pages
    past the real end. Filtered, the bound is scaled to the filters' share."""
    from claims.admin import claim as claim_admin
    from claims.models import ClaimQuerySet

    words, status = "data center", "unreviewed"
    real = Claim.objects.filter(status=status).search(words).count()
    assert real >= 2
    # More matches than by_id_if_few's limit: the count is the estimate.
    original = ClaimQuerySet.by_id_if_few
    monkeypatch.setattr(
        ClaimQuerySet, "by_id_if_few", lambda qs, limit=real - 1: original(qs, limit)
    )
    monkeypatch.setattr(claim_admin, "RANKED_UP_TO", -1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    client.force_login(generated)
    bound, rows = Claim.objects.search_statistics(words)
    share = paginator.planned_rows(Claim.objects.filter(status=status)) / rows
    assert share < 0.8  # a filter that narrows the table
    cl = client.get(CHANGELIST, {"q": words, "status__exact": status}).context["cl"]
    assert cl.paginator.estimated
    assert cl.result_count == max(round(bound * share), real) < bound
    # Unfiltered, the bound itself, with no estimate of filters.
    cl = client.get(CHANGELIST, {"q": words}).context["cl"]
    assert cl.result_count == bound


def test_within_filters_keeps_to_the_filters_rows_and_the_bound(generated):
    everything = Claim.objects.all()
    assert paginator.within_filters(everything, 120, 300) == 120
    none = Claim.objects.filter(pk__in=[-1])
    assert paginator.within_filters(none, 120, 300) <= 1
    some = Claim.objects.filter(status="unreviewed")
    planned = paginator.planned_rows(some)
    assert paginator.within_filters(some, 10_000, 300) == planned
    assert paginator.within_filters(some, 120, 0) == min(120, planned)


@pytest.mark.parametrize(("real", "estimate"), [(130, 100), (100, 100)])
def test_a_full_last_page_of_an_estimate_offers_the_next_page(
    client, generated, monkeypatch, real, estimate
):
    """Found by a new user: with the table's estimate below its rows, the
    oldest claims had no page link. A full last page of an estimate links
    one page more; past the real end (an estimate that was exact), that
    page is the real last page, not an error."""
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    Claim.objects.filter(claim_type="causal").update(claim_type="other")
    Claim.objects.filter(pk__in=ids[:real]).update(claim_type="causal")
    query = {"claim_type__exact": "causal"}
    pages = estimate // 50
    monkeypatch.setattr(paginator, "ESTIMATE_FROM", 1)
    monkeypatch.setattr(paginator, "planned_rows", lambda queryset, read=None: estimate)
    client.force_login(generated)
    last = client.get(CHANGELIST, {**query, "p": pages})
    cl = last.context["cl"]
    assert cl.paginator.estimated and len(cl.result_list) == 50
    assert f'href="?claim_type__exact=causal&amp;p={pages + 1}"' in last.text
    following = client.get(CHANGELIST, {**query, "p": pages + 1})
    assert following.status_code == 200
    cl = following.context["cl"]
    shown = (real + 49) // 50
    assert cl.page_num == shown and cl.result_count == real
    assert [c.pk for c in cl.result_list] == expected_ids(
        shown - 1, claim_type="causal"
    )
    assert f'<span class="this-page">{shown}</span>' in following.text
