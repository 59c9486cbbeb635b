"""Fixtures of the API tests: clients that sign in with a token, as scripts
do, and claims in each state, made through the workflow."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken
from claims import workflow
from claims.models import Claim
from tests.conftest import add_evidence


def token_client(user) -> APIClient:
    client = APIClient()
    ApiToken.objects.filter(user=user).delete()
    _token, key = ApiToken.objects.issue(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def as_user():
    """``as_user(user)``: a client sending ``user``'s token."""
    return token_client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The anonymous throttle counts in the cache; each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


def propose(claim: Claim, reviewer, verdict: str = "verified") -> Claim:
    workflow.claim_start_research(claim=claim, actor=reviewer)
    add_evidence(claim, reviewer)
    return workflow.claim_set_verdict(
        claim=claim, verdict=verdict, note="Matches the filing.", actor=reviewer
    )


def publish(claim: Claim, reviewer, editor, verdict: str = "verified") -> Claim:
    propose(claim, reviewer, verdict)
    return workflow.claim_approve(claim=claim, actor=editor)


@pytest.fixture
def published_claim(claim, reviewer, editor) -> Claim:
    return publish(claim, reviewer, editor)
