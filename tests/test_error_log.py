"""A request that fails is written with its traceback to standard error
with DEBUG off (claimdesk/settings.py LOGGING): Django alone only mails it
to ADMINS, so a 500 left nothing but a status line in the server's log."""

from __future__ import annotations

import io
import logging

import pytest
from django.test import Client
from django.urls import include, path


def broken(request):
    raise RuntimeError("the error a tester needs to see")


urlpatterns = [path("broken/", broken), path("", include("claimdesk.urls"))]


@pytest.mark.urls("tests.test_error_log")
def test_a_500_is_logged_with_its_traceback_when_debug_is_off(settings, db):
    settings.DEBUG = False
    handler = next(
        h
        for h in logging.getLogger("django.request").handlers
        if h.level == logging.ERROR
    )
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        response = Client(raise_request_exception=False).get("/broken/")
        # A page that is only not found is no error to log.
        assert Client().get("/no-such-page/").status_code == 404
    finally:
        handler.setStream(previous)
    assert response.status_code == 500
    log = written.getvalue()
    assert "Internal Server Error: /broken/" in log
    assert "Traceback" in log
    assert "RuntimeError: the error a tester needs to see" in log
    assert "no-such-page" not in log
