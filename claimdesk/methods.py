"""Which HTTP methods a page takes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.log import log_response
from django.views.decorators.csrf import csrf_exempt


def not_allowed(request: HttpRequest, methods: list[str]) -> HttpResponse:
    """A 405 naming the methods the page takes, in its ``Allow`` header and
    in a line of text: Django's has an empty body, which a browser shows as
    a blank page and a client's log as nothing at all."""
    spoken = (
        methods[0]
        if len(methods) == 1
        else f"{', '.join(methods[:-1])} or {methods[-1]}"
    )
    response = HttpResponseNotAllowed(
        methods,
        f"This address does not take {request.method} requests. Use {spoken}.\n",
        content_type="text/plain; charset=utf-8",
    )
    log_response(
        "Method Not Allowed (%s): %s",
        request.method,
        request.path,
        response=response,
        request=request,
    )
    return response


def takes(*methods: str) -> Callable[[Callable], Callable]:
    """The view answers only ``methods``; any other is ``not_allowed``."""
    allowed = list(methods)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in allowed:
                return not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        return inner

    return decorator


def read_only(view: Callable) -> Callable:
    """GET and HEAD only; any other method is a 405 naming them.

    Exempt from the CSRF check, which runs before the view and answered a
    POST to a read-only page with "CSRF verification failed" (403): the page
    takes no writes, so there is nothing to forge, and the method is what is
    wrong."""
    return csrf_exempt(takes("GET", "HEAD")(view))
