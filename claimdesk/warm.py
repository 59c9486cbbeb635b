"""A server process's start: import what every request needs, then move the
objects that live as long as the process out of the garbage collector's way.

CPython's collector now and then walks every container object the process
has (its oldest generation): Django, the apps, the URL patterns, the
templates' compiled nodes, about 110,000 objects after the first request. On
the two-core machine of docs/performance.md that walk took 130–170 ms, inside
whichever request happened to trigger it (a search's p99 250 ms against its
p50 68 ms). ``gc.freeze()`` moves the objects that exist at that moment to a
generation the collector never walks; what requests allocate is collected as
before. The WSGI entry point (claimdesk/wsgi.py, so each gunicorn worker)
calls it once the application is loaded; ``manage.py bench`` does the same,
so that it measures pages as the server serves them.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def warm_and_freeze() -> None:
    """Import every view (by loading the URL patterns), collect what the
    imports left unreachable, and freeze the rest."""
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and its views)
    gc.collect()
    gc.freeze()
