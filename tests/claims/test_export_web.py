"""The exports on the web: the claim list's download links (anonymous
readers get published verdicts only) and the admin's export actions; both
stream, a constant number of queries per chunk of claims."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims import export as export_module
from claims import workflow
from claims.models import Claim
from tests.conftest import add_evidence, make_claim

LIST = reverse("claims:claim_list")
CSV = reverse("claims:claim_export_csv")
JSON = reverse("claims:claim_export_json")
CHANGELIST = reverse("admin:claims_claim_changelist")
QUOTES = ["Intro line.", "80 times growth", "about 10 times", "fully built"]


def publish(claim: Claim, reviewer, editor) -> Claim:
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    workflow.claim_set_verdict(
        claim=claim, verdict="verified", note="Matches the filing.", actor=reviewer
    )
    return workflow.claim_approve(claim=claim, actor=editor)


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def ids_of(response) -> list[int]:
    return [record["id"] for record in json.loads(body(response))]


@pytest.fixture
def mixed(episode, reviewer, editor):
    """Two published claims, an unreviewed one and a proposed verdict."""
    published = [
        publish(make_claim(episode, quote), reviewer, editor) for quote in QUOTES[:2]
    ]
    draft = make_claim(episode, QUOTES[2])
    proposed = make_claim(episode, QUOTES[3])
    workflow.claim_start_research(claim=proposed, actor=reviewer)
    add_evidence(proposed, reviewer)
    workflow.claim_set_verdict(
        claim=proposed, verdict="false", note="Private rationale.", actor=reviewer
    )
    return {"published": published, "draft": draft, "proposed": proposed}


# --- the list's download links ------------------------------------------------------


def test_the_list_links_to_downloads_of_its_filters_without_the_page_cursor(
    client, mixed
):
    response = client.get(LIST, {"status": "verified", "cursor": "x"})
    assert f'href="{CSV}?status=verified"' in response.text
    assert f'href="{JSON}?status=verified"' in response.text
    assert "every published claim that matches these filters" in response.text
    unfiltered = client.get(LIST).text
    assert f'href="{CSV}"' in unfiltered


def test_anonymous_download_holds_published_verdicts_only(client, mixed):
    response = client.get(JSON)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert ids_of(response) == [claim.pk for claim in mixed["published"]]
    text = body(client.get(CSV))
    assert "Private rationale" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(row["id"]) for row in rows] == [c.pk for c in mixed["published"]]
    assert {row["approved"] for row in rows} == {"true"}


def test_anonymous_cannot_widen_the_download_with_parameters(client, mixed):
    # Every claim a reader sees is approved: "yes" is all of them, "no" is
    # refused, as on the list.
    assert len(ids_of(client.get(JSON, {"approved": "yes"}))) == 2
    response = client.get(JSON, {"approved": "no"})
    assert response.status_code == 400
    assert "- approved: Readers see published verdicts only" in (
        response.content.decode()
    )
    assert client.get(JSON, {"approved": "maybe"}).status_code == 400
    # A status no reader can see is refused, as on the list.
    response = client.get(JSON, {"status": "unreviewed"})
    assert response.status_code == 400
    assert "- status: Select a valid choice. unreviewed is not one" in (
        response.content.decode()
    )


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_reviewers_download_what_they_see_on_the_list(client, mixed, who, request):
    client.force_login(request.getfixturevalue(who))
    assert len(ids_of(client.get(JSON))) == 4
    assert ids_of(client.get(JSON, {"approved": "no", "status": "false"})) == [
        mixed["proposed"].pk
    ]
    assert ids_of(client.get(JSON, {"status": "unreviewed"})) == [mixed["draft"].pk]


def test_download_is_the_commands_export_of_the_same_filters(client, mixed, editor):
    client.force_login(editor)
    out = io.StringIO()
    call_command(
        "export_claims", "--status", "verified", stdout=out, stderr=io.StringIO()
    )
    assert body(client.get(JSON, {"status": "verified"})) == out.getvalue()


def test_bad_filters_are_a_400_that_names_them_not_a_server_error(client, mixed):
    response = client.get(CSV, {"show": "no-such-show", "published_after": "yesterday"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Nothing was exported: some filters could not be used.")
    assert "- show: Select a valid choice." in text
    assert "- published_after: Enter a valid date." in text


def test_downloads_are_read_only(client, mixed):
    assert client.post(CSV).status_code == 405


def test_download_queries_are_per_chunk_not_per_claim(
    client, episode, reviewer, editor, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(export_module, "CHUNK_SIZE", 2)
    for quote in QUOTES[:3]:
        publish(make_claim(episode, quote), reviewer, editor)
    # An anonymous reader: no session. Per chunk of 2: the claims (episode,
    # show, people, approver joined; notes counted), their quantities, their
    # evidence: chunks of 2 and 1.
    with django_assert_num_queries(2 * 3):
        assert len(ids_of(client.get(JSON))) == 3
    publish(make_claim(episode, QUOTES[3]), reviewer, editor)
    # Two full chunks, then one query that finds no more claims.
    with django_assert_num_queries(2 * 3 + 1):
        assert len(ids_of(client.get(JSON))) == 4
    make_claim(episode, "5 to $6,000,000,000")  # unpublished: not read
    with django_assert_num_queries(2 * 3 + 1):
        assert body(client.get(CSV)).count("Matches the filing.") == 4


# --- the admin's export actions -------------------------------------------------------


def run_action(client, action: str, *claims: Claim, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [claim.pk for claim in claims],
            "index": 0,
            **extra,
        },
    )


@pytest.mark.parametrize("who", ["reviewer", "editor"])
def test_editorial_roles_are_offered_the_export_actions(client, claim, who, request):
    client.force_login(request.getfixturevalue(who))
    actions = client.get(CHANGELIST).context["action_form"].fields["action"]
    names = {name for name, _label in actions.choices}
    assert {"export_csv", "export_json"} <= names


def test_export_selected_as_csv_streams_the_selected_claims(client, mixed, reviewer):
    client.force_login(reviewer)
    draft, proposed = mixed["draft"], mixed["proposed"]
    response = run_action(client, "export_csv", draft, proposed)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [int(row["id"]) for row in rows] == sorted([draft.pk, proposed.pk])
    assert rows[-1]["rationale"] == "Private rationale."


def test_export_all_as_json_follows_the_lists_filters(client, mixed, editor):
    client.force_login(editor)
    response = client.post(
        CHANGELIST + "?status__exact=verified",
        {
            "action": "export_json",
            "select_across": "1",
            "_selected_action": [mixed["draft"].pk],
            "index": 0,
        },
    )
    assert ids_of(response) == [claim.pk for claim in mixed["published"]]


def test_export_all_follows_the_lists_search(client, mixed, editor, speaker):
    client.force_login(editor)
    workflow.claim_update(
        claim=mixed["draft"],
        actor=editor,
        expected_version=mixed["draft"].version,
        changes={"speaker": speaker},
    )
    # The search joins people (speaker and claimant names): one row each.
    response = client.post(
        CHANGELIST + "?q=Ranjan",
        {
            "action": "export_csv",
            "select_across": "1",
            "_selected_action": [mixed["draft"].pk],
            "index": 0,
        },
    )
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [int(row["id"]) for row in rows] == [mixed["draft"].pk]


def test_staff_without_a_role_cannot_export(client, mixed, outsider):
    client.force_login(outsider)
    response = run_action(client, "export_csv", mixed["draft"])
    assert response.status_code == 403
    assert not isinstance(response, StreamingHttpResponse)


def test_readers_downloads_leave_out_what_the_pages_do_not_show_them(
    client, mixed, reviewer, editor
):
    """The check-worthiness score and the number of reviewer notes are
    internal: the API and the pages give readers neither, nor do the
    downloads (null, an empty CSV cell); reviewers get both."""
    published = mixed["published"][0]
    Claim.objects.filter(pk=published.pk).update(checkworthiness=0.826)
    workflow.note_add(claim=published, actor=reviewer, body="Private note.")
    record = next(
        r for r in json.loads(body(client.get(JSON))) if r["id"] == published.pk
    )
    assert (record["checkworthiness"], record["notes"]) == (None, None)
    row = next(
        r
        for r in csv.DictReader(io.StringIO(body(client.get(CSV))))
        if int(r["id"]) == published.pk
    )
    assert (row["checkworthiness"], row["notes"]) == ("", "")
    assert "Private note" not in body(client.get(CSV))
    client.force_login(editor)
    record = next(
        r for r in json.loads(body(client.get(JSON))) if r["id"] == published.pk
    )
    assert (record["checkworthiness"], record["notes"]) == (0.826, 1)
    row = next(
        r
        for r in csv.DictReader(io.StringIO(body(client.get(CSV))))
        if int(r["id"]) == published.pk
    )
    assert (row["checkworthiness"], row["notes"]) == ("0.826", "1")


def test_a_download_with_a_filter_the_list_has_not_is_refused(client, mixed):
    response = client.get(CSV, {"stauts": "false", "status": "false"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was exported" in text
    assert "- stauts: the claim list has no such filter." in text
    # The list page's cursor, which its download link may carry, is no filter
    # but is taken (and ignored: the download is every page).
    assert client.get(CSV, {"cursor": "x"}).status_code == 200


def test_the_lists_download_links_leave_out_what_the_list_ignores(client, mixed):
    # A shared link with a tracker's parameter: the list ignores it, and its
    # download links (which refuse it) must not carry it.
    page = client.get("/claims/", {"status": "false", "utm_source": "newsletter"})
    assert page.status_code == 200
    assert page.context["export_query"] == "status=false"
    assert client.get(CSV + "?" + page.context["export_query"]).status_code == 200
