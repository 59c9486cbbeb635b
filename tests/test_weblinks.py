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
