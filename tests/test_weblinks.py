"""Evidence addresses: http(s) only, and a too-long one gets one error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claimdesk.weblinks import HttpURLField


@pytest.mark.parametrize(("max_length", "limit"), [(2000, 2000), (None, 2048)])
def test_a_too_long_address_gets_only_the_length_error(max_length, limit):
    field = HttpURLField(max_length=max_length)
    long = "https://x.com/" + "a" * 2100
    with pytest.raises(ValidationError) as refused:
        field.clean(long)
    assert refused.value.messages == [
        f"Ensure this value has at most {limit} characters (it has {len(long)})."
    ]
    assert field.clean("https://x.com/" + "a" * 100).startswith("https://x.com/")
    with pytest.raises(ValidationError) as refused:
        field.clean("javascript:alert(1)")
    assert refused.value.messages == [
        "Enter a web address that starts with http:// or https://."
    ]


@pytest.mark.parametrize("url", ["http://[::1]:99999/", "https://example.org:0/x"])
def test_a_port_no_server_can_have_is_refused(url):
    with pytest.raises(ValidationError) as refused:
        HttpURLField().clean(url)
    assert refused.value.messages == [
        "The port in the address must be a number from 1 to 65535."
    ]


@pytest.mark.parametrize(
    "url", ["https://example.org:8443/x", "http://[::1]:65535/", "http://example.org/"]
)
def test_a_real_port_or_none_is_kept(url):
    assert HttpURLField().clean(url) == url
