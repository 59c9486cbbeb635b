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


@pytest.mark.parametrize(
    "url", ["https://user:pass@example.org/x", "https://token@example.org/"]
)
def test_a_user_name_or_password_in_an_address_is_refused(url):
    # Links are public: the claim page showed the password to every reader.
    with pytest.raises(ValidationError) as refused:
        HttpURLField().clean(url)
    assert refused.value.messages == [
        "The address holds a user name or password (user:password@…): links "
        "are public, so give the address without them."
    ]
    # An @ in the path or the query is no user name.
    assert HttpURLField().clean("https://example.org/@someone?to=a@b.org")


def test_a_space_in_an_address_is_named():
    with pytest.raises(ValidationError) as refused:
        HttpURLField().clean("https://example.org/a b")
    assert refused.value.messages == [
        "The address holds a space: write it as %20, or copy the address from "
        "the browser's address bar."
    ]
    # At either end it is trimmed, as Django does.
    assert HttpURLField().clean(" https://example.org/a ") == "https://example.org/a"


@pytest.mark.parametrize(
    "url",
    [
        "https://ok.org/api\x1b[31m",  # an escape sequence, for a terminal
        "https://ok.org/api\x07x",  # BEL
        "https://ok.org/api\x9b31m",  # a C1 control (CSI)
        "https://evil.com/\u202egnp.exe",  # right-to-left override
        "https://ok.org/a\u200bb",  # zero-width space
        "https://ok.org/a\u2066b",  # left-to-right isolate
    ],
)
def test_an_address_with_a_hidden_character_is_refused(url):
    # Found by a new user: the API, the evidence file and the admin saved
    # them, and export_claims wrote the escapes to the terminal.
    from claimdesk.weblinks import clean_link

    with pytest.raises(ValidationError) as refused:
        HttpURLField().clean(url)
    assert refused.value.messages == [
        "The address holds an invisible control character (an escape, a "
        "right-to-left mark, a zero-width space): copy the address from the "
        "browser's address bar."
    ]
    with pytest.raises(ValidationError) as refused:
        clean_link(HttpURLField(), url, "Evidence")
    # Not quoted: the message would carry the character too.
    assert refused.value.messages[0].startswith(
        "The address is not a web address evidence can have."
    )
    # Encoded, as a browser copies it, the same address is fine.
    assert HttpURLField().clean("https://evil.com/%E2%80%AEgnp.exe")


def test_the_workflow_says_what_is_wrong_and_keeps_a_password_unquoted():
    from claimdesk.weblinks import clean_link

    with pytest.raises(ValidationError) as refused:
        clean_link(HttpURLField(), "https://user:secret@example.org/x", "A link")
    assert refused.value.code == "bad_url"
    message = " ".join(refused.value.messages)
    assert "secret" not in message
    assert message.startswith("The address is not a web address a link can have.")
    assert "user name or password" in message
    with pytest.raises(ValidationError) as refused:
        clean_link(HttpURLField(), "javascript:alert(1)", "A link")
    assert refused.value.messages == [
        "“javascript:alert(1)” is not a web address a link can have. A link must "
        "start with http:// or https://."
    ]


@pytest.mark.parametrize(
    ("url", "quoted"),
    [
        ("http://[", True),
        ("http://[ a", True),
        ("https://u:secret@[::1", False),
        ("https://u:secret@[::1/x y", False),
    ],
)
def test_an_address_urlsplit_cannot_read_is_refused_with_a_message(url, quoted):
    """An unclosed IPv6 bracket made ``urlsplit`` raise a ValueError in the
    workflow's message (a 500 where the form refused); a password in it is
    still kept out of the message."""
    from claimdesk.weblinks import clean_link

    with pytest.raises(ValidationError) as refused:
        clean_link(HttpURLField(), url, "A link")
    assert refused.value.code == "bad_url"
    message = " ".join(refused.value.messages)
    assert "secret" not in message
    assert message.startswith(f"“{url}”" if quoted else "The address ")
    with pytest.raises(ValidationError):
        HttpURLField().clean(url)
