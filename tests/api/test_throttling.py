"""Anonymous clients are throttled per address (CLAIMDESK_API_ANON_RATE);
token and session users per user, at their own rate
(CLAIMDESK_API_USER_RATE)."""

from __future__ import annotations

import pytest


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


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CLAIMDESK_API_ANON_RATE", "lots"), ("CLAIMDESK_API_USER_RATE", "0/minute")],
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
