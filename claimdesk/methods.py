"""Which HTTP methods a page takes."""

from __future__ import annotations

from collections.abc import Callable

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view: Callable) -> Callable:
    """GET and HEAD only; any other method is a 405 naming them (``Allow``).

    Exempt from the CSRF check, which runs before the view and answered a
    POST to a read-only page with "CSRF verification failed" (403): the page
    takes no writes, so there is nothing to forge, and the method is what is
    wrong."""
    return csrf_exempt(require_safe(view))
