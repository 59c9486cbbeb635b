"""Reading through the API: who sees what, the list page's filters and
results, keyset pages, bad parameters, the export contract's keys, and
pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.serializers import step_rows
from claims import workflow
from claims.export import claim_record
from claims.models import Claim
from claims.workflow import Offer, Step
from tests.api.conftest import propose, publish
from tests.conftest import add_evidence, make_claim, make_episode, make_user

LIST = "/api/claims/"


def detail(claim: Claim) -> str:
    return f"/api/claims/{claim.pk}/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


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


# --- who sees what ------------------------------------------------------------------


def test_anonymous_clients_list_only_published_verdicts(api, mixed):
    published, _draft, _proposed = mixed
    assert ids(api.get(LIST)) == [published.pk]


def test_a_user_in_no_group_lists_only_published_verdicts(as_user, outsider, mixed):
    published, _draft, _proposed = mixed
    assert ids(as_user(outsider).get(LIST)) == [published.pk]


def test_reviewers_list_every_claim(as_user, reviewer, mixed):
    assert sorted(ids(as_user(reviewer).get(LIST))) == sorted(c.pk for c in mixed)


@pytest.mark.parametrize("suffix", ["", "history/"])
def test_an_unpublished_claim_is_a_404_to_anonymous_clients(api, mixed, suffix):
    _published, draft, proposed = mixed
    for claim in (draft, proposed):
        response = api.get(detail(claim) + suffix)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_claim_that_does_not_exist_is_the_same_404(api, as_user, editor):
    for client in (api, as_user(editor)):
        assert client.get("/api/claims/999999/").status_code == 404
        # Past PostgreSQL's bigint: still a 404, not a database error.
        assert client.get("/api/claims/" + "9" * 30 + "/").status_code == 404


def test_anonymous_clients_read_a_published_claim_without_internal_fields(api, mixed):
    published, _draft, _proposed = mixed
    data = api.get(detail(published)).json()
    assert data["status"] == "verified"
    assert data["approved"] is True
    assert data["verdict"]["rationale"] == "Matches the filing."
    assert data["verdict"]["approved_by"] == "edna"
    # What the public page does not show: null here.
    for name in ("checkworthiness", "notes", "assignee"):
        assert data[name] is None
    assert data["verdict"]["proposed_by"] is None
    assert data["steps"] == []
    # Who added each link: not on the public page either.
    assert data["evidence"] and all(
        link["added_by"] is None for link in data["evidence"]
    )
    listed = api.get("/api/claims/").json()["results"]
    assert all(link["added_by"] is None for c in listed for link in c["evidence"])


def test_reviewers_see_who_added_each_link(as_user, editor, mixed):
    published, _draft, _proposed = mixed
    data = as_user(editor).get(detail(published)).json()
    assert [link["added_by"] for link in data["evidence"]] == ["rita"]
    listed = as_user(editor).get("/api/claims/").json()["results"]
    assert {link["added_by"] for c in listed for link in c["evidence"]} == {"rita"}


def test_history_of_a_published_claim_is_for_reviewers(api, as_user, outsider, mixed):
    published, _draft, _proposed = mixed
    response = api.get(detail(published) + "history/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    response = as_user(outsider).get(detail(published) + "history/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_reviewer"


def test_history_lists_the_claims_events_newest_first(as_user, reviewer, mixed):
    _published, _draft, proposed = mixed
    workflow.note_add(claim=proposed, actor=reviewer, body="Checked the filing.")
    rows = as_user(reviewer).get(detail(proposed) + "history/").json()["results"]
    assert [row["kind"] for row in rows] == [
        "note.added",
        "claim.verdict_proposed",
        "evidence.added",
        "claim.research_started",
        "claim.created",
    ]
    assert rows[0]["note"] == "Checked the filing."
    assert rows[0]["actor"] == "rita"
    assert rows[1]["changes"]["status"] == ["researching", "verified"]


# --- a claim ------------------------------------------------------------------------


def test_a_claim_says_what_the_export_contract_says(as_user, editor, mixed):
    published, _draft, _proposed = mixed
    workflow.note_add(claim=published, actor=editor, body="A note.")
    record = claim_record(published)
    data = as_user(editor).get(detail(published)).json()
    for key, value in record.items():
        if key == "evidence":
            assert [
                {k: e[k] for k in ("url", "title", "stance")} for e in data[key]
            ] == value
        elif key in ("created_at", "updated_at"):
            assert data[key].replace("Z", "+00:00") == value
        elif key == "verdict":
            # The API adds who proposed it (for reviewers).
            shown = {k: data[key][k] for k in value}
            shown["approved_at"] = shown["approved_at"].replace("Z", "+00:00")
            assert shown == value
        else:
            assert data[key] == value, key


def test_a_reviewer_sees_the_steps_the_workflow_offers_and_where_to_post_them(
    as_user, reviewer, editor, editor2, mixed
):
    _published, draft, proposed = mixed
    steps = {
        row["step"]: row for row in as_user(reviewer).get(detail(draft)).json()["steps"]
    }
    assert set(steps) == {
        "start-research",
        "set-verdict",
        "assign-to-me",
        "add-evidence",
        "add-note",
        "edit",
    }
    assert steps["start-research"]["url"].endswith(
        reverse("api:claim-start-research", args=[draft.pk])
    )
    # Unreviewed: only "not checkable" may be proposed yet.
    assert steps["set-verdict"]["choices"] == ["not_checkable"]
    # The edit step's url changes the summary: that is the field it lists
    # (the workflow offers more, which the desk and the claim page edit).
    assert steps["edit"]["url"].endswith(reverse("api:claim-summary", args=[draft.pk]))
    assert steps["edit"]["fields"] == ["summary"]
    # Were the summary not among what the user may change, the API could
    # not take the step: no url, and the fields the desk and page edit.
    (row,) = step_rows(
        draft, {Step.EDIT: Offer(Step.EDIT, fields=frozenset({"quote"}))}, None
    )
    assert (row["url"], row["fields"]) == (None, ["quote"])
    # Four-eyes: the editor who did not propose it is offered the approval.
    offered = {r["step"] for r in as_user(editor).get(detail(proposed)).json()["steps"]}
    assert "approve" in offered
    workflow.claim_approve(claim=proposed, actor=editor2)
    offered = {r["step"] for r in as_user(editor).get(detail(proposed)).json()["steps"]}
    assert "approve" not in offered


# --- the list page's filters --------------------------------------------------------


@pytest.fixture
def catalogue(show, speaker, reviewer, editor):
    """Claims in two episodes, with every status the filters tell apart."""
    first = make_episode(show, slug="ep-first", published_on="2026-04-01")
    second = make_episode(show, slug="ep-second", published_on="2026-05-01")
    claims = [
        make_claim(
            first, "80 times growth", text="Growth eighty times", speaker=speaker
        ),
        make_claim(first, "10 times as big", text="Ten times as big"),
        make_claim(second, "80 times growth", text="Second growth", speaker=speaker),
        make_claim(second, "5 to $6,000,000,000", text="Data center cost"),
    ]
    publish(claims[0], reviewer, editor)
    propose(claims[2], reviewer, "disputed")
    workflow.claim_start_research(claim=claims[3], actor=reviewer)
    add_evidence(claims[3], reviewer)
    return claims


QUERIES = [
    {},
    {"q": "growth"},
    {"q": "Ranjan"},
    {"status": ["verified", "disputed"]},
    {"status": "researching"},
    {"approved": "yes"},
    {"approved": "no"},
    {"claim_type": "statistic"},
    {"show": "big-technology"},
    {"episode": "ep-first"},
    {"speaker": "ranjan-roy"},
    {"has_evidence": "yes"},
    {"has_evidence": "no"},
    {"published_after": "2026-04-15"},
    {"published_before": "2026-04-15"},
    {"order": "checkworthy"},
    {"order": "updated"},
    {"order": "relevance", "q": "growth"},
    {"q": "growth", "status": "verified", "order": "newest"},
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
def test_api_filters_return_the_same_claims_as_the_list_page(
    client, api, as_user, reviewer, catalogue, query, role
):
    if role == "reviewer":
        client.force_login(reviewer)
        api = as_user(reviewer)
    page = client.get(reverse("claims:claim_list"), query)
    response = api.get(LIST, query)
    assert response.status_code == page.status_code
    if page.status_code == 200:
        assert ids(response) == [claim.pk for claim in page.context["page"].rows]
    else:
        # The page's form refused it (a reader's status or sort): so does the API.
        assert response.json()["errors"].keys() == page.context["form"].errors.keys()


def test_pages_of_the_list_follow_on_without_repeats(as_user, reviewer, show):
    episode = make_episode(show, slug="long", source="x. " * 10 + "growth\n")
    for n in range(30):
        workflow.claim_create(
            episode=episode, text=f"Claim {n}", quote="growth", actor=None
        )
    client = as_user(reviewer)
    first = client.get(LIST, {"order": "updated"}).json()
    assert len(first["results"]) == 25
    assert "order=updated" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(seen) == sorted(Claim.objects.values_list("pk", flat=True))


# --- bad parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"status": "bogus"}, "status", "not one of the available choices"),
        ({"approved": "maybe"}, "approved", "not one of the available choices"),
        ({"episode": "no-such-episode"}, "episode", "No episode has the slug"),
        ({"published_after": "2026-13-45"}, "published_after", "valid date"),
        ({"q": " ".join(["growth"] * 13)}, "q", "use at most 12"),
        ({"cursor": "forged"}, "cursor", "not one this API gave out"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(
    as_user, reviewer, claim, query, field, words
):
    response = as_user(reviewer).get(LIST, query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(f"{field}: ")
    assert words in body["detail"]
    assert field in body["errors"]


def test_a_reader_filtering_on_an_unpublished_status_is_told_so(api, claim):
    response = api.get(LIST, {"status": "researching"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    response = api.get(LIST, {"approved": "no"})
    assert response.status_code == 400
    assert response.json()["code"] == "not_for_readers"
    assert "approved=no matches none of them" in response.json()["detail"]
    assert api.get(LIST, {"approved": "yes"}).status_code == 200


@pytest.mark.parametrize("value", ["a\x00b", "x" * 5000])
def test_a_nul_byte_or_an_endless_parameter_is_a_json_400(api, claim, value):
    response = api.get(LIST, {"speaker": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_parameter"


def test_episodes_and_people_count_only_the_claims_the_client_may_see(
    api, as_user, reviewer, mixed, speaker
):
    public = api.get("/api/episodes/").json()["results"]
    assert [(e["slug"], e["claim_count"]) for e in public] == [("ep-1", 1)]
    staff = as_user(reviewer).get("/api/episodes/").json()["results"]
    assert staff[0]["claim_count"] == 3
    # The proposed claim is the speaker's: the public does not see it.
    assert api.get("/api/people/").json()["results"][0]["claims_spoken"] == 0
    people = as_user(reviewer).get("/api/people/", {"q": "ranjan"}).json()
    assert [p["slug"] for p in people["results"]] == [speaker.slug]
    assert people["results"][0]["claims_spoken"] == 1


@pytest.mark.parametrize(
    ("name", "typed"), [("Zoë Kravitz", "zoe"), ("O’Brien", "o'brien")]
)
def test_the_people_search_is_the_pages_without_accents_or_curly_apostrophes(
    api, db, name, typed
):
    from people.models import Person, PersonAlias

    person = Person.objects.create(name=name, slug="someone")
    other = Person.objects.create(name="Somebody", slug="somebody")
    PersonAlias.objects.create(person=other, name="Ròy Ranjàn")
    found = api.get("/api/people/", {"q": typed}).json()["results"]
    assert [p["slug"] for p in found] == [person.slug]
    found = api.get("/api/people/", {"q": "roy ranjan"}).json()["results"]
    assert [p["slug"] for p in found] == [other.slug]


# --- bounded work: query counts -----------------------------------------------------


def _more_claims(episode, reviewer, editor, n: int) -> None:
    for i in range(n):
        claim = make_claim(episode, "80 times growth", text=f"More {i}")
        publish(claim, reviewer, editor)
        workflow.note_add(claim=claim, actor=reviewer, body="A note.")


@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_the_list_costs_the_same_queries_for_one_claim_or_many(
    api, as_user, editor, reviewer, episode, django_assert_num_queries, role
):
    client = api if role == "anonymous" else as_user(editor)
    # anonymous: claims + quantities + evidence (with who added it);
    # a token adds the token with its user and the user's groups.
    expected = 3 if role == "anonymous" else 5
    _more_claims(episode, reviewer, editor, 1)
    with django_assert_num_queries(expected):
        assert len(ids(client.get(LIST))) == 1
    _more_claims(episode, reviewer, editor, 6)
    with django_assert_num_queries(expected):
        assert len(ids(client.get(LIST))) == 7


def test_the_detail_costs_the_same_queries_however_much_the_claim_has(
    as_user, editor, editor2, reviewer, published_claim, django_assert_num_queries
):
    client = as_user(editor)
    # token and user, groups, the claim with its joins and counts, quantities,
    # evidence, mentions; the steps ask the rules, which read nothing more.
    with django_assert_num_queries(6):
        assert client.get(detail(published_claim)).status_code == 200
    for n in range(5):
        add_evidence(published_claim, reviewer, url=f"https://example.org/{n}")
        workflow.note_add(claim=published_claim, actor=reviewer, body=f"Note {n}")
    with django_assert_num_queries(6):
        assert client.get(detail(published_claim)).status_code == 200


def test_a_signed_in_user_without_a_role_pays_no_more(
    as_user, editor, reviewer, published_claim, django_assert_max_num_queries
):
    client = as_user(make_user("olga"))
    with django_assert_max_num_queries(6):
        assert client.get(detail(published_claim)).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_a_write_without_the_final_slash_is_a_404_naming_the_address(
    as_user, editor, claim, settings, debug
):
    # Django redirects it (a client may drop the body on the way) and, with
    # DEBUG on, refuses to with a RuntimeError: a 500.
    settings.DEBUG = debug
    response = as_user(editor).post(
        f"/api/claims/{claim.pk}/start-research", {"version": 1}, format="json"
    )
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "detail": f"No such address: POST to /api/claims/{claim.pk}/start-research/ "
        "(the API's addresses end with a slash).",
    }
    assert claim.status == type(claim).objects.get(pk=claim.pk).status


def test_a_read_without_the_final_slash_is_redirected_with_its_query(api, db):
    response = api.get("/api/claims?status=verified")
    assert response.status_code == 301
    assert response["Location"] == "/api/claims/?status=verified"
    # No address of the API with or without it: the JSON 404, asked for
    # in any way.
    for response in (api.get("/api/nothing"), api.options("/api/nothing/")):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("path", ["/api/claims/", "/api/schema/"])
def test_a_format_the_api_does_not_write_is_a_406_that_says_which_it_does(
    api, db, path
):
    response = api.get(path, {"format": "xml"})
    assert response.status_code == 406
    assert "There is no format “xml” here: this address writes json" in (
        response.content.decode()
    )
    assert api.get(path, {"format": "json"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "takes"),
    [("/api/claims/", "approved, claim_type"), ("/api/episodes/", "show")],
)
def test_a_parameter_the_list_does_not_take_is_a_400_that_names_it(
    api, mixed, path, takes
):
    # Ignored, a misspelt filter listed every claim as if filtered.
    response = api.get(path, {"stauts": "false"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["detail"].startswith(
        f"stauts: This list has no parameter “stauts”: it takes {takes}"
    )
    # Its page's cursor and DRF's format are taken.
    assert api.get(path, {"format": "json", "cursor": ""}).status_code == 200


def test_the_lists_shared_querysets_are_never_evaluated(
    api, client, reviewer, editor, mixed
):
    # Built once per process and role, copied per request: one evaluated
    # would hand every later request its rows.
    from api.views.claims import _claim_rows
    from claims.views.lists import _visible_rows

    published, draft, _proposed = mixed
    assert ids(api.get(LIST)) == [published.pk]
    client.force_login(reviewer)
    client.get("/claims/")
    client.get(LIST)
    for shared in (_claim_rows(False), _claim_rows(True)):
        assert shared._result_cache is None
    for shared in (_visible_rows(False), _visible_rows(True)):
        assert shared._result_cache is None
    # What changes after is listed: each request reads afresh.
    publish(draft, reviewer, editor)
    assert sorted(ids(api.get(LIST))) == sorted([published.pk, draft.pk])
    assert draft.get_absolute_url() in client.get("/claims/").content.decode()
