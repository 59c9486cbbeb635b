"""Anonymous clients are throttled per address (CLAIMDESK_API_ANON_RATE);
token and session users per user, at their own rate
(CLAIMDESK_API_USER_RATE); wrong tokens per address
(CLAIMDESK_API_BAD_TOKEN_RATE)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.models import ApiToken


def with_token(key: str, address: str = "203.0.113.5") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_anonymous_client_past_the_rate_gets_a_429_that_says_when_to_retry(
    api, settings, claim
):
    settings.CLAIMDESK_API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert api.get("/api/claims/").status_code == 200
    response = api.get("/api/claims/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another address has its own count.
    assert api.get("/api/claims/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(api, settings, claim):
    settings.CLAIMDESK_API_ANON_RATE = "2/minute"
    for n in range(2):
        api.get("/api/claims/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = api.get("/api/claims/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 429


def test_signed_in_clients_are_counted_per_user_at_their_own_rate(
    as_user, reviewer, editor, settings, claim
):
    settings.CLAIMDESK_API_ANON_RATE = "1/minute"
    settings.CLAIMDESK_API_USER_RATE = "3/minute"
    client = as_user(reviewer)
    # Not the anonymous rate: three requests from one address pass.
    assert [client.get("/api/claims/").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/claims/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another user, from the same address, has their own count.
    assert as_user(editor).get("/api/claims/").status_code == 200


def test_anonymous_clients_are_not_counted_by_the_user_rate(api, settings, claim):
    settings.CLAIMDESK_API_ANON_RATE = ""
    settings.CLAIMDESK_API_USER_RATE = "1/minute"
    assert {api.get("/api/claims/").status_code for _ in range(4)} == {200}


def test_an_empty_user_rate_turns_the_signed_in_throttle_off(
    as_user, reviewer, settings, claim
):
    settings.CLAIMDESK_API_USER_RATE = ""
    client = as_user(reviewer)
    assert {client.get("/api/claims/").status_code for _ in range(5)} == {200}


def test_an_empty_rate_turns_the_throttle_off(api, settings, claim):
    settings.CLAIMDESK_API_ANON_RATE = ""
    assert {api.get("/api/claims/").status_code for _ in range(5)} == {200}


def test_an_address_sending_wrong_tokens_is_answered_429_before_any_lookup(
    settings, editor, claim
):
    settings.CLAIMDESK_API_BAD_TOKEN_RATE = "3/minute"
    _token, key = ApiToken.objects.issue(editor)
    guesser = with_token("0" * 40)
    for _ in range(3):
        response = guesser.get("/api/claims/")
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid token."
    with CaptureQueriesContext(connection) as queries:
        response = guesser.get("/api/claims/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Too many wrong tokens from this")
    assert int(response["Retry-After"]) > 0
    # Refused before the token table is read.
    assert not [q for q in queries if "api_apitoken" in q["sql"]]
    # The address is throttled, whatever token it sends next.
    assert with_token(key).get("/api/claims/").status_code == 429
    # Another address, and anonymous requests from this one, are not.
    assert with_token(key, "192.0.2.8").get("/api/claims/").status_code == 200
    assert APIClient(REMOTE_ADDR="203.0.113.5").get("/api/claims/").status_code == 200
    # Past the rate (concurrent requests can take it there), still a wait.
    cache.set(
        "throttle_invalid_token_203.0.113.5",
        [*cache.get("throttle_invalid_token_203.0.113.5")] * 3,
        60,
    )
    assert int(guesser.get("/api/claims/")["Retry-After"]) > 0
    # Once the window has passed (the count forgotten), the right key works.
    cache.clear()
    assert with_token(key).get("/api/claims/").status_code == 200


def test_right_tokens_and_other_schemes_are_not_counted_as_wrong(
    settings, editor, claim
):
    settings.CLAIMDESK_API_BAD_TOKEN_RATE = "1/minute"
    _token, key = ApiToken.objects.issue(editor)
    assert {with_token(key).get("/api/claims/").status_code for _ in range(4)} == {200}
    bearer = APIClient(REMOTE_ADDR="203.0.113.5")
    bearer.credentials(HTTP_AUTHORIZATION="Bearer whatever")
    # Refused for its scheme (test_tokens), but not counted as a wrong key.
    assert {bearer.get("/api/claims/").status_code for _ in range(3)} == {401}
    assert with_token("1" * 40).get("/api/claims/").status_code == 401
    assert with_token(key).get("/api/claims/").status_code == 429


def test_an_empty_bad_token_rate_turns_that_throttle_off(settings, claim):
    settings.CLAIMDESK_API_BAD_TOKEN_RATE = ""
    guesser = with_token("0" * 40)
    assert {guesser.get("/api/claims/").status_code for _ in range(30)} == {401}


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CLAIMDESK_API_ANON_RATE", "lots"),
        ("CLAIMDESK_API_USER_RATE", "0/minute"),
        ("CLAIMDESK_API_BAD_TOKEN_RATE", "20 a minute"),
    ],
)
def test_a_rate_the_throttle_cannot_read_stops_the_site_from_starting(
    tmp_path, variable, value
):
    from tests.test_settings import run_manage

    result = run_manage(
        tmp_path,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/claimdesk",
        DJANGO_SECRET_KEY="a-long-enough-secret-for-this-test",
        **{variable: value},
    )
    assert result.returncode != 0
    assert f"{variable} is {value!r}" in result.stderr
