"""Every workflow step through the API, and every role and conflict rule:
a stale version is a 409 with the current version, a role's refusal a 403,
a state or input refusal a 422, each with the workflow's (or the form's)
code. The workflow writes the event, as from the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import Kind
from claimdesk.limits import NOTE_MAX_CHARS
from claims import workflow
from claims.models import Claim, Evidence, Status
from tests.api.conftest import publish
from tests.conftest import add_evidence, events


def post(client, claim: Claim, step: str, body: dict | None = None):
    return client.post(f"/api/claims/{claim.pk}/{step}/", body or {}, format="json")


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"]
    return body


# --- who may post at all ------------------------------------------------------------


def test_an_anonymous_client_may_take_no_step(api, published_claim):
    response = post(api, published_claim, "notes", {"body": "Hi"})
    refused(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_user_in_no_group_is_refused_with_the_workflows_code(
    as_user, outsider, published_claim
):
    client = as_user(outsider)
    refused(post(client, published_claim, "notes", {"body": "Hi"}), 403, "not_reviewer")
    body = {"url": "https://example.org/x", "stance": "supports"}
    refused(post(client, published_claim, "evidence", body), 403, "not_reviewer")
    assert published_claim.notes.count() == 0


def test_a_claim_the_user_may_not_see_is_a_404_for_steps_too(as_user, outsider, claim):
    refused(post(as_user(outsider), claim, "notes", {"body": "Hi"}), 404, "not_found")


def test_a_browser_session_must_send_the_csrf_token(reviewer, claim):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    response = post(browser, claim, "notes", {"body": "From the browser"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # With the token from the cookie, as a page's script sends it.
    page = Client(enforce_csrf_checks=True)
    page.force_login(reviewer)
    page.get("/claims/")
    token = page.cookies["csrftoken"].value
    browser.cookies["csrftoken"] = token
    response = browser.post(
        f"/api/claims/{claim.pk}/notes/",
        {"body": "From the browser"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content


# --- evidence and notes -------------------------------------------------------------


def test_a_reviewer_adds_evidence_and_the_event_is_written(as_user, reviewer, claim):
    response = post(
        as_user(reviewer),
        claim,
        "evidence",
        {
            "url": "HTTPS://example.org/filing",
            "stance": "refutes",
            "title": "The filing",
            "published_on": "2026-05-01",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["url"] == "https://example.org/filing"
    assert data["added_by"] == "rita"
    assert Evidence.objects.get(pk=data["id"]).claim_id == claim.pk
    assert events(claim).last().kind == Kind.EVIDENCE_ADDED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)", "stance": "supports"}, "url"),
        ({"url": "https://example.org", "stance": "loves"}, "stance"),
        ({"url": "https://example.org"}, "stance"),
        (
            {"url": "https://example.org", "stance": "context", "published_on": 2026},
            "published_on",
        ),
        (
            {"url": "https://example.org", "stance": "context", "title": "x" * 501},
            "title",
        ),
    ],
)
def test_evidence_the_page_would_refuse_is_a_422_naming_the_field(
    as_user, reviewer, claim, body, field
):
    response = post(as_user(reviewer), claim, "evidence", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert response.json()["detail"].startswith(f"{field}: ")
    assert not claim.evidence.exists()


def test_a_source_already_linked_is_refused(as_user, reviewer, claim):
    evidence = {"url": "https://example.org/a", "stance": "supports"}
    assert post(as_user(reviewer), claim, "evidence", evidence).status_code == 201
    again = {"url": "HTTPS://EXAMPLE.ORG/a#top", "stance": "refutes"}
    body = refused(
        post(as_user(reviewer), claim, "evidence", again), 422, "duplicate_source"
    )
    assert "already linked to the claim (https://example.org/a" in body["detail"]
    assert claim.evidence.count() == 1


def test_an_excerpt_past_the_limit_is_refused(as_user, reviewer, claim):
    evidence = {"url": "https://example.org/a", "stance": "supports"}
    long = {**evidence, "excerpt": "x" * 20_001}
    body = refused(
        post(as_user(reviewer), claim, "evidence", long), 422, "excerpt_too_long"
    )
    assert "20,001 characters long" in str(body)
    assert not claim.evidence.exists()


def test_a_source_dated_in_the_future_is_refused(as_user, reviewer, claim):
    """Found by the third new-user run: 9999-12-31 was stored."""
    dated = {"url": "https://example.org/a", "stance": "supports"}
    body = refused(
        post(
            as_user(reviewer), claim, "evidence", dated | {"published_on": "9999-12-31"}
        ),
        422,
        "future_date",
    )
    assert "The source's date 9999-12-31 is in the future" in str(body)
    assert not claim.evidence.exists()
    today = timezone.localdate().isoformat()
    response = post(
        as_user(reviewer), claim, "evidence", dated | {"published_on": today}
    )
    assert response.status_code == 201


def test_a_note_is_added_and_an_empty_one_refused(as_user, reviewer, claim):
    client = as_user(reviewer)
    response = post(client, claim, "notes", {"body": "  Called the press office. "})
    assert response.status_code == 201
    assert response.json()["body"] == "Called the press office."
    refused(post(client, claim, "notes", {"body": "   "}), 422, "required")


def test_a_note_or_rationale_past_the_limit_is_refused_and_nothing_written(
    as_user, reviewer, claim
):
    client = as_user(reviewer)
    long = "x" * (NOTE_MAX_CHARS + 1)
    body = refused(post(client, claim, "notes", {"body": long}), 422, "note_too_long")
    assert "20,001 characters long" in str(body)
    assert not claim.notes.exists()
    post(client, claim, "start-research", {"version": claim.version})
    add_evidence(fresh(claim), reviewer)
    claim = fresh(claim)
    verdict = {"verdict": "verified", "note": long, "version": claim.version}
    refused(post(client, claim, "verdict", verdict), 422, "note_too_long")
    assert fresh(claim).status == "researching"
    assert (
        post(client, claim, "notes", {"body": "y" * NOTE_MAX_CHARS}).status_code == 201
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"body": "Hi", "bdy": "typo"}, "unknown_field"),
        ({"body": {"nested": "object"}}, "invalid"),
        ({"body": ["a", "list"]}, "invalid"),
        ({"body": "NUL \x00 inside"}, "null_characters_not_allowed"),
    ],
)
def test_a_body_the_form_cannot_take_is_a_422(as_user, reviewer, claim, body, code):
    refused(post(as_user(reviewer), claim, "notes", body), 422, code)


def test_a_body_that_is_not_a_json_object_is_a_400(as_user, reviewer, claim):
    client = as_user(reviewer)
    refused(post(client, claim, "notes", ["a", "list"]), 400, "parse_error")
    response = client.post(
        f"/api/claims/{claim.pk}/notes/", "{not json", content_type="application/json"
    )
    refused(response, 400, "parse_error")


@pytest.mark.parametrize("step", ["notes", "evidence", "verdict", "start-research"])
def test_a_body_nested_too_deeply_is_a_400(as_user, reviewer, claim, step):
    """About a thousand levels exhaust Python's JSON decoder (RecursionError,
    a 500 before); a parse error like any malformed body."""
    client = as_user(reviewer)
    for body in ("[" * 5000 + "]" * 5000, '{"body": ' + "[" * 5000 + "]" * 5000 + "}"):
        response = client.post(
            f"/api/claims/{claim.pk}/{step}/", body, content_type="application/json"
        )
        assert "nested too deeply" in refused(response, 400, "parse_error")["detail"]
    assert fresh(claim).status == claim.status


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("notes", r'{"body": "a\ud800b"}'),
        ("evidence", r'{"url": "https://example.org/\udfff", "stance": "supports"}'),
        ("summary", r'{"version": 1, "summary": "x\ud83d"}'),
        ("assign", r'{"assignee": "\ud800"}'),
        ("notes", r'{"\ud800": 1}'),
        ("notes", r'{"body": ["deep", {"in": "\udc00"}]}'),
    ],
)
def test_half_a_surrogate_pair_is_a_400(as_user, editor, claim, step, body):
    """JSON may write half of a UTF-16 pair alone; Python decodes it, but it
    is no character: PostgreSQL refused it (a 500, slowly with DEBUG on)."""
    before = fresh(claim)
    response = as_user(editor).post(
        f"/api/claims/{claim.pk}/{step}/", body, content_type="application/json"
    )
    detail = refused(response, 400, "parse_error")["detail"]
    assert "surrogate pair" in detail
    after = fresh(claim)
    assert (after.version, after.summary) == (before.version, before.summary)
    assert not claim.notes.exists()


def test_a_number_too_long_to_read_is_a_400_in_the_apis_words(as_user, reviewer, claim):
    body = '{"version": ' + "9" * 5000 + "}"
    response = as_user(reviewer).post(
        f"/api/claims/{claim.pk}/start-research/", body, content_type="application/json"
    )
    detail = refused(response, 400, "parse_error")["detail"]
    assert "a number in the body has more than 4,300 digits" in detail
    assert "sys." not in detail
    assert fresh(claim).status == claim.status


# --- start research, propose, approve, reopen ---------------------------------------


def test_the_whole_review_through_the_api(as_user, reviewer, editor, claim):
    rita, edna = as_user(reviewer), as_user(editor)
    data = post(rita, claim, "start-research", {"version": claim.version}).json()
    assert data["status"] == "researching"
    assert data["assignee"] == "rita"
    post(
        rita, claim, "evidence", {"url": "https://example.org/a", "stance": "supports"}
    )
    data = post(
        rita,
        claim,
        "verdict",
        {
            "verdict": "verified",
            "note": "The filing says so.",
            "version": data["version"],
        },
    ).json()
    assert (data["status"], data["verdict"]["approved"]) == ("verified", False)
    data = post(edna, claim, "approve", {"version": data["version"]}).json()
    assert data["verdict"]["approved"] is True
    assert data["verdict"]["approved_by"] == "edna"
    data = post(
        edna, claim, "reopen", {"note": "A newer filing.", "version": data["version"]}
    ).json()
    assert data["status"] == "researching"
    assert data["verdict"] is None
    assert [e.kind for e in events(claim)][-5:] == [
        Kind.RESEARCH_STARTED,
        Kind.EVIDENCE_ADDED,
        Kind.VERDICT_PROPOSED,
        Kind.APPROVED,
        Kind.REOPENED,
    ]


def test_a_stale_version_is_a_409_with_the_current_version(
    as_user, reviewer, editor, claim
):
    client = as_user(reviewer)
    seen = claim.version
    workflow.claim_assign(claim=claim, assignee=editor, actor=editor)
    body = refused(
        post(client, claim, "start-research", {"version": seen}), 409, "stale"
    )
    assert body["current_version"] == fresh(claim).version != seen
    assert fresh(claim).status == Status.UNREVIEWED
    # Sent again with the current version, it goes through.
    response = post(
        client, claim, "start-research", {"version": body["current_version"]}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("start-research", {}),
        ("verdict", {"verdict": "not_checkable", "note": "Opinion."}),
        ("approve", {}),
        ("reopen", {"note": "Why"}),
        ("assign", {}),
        ("summary", {"summary": "S"}),
    ],
)
def test_a_state_step_without_a_version_is_refused(as_user, editor, claim, step, body):
    refused(post(as_user(editor), claim, step, body), 422, "no_version")


@pytest.mark.parametrize(
    ("version", "shown"),
    [("²", '"²"'), (True, "true"), (-1, "-1"), (1.5, "1.5"), ("1e3", '"1e3"')],
)
def test_a_version_that_is_not_a_whole_number_is_refused_as_such(
    as_user, reviewer, claim, version, shown
):
    # It was sent: "send the claim's version" (no_version) misled.
    response = post(as_user(reviewer), claim, "start-research", {"version": version})
    detail = refused(response, 422, "invalid_version")["detail"]
    assert detail.startswith(f"version: {shown} is no claim's version;")
    refused(
        post(as_user(reviewer), claim, "start-research", {"version": None}),
        422,
        "no_version",
    )


def test_a_version_past_any_number_is_refused_briefly(as_user, reviewer, claim):
    response = as_user(reviewer).post(
        f"/api/claims/{claim.pk}/start-research/",
        '{"version": ' + "9" * 300 + "}",
        content_type="application/json",
    )
    detail = refused(response, 422, "invalid_version")["detail"]
    assert len(detail) < 200


def test_research_cannot_start_twice(as_user, reviewer, claim):
    client = as_user(reviewer)
    data = post(client, claim, "start-research", {"version": claim.version}).json()
    refused(
        post(client, claim, "start-research", {"version": data["version"]}),
        422,
        "bad_transition",
    )


def test_a_sourced_verdict_needs_evidence(as_user, reviewer, claim):
    client = as_user(reviewer)
    version = post(client, claim, "start-research", {"version": claim.version}).json()[
        "version"
    ]
    body = {"verdict": "false", "note": "No.", "version": version}
    refused(post(client, claim, "verdict", body), 422, "evidence_required")


def test_a_verdict_needs_its_rationale_and_a_real_verdict(as_user, reviewer, claim):
    client = as_user(reviewer)
    body = refused(
        post(client, claim, "verdict", {"verdict": "verified", "version": 1}),
        422,
        "required",
    )
    assert "note" in body["errors"]
    body = {"verdict": "true-ish", "note": "x", "version": 1}
    refused(post(client, claim, "verdict", body), 422, "invalid_choice")


def test_an_unreviewed_claim_may_only_be_marked_not_checkable(as_user, reviewer, claim):
    client = as_user(reviewer)
    body = {"verdict": "unverifiable", "note": "x", "version": claim.version}
    refused(post(client, claim, "verdict", body), 422, "bad_transition")
    body["verdict"] = "not_checkable"
    assert post(client, claim, "verdict", body).json()["status"] == "not_checkable"


def test_the_proposer_may_not_approve_their_own_verdict(
    as_user, editor, editor2, reviewer, claim
):
    workflow.claim_start_research(claim=claim, actor=editor)
    add_evidence(claim, editor)
    workflow.claim_set_verdict(claim=claim, verdict="verified", note="x", actor=editor)
    version = fresh(claim).version
    refused(
        post(as_user(editor), claim, "approve", {"version": version}), 403, "four_eyes"
    )
    refused(
        post(as_user(reviewer), claim, "approve", {"version": version}),
        403,
        "not_editor",
    )
    response = post(as_user(editor2), claim, "approve", {"version": version})
    assert response.json()["approved"] is True
    refused(
        post(as_user(editor2), claim, "approve", {"version": fresh(claim).version}),
        422,
        "already_approved",
    )


def test_nothing_to_approve_is_a_422(as_user, editor, claim):
    response = post(as_user(editor), claim, "approve", {"version": claim.version})
    refused(response, 422, "not_a_verdict")


def test_reopening_is_for_editors_and_needs_a_reason(
    as_user, reviewer, editor, published_claim
):
    version = published_claim.version
    refused(
        post(
            as_user(reviewer),
            published_claim,
            "reopen",
            {"note": "x", "version": version},
        ),
        403,
        "not_editor",
    )
    refused(
        post(as_user(editor), published_claim, "reopen", {"version": version}),
        422,
        "required",
    )
    assert fresh(published_claim).is_approved


# --- assign -------------------------------------------------------------------------


def test_a_reviewer_takes_a_claim_on_but_does_not_assign_others(
    as_user, reviewer, editor, claim
):
    client = as_user(reviewer)
    data = post(client, claim, "assign", {"version": claim.version}).json()
    assert data["assignee"] == "rita"
    refused(
        post(client, claim, "assign", {"version": data["version"], "assignee": "edna"}),
        403,
        "not_editor",
    )
    refused(
        post(client, claim, "assign", {"version": data["version"]}), 422, "no_change"
    )


def test_an_editor_assigns_anyone_with_a_role_or_nobody(
    as_user, reviewer, editor, outsider, claim
):
    client = as_user(editor)
    data = post(
        client, claim, "assign", {"version": claim.version, "assignee": "rita"}
    ).json()
    assert data["assignee"] == "rita"
    body = {"version": data["version"], "assignee": "otto"}
    refused(post(client, claim, "assign", body), 422, "assignee_not_reviewer")
    body["assignee"] = "nobody-by-that-name"
    refused(post(client, claim, "assign", body), 422, "unknown_user")
    for not_a_name in (["reviewer"], {"username": "reviewer"}, 7, True):
        body["assignee"] = not_a_name
        answer = post(client, claim, "assign", body)
        refused(answer, 422, "invalid")
        assert (
            answer.json()["detail"] == "assignee: give a username, or null for nobody."
        )
    body["assignee"] = "rita\x00"  # was a 500 (PostgreSQL refuses NUL)
    refused(post(client, claim, "assign", body), 422, "null_characters_not_allowed")
    body["assignee"] = None
    assert post(client, claim, "assign", body).json()["assignee"] is None


# --- the summary --------------------------------------------------------------------


def test_a_reviewer_writes_the_summary_of_an_unpublished_claim(
    as_user, reviewer, claim
):
    client = as_user(reviewer)
    body = {"summary": "  Anthropic grew 80 times  ", "version": claim.version}
    data = post(client, claim, "summary", body).json()
    assert data["summary"] == "Anthropic grew 80 times"
    assert data["version"] == claim.version + 1
    assert events(claim).last().changes["summary"] == ["", "Anthropic grew 80 times"]


def test_a_summary_over_200_characters_is_refused(as_user, reviewer, claim):
    body = {"summary": "x" * 201, "version": claim.version}
    refused(post(as_user(reviewer), claim, "summary", body), 422, "max_length")


def test_a_stale_summary_edit_is_a_409(as_user, reviewer, claim):
    body = {"summary": "New", "version": claim.version - 1 or 99}
    body = refused(post(as_user(reviewer), claim, "summary", body), 409, "stale")
    assert body["current_version"] == claim.version
    # In the API's words, not the page's ("kept below", "reload the page").
    assert body["detail"].startswith("This claim changed since version")
    assert "Nothing was saved: read the claim again" in body["detail"]
    assert "below" not in body["detail"] and "reload" not in body["detail"]


def test_a_published_summary_is_an_editors_change_with_a_reason(
    as_user, reviewer, editor, published_claim
):
    body = {"summary": "Growth of 80 times", "version": published_claim.version}
    refused(post(as_user(reviewer), published_claim, "summary", body), 403, "published")
    refused(
        post(as_user(editor), published_claim, "summary", body), 422, "note_required"
    )
    assert fresh(published_claim).summary == ""
    body["note"] = "The headline said less than the quote."
    data = post(as_user(editor), published_claim, "summary", body).json()
    # Back to research, to be approved again before readers see it.
    assert (data["summary"], data["status"], data["approved"]) == (
        "Growth of 80 times",
        "researching",
        False,
    )
    assert events(published_claim).last().kind == Kind.REOPENED


@pytest.mark.parametrize("sent", ["", "  "])
def test_an_unchanged_summary_is_no_change_and_needs_no_reason(
    as_user, editor, reviewer, claim, sent
):
    # Not a published claim's change (an editor's, with a reason): nothing to
    # save, said as assigning the assignee again is, with nothing written.
    published = publish(claim, reviewer, editor)
    logged = events(published).count()
    body = {"summary": sent, "version": published.version}
    response = post(as_user(reviewer), published, "summary", body)
    detail = refused(response, 422, "no_change")
    assert detail["detail"] == "The summary is empty already: nothing was saved."
    after = fresh(published)
    assert (after.version, after.is_approved) == (published.version, True)
    assert events(published).count() == logged
    workflow.claim_update(
        claim=after, actor=editor, changes={"summary": "Said twice"},
        note="Clearer.", expected_version=after.version,
    )  # fmt: skip
    after = fresh(published)
    body = {"summary": "Said twice", "version": after.version}
    detail = refused(post(as_user(editor), after, "summary", body), 422, "no_change")
    assert detail["detail"] == "The summary is “Said twice” already: nothing was saved."


def test_a_body_past_the_form_post_limit_is_a_413_and_nothing_is_written(
    as_user, reviewer, claim, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(as_user(reviewer), claim, "notes", {"body": "x" * 2000})
    refused(response, 413, "too_large")
    assert not claim.notes.exists()


def test_evidence_with_a_password_in_its_address_is_refused(as_user, reviewer, claim):
    body = {"url": "https://user:secret@example.org/report", "stance": "supports"}
    detail = refused(post(as_user(reviewer), claim, "evidence", body), 422, "invalid")
    assert "user name or password" in detail["detail"]
    assert not claim.evidence.exists()


def test_a_summary_is_one_line(as_user, reviewer, claim):
    # The public headline: the page's title and og:title.
    body = {"summary": "Line one\nline  two\r\n", "version": claim.version}
    data = post(as_user(reviewer), claim, "summary", body).json()
    assert data["summary"] == fresh(claim).summary == "Line one line two"


def test_an_internationalised_address_and_its_ascii_form_are_one_source(
    as_user, reviewer, claim
):
    client = as_user(reviewer)
    first = {"url": "https://пример.рф/report", "stance": "supports"}
    assert post(client, claim, "evidence", first).status_code == 201
    again = {"url": "https://xn--e1afmkfd.xn--p1ai/report", "stance": "refutes"}
    refused(post(client, claim, "evidence", again), 422, "duplicate_source")
    assert claim.evidence.count() == 1
