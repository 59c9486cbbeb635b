"""The OpenAPI schema, checked against the running API by schemathesis.

On pytest-django's live server, with claims in every state and an editor's
token: for every operation of the schema, generated requests (valid and
invalid) get no server error, only documented status codes and content
types, and bodies that match the schema. Bounded and repeatable: a fixed
number of examples per operation, derandomized (as HYPOTHESIS_PROFILE=ci
does for tests/properties/).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from claims import workflow
from tests.api.conftest import propose, publish
from tests.conftest import make_claim, make_episode, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Requests per operation, per mode and client: 13 operations × 2 × 2 × 12.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_data(show, settings) -> str:
    """Claims in every state; an editor's token."""
    # The run makes hundreds of anonymous requests from one address.
    settings.CLAIMDESK_API_ANON_RATE = ""
    editor = make_user("edna", "Editor")
    editor2 = make_user("eddie", "Editor")
    reviewer = make_user("rita", "Reviewer")
    episode = make_episode(show)
    publish(make_claim(episode, "80 times growth"), reviewer, editor)
    propose(make_claim(episode, "10 times as big"), reviewer, "disputed")
    draft = make_claim(episode, "5 to $6,000,000,000")
    workflow.claim_start_research(claim=draft, actor=editor2)
    return ApiToken.objects.issue(editor)[1]


# schemathesis's pytest loader (``from_fixture``) does not run under pytest
# 9 yet; each operation's strategy runs under hypothesis's ``given`` instead.
@pytest.mark.parametrize("who", ["anonymous", "editor"])
@pytest.mark.parametrize("mode", list(GenerationMode))
def test_every_operation_answers_as_the_schema_says(live_server, api_data, who, mode):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    headers = {"Authorization": f"Token {api_data}"} if who == "editor" else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        answers_as_documented()


def test_the_schema_and_its_documentation_page_are_served(live_server, client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/claims/{id}/verdict/" in schema["paths"]
    page = client.get("/api/docs/")
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = page.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    )
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
