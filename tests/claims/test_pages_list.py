"""The dashboard (/) and the claim list (/claims/): who sees what, filters,
search, sort orders, keyset pages, bad input, and pinned query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.extraction.types import QuantityData
from claims.models import Claim, ClaimType, QuantityKind
from episodes.models import Show
from people.models import Person, PersonAlias
from tests.conftest import add_evidence, make_claim, make_episode

LIST = reverse("claims:claim_list")
DASHBOARD = reverse("claims:dashboard")


def publish(claim: Claim, reviewer, editor, verdict: str = "verified") -> Claim:
    """Research, evidence, a proposed verdict and an editor's approval."""
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict=verdict, note="Matches the filing.", actor=reviewer
    )
    return workflow.claim_approve(claim=claim, actor=editor)


def propose(claim: Claim, reviewer, verdict: str = "verified") -> Claim:
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    return workflow.claim_set_verdict(
        claim=claim, verdict=verdict, note="Private rationale.", actor=reviewer
    )


def row_ids(response) -> list[int]:
    assert response.context["page"] is not None, response.context["form"].errors
    return [claim.pk for claim in response.context["page"].rows]


# --- who sees what --------------------------------------------------------------


@pytest.fixture
def mixed(episode, speaker, reviewer, editor):
    """One published verdict, one unreviewed draft, one proposed verdict."""
    published = publish(
        make_claim(episode, "80 times growth", text="Published growth claim"),
        reviewer,
        editor,
    )
    draft = make_claim(episode, "10 times as big", text="Draft sizing claim")
    proposed = propose(
        make_claim(
            episode, "5 to $6,000,000,000", text="Proposed cost claim", speaker=speaker
        ),
        reviewer,
    )
    return published, draft, proposed


@pytest.mark.parametrize("url", [DASHBOARD, LIST])
def test_anonymous_sees_only_approved_claims(client, mixed, url):
    published, draft, proposed = mixed
    html = client.get(url).content.decode()
    assert published.text in html
    assert draft.text not in html
    assert proposed.text not in html
    # Nor the rationale of the proposed verdict, nor the word for its state.
    assert "Private rationale" not in html
    assert "awaiting approval" not in html


def test_signed_in_user_without_a_role_sees_only_approved_claims(
    client, mixed, outsider
):
    published, draft, proposed = mixed
    client.force_login(outsider)
    html = client.get(LIST).content.decode()
    assert published.text in html
    assert draft.text not in html
    assert proposed.text not in html


def test_reviewer_sees_drafts_and_unapproved_verdicts_marked_as_such(
    client, mixed, reviewer
):
    published, draft, proposed = mixed
    client.force_login(reviewer)
    response = client.get(LIST)
    assert set(row_ids(response)) == {published.pk, draft.pk, proposed.pk}
    assert "awaiting approval" in response.content.decode()


def test_reviewer_dashboard_lists_verdicts_awaiting_approval_with_links(
    client, mixed, reviewer
):
    published, draft, proposed = mixed
    client.force_login(reviewer)
    response = client.get(DASHBOARD)
    assert [claim.pk for claim in response.context["awaiting"]] == [proposed.pk]
    assert f'href="{proposed.get_absolute_url()}"' in response.content.decode()
    assert response.context["awaiting_total"] == 1


def test_dashboard_activity_names_a_claim_by_its_headline(
    client, episode, reviewer, editor
):
    """The public headline on every page is the summary (README)."""
    claim = make_claim(episode, summary="Anthropic's growth, in a line")
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Matches.", actor=reviewer
    )
    workflow.claim_approve(claim=claim, actor=editor)
    for who in (None, reviewer):
        if who:
            client.force_login(who)
        page = client.get(DASHBOARD).content.decode()
        link = f'<a href="{claim.get_absolute_url()}">'
        assert f"{link}Anthropic&#x27;s growth, in a line</a>" in page
        assert f"{link}{claim.text}</a>" not in page


def test_dashboard_counts_claims_by_status_within_what_the_visitor_may_see(
    client, mixed, reviewer
):
    counts = {
        row["status"]: row["n"]
        for row in client.get(DASHBOARD).context["status_counts"]
    }
    assert counts == {"verified": 1}
    client.force_login(reviewer)
    counts = {
        row["status"]: row["n"]
        for row in client.get(DASHBOARD).context["status_counts"]
    }
    assert counts == {"verified": 2, "unreviewed": 1}


def test_dashboard_counts_are_counted_at_most_once_a_minute(
    client, mixed, reviewer, editor, django_assert_num_queries
):
    published, draft, proposed = mixed
    client.get(DASHBOARD)  # counted, and cached for a minute
    with django_assert_num_queries(2):  # the forecasts and the activity
        response = client.get(DASHBOARD)
    assert "Counts may be up to a minute old." in response.content.decode()
    workflow.claim_approve(claim=proposed, actor=editor)
    counts = {
        r["status"]: r["n"] for r in client.get(DASHBOARD).context["status_counts"]
    }
    assert counts == {"verified": 1}  # not yet
    cache.clear()  # a minute later
    counts = {
        r["status"]: r["n"] for r in client.get(DASHBOARD).context["status_counts"]
    }
    assert counts == {"verified": 2}


def test_anonymous_activity_shows_only_approvals_of_standing_verdicts(
    client, mixed, reviewer, editor
):
    published, draft, proposed = mixed
    reopened = publish(
        make_claim(published.episode, "Intro line", text="Reopened intro claim"),
        reviewer,
        editor,
    )
    workflow.claim_reopen(claim=reopened, actor=editor, note="New figures came out.")
    activity = client.get(DASHBOARD).context["activity"]
    assert [(row["topic"].pk, row["what"]) for row in activity] == [
        (published.pk, "approved")
    ]


def test_dashboard_lists_forecasts_due_for_a_recheck(client, episode, reviewer):
    today = timezone.localdate()
    due = make_claim(
        episode, "80 times growth", text="Growth will go on", resolves_on=today
    )
    make_claim(
        episode,
        "10 times as big",
        text="Later forecast",
        resolves_on=today + datetime.timedelta(days=30),
    )
    client.force_login(reviewer)
    response = client.get(DASHBOARD)
    assert [claim.pk for claim in response.context["forecasts"]] == [due.pk]
    assert f'href="{due.get_absolute_url()}"' in response.content.decode()


# --- filters and search ---------------------------------------------------------

SOURCE_B = (
    "Welcome back.\n"
    "Subscriptions will double next year, and growth stays high.\n"
    "Our churn was 4 percent last quarter.\n"
)


@pytest.fixture
def catalogue(show, speaker, reviewer, editor):
    """Three claims across two shows and two episodes; returned by name."""
    alex = Person.objects.create(name="Alex Kantrowitz", slug="alex-kantrowitz")
    PersonAlias.objects.create(person=alex, name="Alexander Kantrowitz")
    other_show = Show.objects.create(name="Margins", slug="margins")
    ep_a = make_episode(show, slug="ep-a", published_on="2026-05-08")
    ep_b = make_episode(other_show, SOURCE_B, slug="ep-b", published_on="2026-01-15")
    growth = make_claim(
        ep_a,
        "80 times growth",
        text="Usage grew eightyfold",
        speaker=speaker,
        claim_type=ClaimType.STATISTIC,
        checkworthiness=0.2,
        quantities=(QuantityData(kind=QuantityKind.MULTIPLIER, text="80 times"),),
    )
    growth = publish(growth, reviewer, editor)
    cost = make_claim(
        ep_a,
        "5 to $6,000,000,000 data center",
        text="The data center cost billions",
        claimant=alex,
        claim_type=ClaimType.FINANCIAL,
        quantities=(
            QuantityData(
                kind=QuantityKind.MONEY,
                text="5 to $6,000,000,000",
                low=Decimal(5e9),
                high=Decimal(6e9),
                unit="USD",
            ),
        ),
    )
    subs = make_claim(
        ep_b,
        "Subscriptions will double next year, and growth stays high",
        text="Revenue will double next year",
        speaker=alex,
        claim_type=ClaimType.FORECAST,
        checkworthiness=0.9,
    )
    workflow.claim_start_research(claim=subs, actor=reviewer)
    add_evidence(subs, reviewer)
    return {"growth": growth, "cost": cost, "subs": subs}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=verified", {"growth"}),
        ("status=unreviewed&status=researching", {"cost", "subs"}),
        ("claim_type=financial", {"cost"}),
        ("show=margins", {"subs"}),
        ("episode=ep-a", {"growth", "cost"}),
        ("speaker=ranjan-roy", {"growth"}),
        ("approved=yes", {"growth"}),
        ("approved=no", {"cost", "subs"}),
        ("has_evidence=yes", {"growth", "subs"}),
        ("has_evidence=no", {"cost"}),
        ("quantity_kind=money", {"cost"}),
        ("quantity_kind=multiplier", {"growth"}),
        ("quantity_kind=percent", set()),
        ("published_after=2026-03-01", {"growth", "cost"}),
        ("published_before=2026-03-01", {"subs"}),
        ("published_after=2026-01-15&published_before=2026-01-15", {"subs"}),
        ("show=big-technology&has_evidence=yes", {"growth"}),
    ],
)
def test_each_filter_narrows_the_list(client, catalogue, reviewer, query, expected):
    client.force_login(reviewer)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(row_ids(response)) == {catalogue[name].pk for name in expected}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # A word of the quote only (the claim text says "Revenue"), stemmed.
        ("subscription", {"subs"}),
        # Websearch syntax: a quoted phrase and a negated word.
        ('"data center" -revenue', {"cost"}),
        # A misspelt speaker name: trigram similarity on Person.name.
        ("Ranjn Roy", {"growth"}),
        # A misspelt alias, matching a claimant and a speaker.
        ("Alexandr Kantrowitz", {"cost", "subs"}),
    ],
)
def test_search_finds_claims_by_text_quote_and_similar_names(
    client, catalogue, reviewer, q, expected
):
    client.force_login(reviewer)
    response = client.get(LIST, {"q": q})
    assert set(row_ids(response)) == {catalogue[name].pk for name in expected}


@pytest.mark.parametrize("q", ["'\"\\%%", "!!! & | <->", "the", "a"])
def test_search_with_punctuation_or_stop_words_is_not_an_error(
    client, catalogue, reviewer, q
):
    client.force_login(reviewer)
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert row_ids(response) == []


def test_anonymous_search_never_reaches_unapproved_claims(client, catalogue):
    assert row_ids(client.get(LIST, {"q": "Alexandr Kantrowitz"})) == []
    assert row_ids(client.get(LIST, {"q": "Ranjn Roy"})) == [catalogue["growth"].pk]


# --- sort orders ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        # Newest episode first, then in the order the claims were said.
        ("", ["cost", "growth", "subs"]),
        ("newest", ["cost", "growth", "subs"]),
        # Unscored claims last.
        ("checkworthy", ["subs", "growth", "cost"]),
        # Relevance without a search falls back to the default order.
        ("relevance", ["cost", "growth", "subs"]),
    ],
)
def test_sort_orders(client, catalogue, reviewer, order, expected):
    client.force_login(reviewer)
    response = client.get(LIST, {"order": order})
    assert row_ids(response) == [catalogue[name].pk for name in expected]


def test_recently_updated_order_puts_the_last_touched_claim_first(
    client, catalogue, reviewer
):
    add_evidence(catalogue["cost"], reviewer)
    client.force_login(reviewer)
    ids = row_ids(client.get(LIST, {"order": "updated"}))
    assert ids[0] == catalogue["cost"].pk


def test_relevance_ranks_a_match_in_the_claim_text_above_one_in_the_quote(
    client, catalogue, reviewer
):
    # "growth": in the text and quote of one claim (weights A and B), only in
    # the quote of another, which is in an older episode; make it newer.
    late = make_episode(
        catalogue["growth"].episode.show,
        SOURCE_B,
        slug="ep-late",
        published_on="2026-09-01",
    )
    echo = make_claim(
        late,
        "Subscriptions will double next year, and growth stays high",
        text="Subscribers will double",
    )
    client.force_login(reviewer)
    growth = make_claim(
        catalogue["growth"].episode, "Intro line", text="Growth of the growth line"
    )
    newest = row_ids(client.get(LIST, {"q": "growth"}))
    assert newest[0] == echo.pk
    ranked = row_ids(client.get(LIST, {"q": "growth", "order": "relevance"}))
    assert ranked[0] == growth.pk


# --- keyset pages ---------------------------------------------------------------


def long_source(n: int) -> str:
    return "".join(f"Sentence {i} says revenue grew {i} percent.\n" for i in range(n))


def make_many(
    show, count: int, per_episode: int = 20, dates=None, **extra
) -> list[Claim]:
    """``count`` claims over episodes of ``per_episode`` claims each."""
    claims = []
    episodes = -(-count // per_episode)
    dates = dates or [f"2026-0{1 + e % 9}-1{e % 10}" for e in range(episodes)]
    for e in range(episodes):
        source = long_source(per_episode)
        ep = make_episode(show, source, slug=f"many-{e}", published_on=dates[e])
        for i in range(min(per_episode, count - len(claims))):
            claims.append(
                make_claim(
                    ep,
                    f"Sentence {i} says revenue grew {i} percent",
                    text=f"Revenue grew {i} percent in episode {e}",
                    checkworthiness=[None, 0.5, 0.9][i % 3],
                    quantities=(
                        QuantityData(
                            kind=QuantityKind.PERCENT,
                            text=f"{i} percent",
                            low=Decimal(i),
                            high=Decimal(i),
                            unit="%",
                        ),
                    ),
                    **extra,
                )
            )
    return claims


def walk(client, params: dict) -> list[list[int]]:
    """Follow the Next links from the first page; the ids of every page."""
    pages = []
    response = client.get(LIST, params)
    while True:
        assert response.status_code == 200
        pages.append(row_ids(response))
        next_url = response.context["next_url"]
        if next_url is None:
            return pages
        assert len(pages) < 10, "the pages never end"
        response = client.get(next_url)
        assert response.context["cursor_invalid"] is False


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"order": "checkworthy"},
        {"order": "updated"},
        {"q": "revenue", "order": "relevance"},
        {"status": "unreviewed", "order": "newest"},
    ],
)
def test_keyset_pages_return_each_claim_exactly_once(client, show, reviewer, params):
    # Two of the three episodes share a date: ties on every sort key but id.
    claims = make_many(show, 60, dates=["2026-03-01", "2026-03-01", "2026-02-01"])
    client.force_login(reviewer)
    pages = walk(client, params)
    assert [len(page) for page in pages] == [25, 25, 10]
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(claim.pk for claim in claims)


def test_next_link_keeps_every_filter_and_adds_a_cursor(client, show, reviewer):
    make_many(show, 30)
    client.force_login(reviewer)
    response = client.get(LIST, {"status": "unreviewed", "q": "revenue"})
    query = parse_qs(urlsplit(response.context["next_url"]).query)
    assert query["status"] == ["unreviewed"]
    assert query["q"] == ["revenue"]
    assert len(query["cursor"]) == 1
    second = client.get(response.context["next_url"])
    assert 'href="/claims/?status=unreviewed&amp;q=revenue">First page' in (
        second.content.decode()
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cursor: cursor[:-3] + "abc",
        lambda cursor: "x" + cursor,
        lambda cursor: "not-a-cursor",
        lambda cursor: "\x00\xff",
        lambda cursor: "",
    ],
)
def test_a_tampered_cursor_shows_the_first_page(client, show, reviewer, tamper):
    make_many(show, 30)
    client.force_login(reviewer)
    first = client.get(LIST)
    cursor = parse_qs(urlsplit(first.context["next_url"]).query)["cursor"][0]
    response = client.get(LIST, {"cursor": tamper(cursor)})
    assert response.status_code == 200
    assert row_ids(response) == row_ids(first)


def test_a_cursor_from_another_sort_order_shows_the_first_page(client, show, reviewer):
    make_many(show, 30)
    client.force_login(reviewer)
    cursor = parse_qs(urlsplit(client.get(LIST).context["next_url"]).query)["cursor"]
    response = client.get(LIST, {"order": "updated", "cursor": cursor[0]})
    assert response.status_code == 200
    assert response.context["cursor_invalid"] is True
    assert "first page again" in response.content.decode()
    assert row_ids(response) == row_ids(client.get(LIST, {"order": "updated"}))


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("published_after=2026-13-45", "published_after", "Enter a valid date."),
        ("published_before=yesterday", "published_before", "Enter a valid date."),
        ("status=bogus", "status", "Select a valid choice."),
        ("order=nonsense", "order", "Select a valid choice."),
        ("claim_type=rumour", "claim_type", "Select a valid choice."),
        ("quantity_kind=volume", "quantity_kind", "Select a valid choice."),
        ("approved=maybe", "approved", "Select a valid choice."),
        ("has_evidence=2", "has_evidence", "Select a valid choice."),
        ("show=no-such-show", "show", "Select a valid choice."),
        ("episode=no+such+slug%21", "episode", "No episode has the slug"),
        ("speaker=nobody", "speaker", "No person has the slug"),
        ("q=" + "x" * 201, "q", "keep it to 200 or fewer"),
        # PostgreSQL text cannot hold NUL; the form refuses it before the query.
        ("episode=%00", "episode", "Null characters are not allowed."),
        ("q=a%00b", "q", "Null characters are not allowed."),
    ],
)
def test_an_invalid_filter_value_shows_a_form_error_not_a_500(
    client, catalogue, reviewer, query, field, message
):
    client.force_login(reviewer)
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert response.context["page"] is None


def test_anonymous_visitors_cannot_filter_by_draft_statuses(client, catalogue):
    response = client.get(LIST, {"status": "unreviewed"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    assert catalogue["cost"].text not in response.content.decode()


# --- accessibility basics --------------------------------------------------------


def test_list_page_has_one_h1_and_every_control_labelled(client, catalogue, reviewer):
    client.force_login(reviewer)
    form = client.get(LIST).context["form"]
    html = client.get(LIST).content.decode()
    assert html.count("<h1") == 1
    assert 'id="results-heading"' in html
    assert 'method="get"' in html
    assert " style=" not in html
    assert "<script" not in html
    for field in form:
        if field.name == "status":
            assert "<legend" in html
            continue
        assert f'<label for="{field.id_for_label}"' in html


# --- query counts ---------------------------------------------------------------


def make_published(show, reviewer, editor, count: int) -> None:
    """``count`` approved claims with speakers, quantities and evidence, plus a
    draft and a proposed verdict for reviewers to see."""
    speaker = Person.objects.create(name="Ranjan Roy", slug="ranjan-roy")
    claims = make_many(
        show,
        count + 2,
        per_episode=8,
        speaker=speaker,
        # Every one a forecast due: the dashboard lists them all (up to 10).
        resolves_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    for claim in claims[:count]:
        publish(claim, reviewer, editor)
    propose(claims[count], reviewer)


# Anonymous /: one GROUP BY for the counts by status, the forecasts due, the
# recent approvals. No session or user query without a session cookie.
ANONYMOUS_DASHBOARD = 3
# Reviewer /: session, the user with their groups (one query; the role
# check's answer cached on the user), the counts, the verdicts awaiting
# approval, the forecasts due, the recent events of the log, the claims
# those events are about (one query per kind of object: here only claims),
# and the newest rows changed outside the workflow (grouped into a line per
# statement).
REVIEWER_DASHBOARD = 8
# Anonymous /claims/: one page of claims (episode, show, speaker, claimant and
# approver joined, evidence counted in a subquery), their quantities
# (prefetch), and the shows for the filter's select.
ANONYMOUS_LIST = 3
# Reviewer /claims/: session, the user with their groups, then the three above.
REVIEWER_LIST = 5


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(
    ("url", "who", "queries"),
    [
        (DASHBOARD, None, ANONYMOUS_DASHBOARD),
        (DASHBOARD, "reviewer", REVIEWER_DASHBOARD),
        (LIST, None, ANONYMOUS_LIST),
        (LIST, "reviewer", REVIEWER_LIST),
    ],
)
def test_query_count_stays_flat_as_claims_grow(
    client, show, reviewer, editor, django_assert_num_queries, count, url, who, queries
):
    make_published(show, reviewer, editor, count)
    if who:
        client.force_login(reviewer)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if url == LIST:
        assert len(row_ids(response)) == min(count + (2 if who else 0), 25)


def test_query_count_of_a_later_page_is_the_same_as_the_first(
    client, show, reviewer, editor, django_assert_num_queries
):
    make_published(show, reviewer, editor, 30)
    next_url = client.get(LIST).context["next_url"]
    # The first page rendered the filter form, kept for a minute: a later
    # page does not read the shows for its select again.
    with django_assert_num_queries(ANONYMOUS_LIST - 1):
        response = client.get(next_url)
    assert len(row_ids(response)) == 5
    cache.clear()
    with django_assert_num_queries(ANONYMOUS_LIST):
        client.get(next_url)


@pytest.mark.parametrize("order", ["checkworthy", "updated"])
def test_public_cannot_sort_by_internal_fields(client, order, db):
    # Check-worthiness is internal; "recently updated" would reveal reviewers'
    # work on a published claim.
    response = client.get("/claims/", {"order": order})
    assert response.status_code == 400


def test_reviewer_activity_shows_an_import_as_one_line_beside_the_review_work(
    client, editor, reviewer
):
    from pathlib import Path

    from claims.ingest import import_episode

    sample = next((Path(__file__).parents[2] / "seeds").glob("big-technology-*.txt"))
    result = import_episode(sample.read_bytes(), name=sample.name, actor=editor)
    episode = result.episode
    count = episode.claims.count()
    claim = episode.claims.order_by("id").first()
    workflow.claim_start_research(claim=claim, actor=reviewer)
    client.force_login(reviewer)
    activity = client.get(DASHBOARD).context["activity"]
    # Newest first: the research, then the import as one line, not one line
    # per imported claim.
    assert [(row["who"], row["what"]) for row in activity] == [
        ("rita", "started research on"),
        ("edna", f"imported {count} claims from"),
    ]
    assert activity[1]["topic"] == episode
    text = client.get(DASHBOARD).text
    assert f"imported {count} claims from" in text
    assert f'href="{episode.get_absolute_url()}"' in text


def test_rows_changed_outside_the_workflow_are_one_activity_line(
    client, episode, reviewer
):
    claims = [make_claim(episode, text=f"Claim {i}") for i in range(3)]
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(claim_type="causal")
    client.force_login(reviewer)
    activity = client.get(DASHBOARD).context["activity"]
    outside = [row for row in activity if "outside the workflow" in row["what"]]
    # The fixtures' show and episode were made with the ORM too: a line each.
    assert [row["what"] for row in outside] == [
        "changed 3 claims.claim rows outside the workflow",
        "inserted 1 episodes.episode row outside the workflow",
        "inserted 1 episodes.show row outside the workflow",
    ]
    assert outside[0]["who"].startswith("database user ")


def test_the_filter_fields_are_rendered_once_a_minute_per_value(
    client, reviewer, episode
):
    from django.core.cache import cache

    cache.clear()
    first = client.get(reverse("claims:claim_list")).text
    kept = [key for key in cache._cache if "claims:list:filter-field:public" in key]
    assert len(kept) >= 8  # every field, none chosen
    again = client.get(reverse("claims:claim_list")).text
    assert first == again
    # A search draws its typed words afresh and keeps the other fields.
    filtered = client.get(reverse("claims:claim_list"), {"q": "<b>growth</b>"}).text
    assert 'name="status"' in first and 'name="status"' in filtered
    assert 'value="&lt;b&gt;growth&lt;/b&gt;"' in filtered
    assert "<b>growth</b>" not in filtered
    assert '<label for="id_q">' in first or 'for="id_q"' in first

    # A chosen value is drawn as chosen, and kept under its own value.
    def status_block(page: str) -> str:
        return page.split('name="status"', 1)[1].split("</fieldset>")[0]

    chosen = client.get(reverse("claims:claim_list"), {"status": ["false"]}).text
    assert "checked" in status_block(chosen)
    assert "checked" not in status_block(first)
    # A field with an error is drawn with it, and not kept.
    bad = client.get(reverse("claims:claim_list"), {"claim_type": "nonsense"})
    assert bad.status_code == 400
    assert "field-error" in bad.text
    assert "field-error" not in client.get(reverse("claims:claim_list")).text
    # Reviewers see every status among the choices; readers only verdicts.
    client.force_login(reviewer)
    desk = client.get(reverse("claims:claim_list")).text
    assert 'value="researching"' in desk
    assert 'value="researching"' not in first


def test_a_reader_asking_for_unapproved_verdicts_is_told_why_not(
    client, proposed_claim, editor, reviewer
):
    """Every claim a reader sees is approved: approved=no is refused as a
    reviewer-only status is, not ignored (which listed the approved claims
    it asked not to see); the page draws the field only with that error."""
    workflow.claim_approve(claim=proposed_claim, actor=editor)
    plain = client.get(LIST)
    assert plain.status_code == 200
    assert 'name="approved"' not in plain.text
    assert [
        c.pk for c in client.get(LIST, {"approved": "yes"}).context["page"].rows
    ] == [proposed_claim.pk]
    refused = client.get(LIST, {"approved": "no"})
    assert refused.status_code == 400
    assert refused.context["page"] is None
    assert 'name="approved"' in refused.text
    assert "approved=no matches none of them" in refused.text

    def approved_select(page: str) -> str:
        return page.split('name="approved"', 1)[1].split("</select>")[0]

    assert 'value="yes"' in approved_select(refused.text)
    assert 'value="no"' not in approved_select(refused.text)
    # Another wrong value is told what it is, as for anyone.
    maybe = client.get(LIST, {"approved": "maybe"})
    assert maybe.status_code == 400
    assert "Select a valid choice. maybe is not one of" in maybe.text
    assert "matches none of them" not in maybe.text
    # Reviewers filter on it as before.
    client.force_login(reviewer)
    desk = client.get(LIST, {"approved": "no"})
    assert desk.status_code == 200
    assert desk.context["page"].rows == []
    assert 'value="no"' in approved_select(desk.text)


def test_the_sign_in_link_on_the_sign_in_page_does_not_nest_next(client, db):
    html = client.get("/accounts/login/?next=/claims/4/").content.decode()
    assert '<a href="/accounts/login/?next=/claims/4/" aria-current="page">' in html
    assert "%3Fnext" not in html
    # Elsewhere it brings the reader back to the page they were on.
    html = client.get("/claims/?q=growth").content.decode()
    assert 'href="/accounts/login/?next=/claims/%3Fq%3Dgrowth"' in html


def test_the_signed_in_dashboards_queries_do_not_grow_with_its_rows(
    client, episode, speaker, reviewer, editor, django_assert_num_queries
):
    """Its lists read only what a row shows (DASHBOARD_ROW_FIELDS): a column
    the page uses but the list did not read would be one query a row."""
    today = timezone.localdate()
    quotes = ["80 times growth", "10 times as big", "5 to $6,000,000,000"]

    def add(n: int) -> None:
        claim = make_claim(
            episode,
            quotes[n % 3],
            text=f"Forecast claim {n}",
            speaker=speaker,
            resolves_on=today,
        )
        propose(claim, reviewer)

    add(0)
    client.force_login(editor)
    client.get(DASHBOARD)  # counts cached, content types read
    # The forecasts, the verdicts awaiting approval, the activity, the changes
    # made outside the workflow and the activity's claims; the session, and
    # the user with their roles (one query).
    with django_assert_num_queries(7):
        first = client.get(DASHBOARD)
    for n in range(1, 5):
        add(n)
    cache.clear()
    client.get(DASHBOARD)
    with django_assert_num_queries(7):
        response = client.get(DASHBOARD)
    assert len(first.context["awaiting"]) == 1
    assert len(response.context["awaiting"]) == len(response.context["forecasts"]) == 5
    page = response.content.decode()
    assert "proposed by rita" in page and speaker.name in page
    assert "1 evidence link" in page


@pytest.mark.parametrize("path", ["/", "/claims/", "/episodes/"])
def test_the_read_only_pages_answer_options_alike(client, db, path):
    # / and /claims/ answered OPTIONS with the whole page (200), the other
    # read-only pages with 405: now all with 405 and what they take.
    response = client.options(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    # Django's 405 had an empty body: a blank page.
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "This address does not take OPTIONS requests. Use GET or HEAD.\n"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/claims/",
        "/episodes/",
        "/corrections/",
        "/claimreview.json",
        "/claims/export.csv",
    ],
)
def test_a_post_to_a_read_only_page_is_the_wrong_method_not_a_forgery(db, path):
    # The CSRF check runs before the view: a POST was "CSRF verification
    # failed" (403), as if forged, though the page takes no writes.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_post_to_a_person_page_is_405_too(db, speaker):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(speaker.get_absolute_url())
    assert response.status_code == 405
    assert b"does not take POST requests. Use GET or HEAD." in response.content


def test_the_claim_page_names_what_it_takes(client, claim, editor):
    # GET and HEAD read it, POST is a step of the workflow; anything else
    # that gets past the CSRF check (which asks for a token for any method
    # but the safe ones) is told the three.
    client.force_login(editor)
    response = client.options(claim.get_absolute_url())
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.content.decode() == (
        "This address does not take OPTIONS requests. Use GET, HEAD or POST.\n"
    )
    from django.test import Client

    put = Client(enforce_csrf_checks=True).put(claim.get_absolute_url())
    assert put.status_code == 403  # no token: refused before the method
