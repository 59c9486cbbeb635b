"""The sign-in forms (the site's and the admin's), with the username's
length checked.

Django's ``AuthenticationForm`` sets the username field's ``max_length``
after the field is made, so no length validator is added: a 256-character
username went on to ``authenticate()``, whose failure django-axes records
in a 255-character column, and the sign-in page answered 500. Here a
username longer than any account's is a form error; nobody is
authenticated, and nothing is recorded (no account can have that name).
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class BoundedUsernameMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators = [*field.validators, MaxLengthValidator(field.max_length)]


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass
