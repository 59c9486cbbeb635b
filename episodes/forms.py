"""Form fields shared by the admin of both apps."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator


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
