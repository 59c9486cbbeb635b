"""Signing out: the address a person types asks before it signs them out.

Django 5 signs out only on POST (a link or an image must not be able to
sign anyone out), so a GET of ``/accounts/logout/`` or ``/admin/logout/``,
typed or bookmarked, was a 405 with an empty body: a blank page. Here a GET
shows a page with the one button that signs out (a POST with its CSRF
token); the POST is Django's ``LogoutView``, which then goes to
``LOGOUT_REDIRECT_URL``.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from claimdesk.methods import not_allowed

_logout = auth_views.LogoutView.as_view()


@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _logout(request)
    if request.method in ("GET", "HEAD"):
        return render(request, "registration/sign_out.html")
    return not_allowed(request, ["GET", "HEAD", "POST"])
