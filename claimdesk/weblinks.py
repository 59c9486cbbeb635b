"""Web addresses: only http(s), everywhere.

One rule for every link a user gives (evidence, a show's site, an episode's
source, a person's profile): the database's check constraints use
``HTTP_URL_REGEX``, and forms use ``HttpURLField``, which refuses any other
scheme with a field error and stores the scheme in lower case, as the
constraint expects (``HTTPS://example.org`` is a valid address).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator

HTTP_URL_REGEX = r"^https?://"


def lower_scheme(url: str) -> str:
    scheme, separator, rest = url.partition("://")
    return scheme.lower() + separator + rest if separator else url


class HttpURLField(forms.URLField):
    """A URL field that accepts only http:// and https:// addresses.

    Django's URLField also takes ftp:// and ftps://, which the database
    refuses (the ``*_http_url`` check constraints); refusing them in the form
    turns an IntegrityError into a field error that keeps the typed input.
    """

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": "Enter a web address that starts with http:// or https://.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def run_validators(self, value):
        # Past its 2,048 characters Django's URL validator refuses with the
        # scheme's message, beside the field's own length error, although
        # the address may well start with https://: only the length error.
        limit = min(self.max_length or URLValidator.max_length, URLValidator.max_length)
        if value not in self.empty_values and len(value) > limit:
            MaxLengthValidator(limit)(value)
        if value not in self.empty_values and any(c.isspace() for c in value):
            # Django's message would say it does not start with https://.
            raise ValidationError(
                "The address holds a space: write it as %20, or copy the "
                "address from the browser's address bar.",
                code="invalid",
            )
        if value not in self.empty_values and has_hidden_characters(value):
            # An escape sequence reaches a terminal (export_claims) as it is,
            # and a right-to-left override makes a link read as another
            # ("…/\u202egnp.exe" shows as "…/exe.png"): Django's validator
            # takes both (found by a new user).
            raise ValidationError(
                "The address holds an invisible control character (an escape, "
                "a right-to-left mark, a zero-width space): copy the address "
                "from the browser's address bar.",
                code="invalid",
            )
        super().run_validators(value)
        if value not in self.empty_values and "@" in _host_part(value):
            # Links are shown to every reader: a password in one is published.
            raise ValidationError(
                "The address holds a user name or password (user:password@…): "
                "links are public, so give the address without them.",
                code="invalid",
            )
        # Django's validator takes any port of up to five digits: 99999 is
        # no port a server listens on, and no link anyone can follow.
        if value not in self.empty_values:
            try:
                port = urlsplit(value).port  # raises past 65535
            except ValueError:
                port = 0
            if port == 0:
                raise ValidationError(
                    "The port in the address must be a number from 1 to 65535.",
                    code="invalid",
                )

    def clean(self, value):
        return lower_scheme(super().clean(value))


def has_hidden_characters(text: str) -> bool:
    """Does ``text`` hold a control or format character (Unicode's Cc and
    Cf: C0 and C1 controls, bidirectional marks and overrides, zero-width
    characters), which no web address holds unencoded?"""
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def _host_part(url: str) -> str:
    """The part of ``url`` between ``//`` and the path, where a user name and
    password would be; read by hand when ``urlsplit`` cannot read it
    ("http://[" is an unclosed IPv6 address to it: a ValueError, which was
    a 500 where the form had refused the address)."""
    try:
        return urlsplit(url).netloc
    except ValueError:
        return url.partition("//")[2].partition("/")[0]


def clean_link(field: HttpURLField, url: str, what: str) -> str:
    """``field``'s address of ``url`` for the workflow, or a ValidationError
    ``bad_url`` that says what is wrong with it: the field's own message (a
    space, a password, a port) rather than "must start with http://", which
    misled when it did; the address quoted unless it holds a password."""
    try:
        return field.clean((url or "").strip())
    except ValidationError as error:
        said = " ".join(error.messages)
        if said == HttpURLField.default_error_messages["invalid"]:
            said = f"{what} must start with http:// or https://."
        hidden = "@" in _host_part(url or "") or has_hidden_characters(url or "")
        shown = "The address" if hidden else f"“{(url or '')[:200]}”"
        raise ValidationError(
            f"{shown} is not a web address {what.lower()} can have. {said}",
            code="bad_url",
        ) from None
