"""A server process's start: the views imported, then what exists frozen out
of the garbage collector's full walks (claimdesk.warm)."""

from __future__ import annotations

import gc
import importlib
import sys
import weakref

import pytest


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_warm_and_freeze_imports_the_views_and_freezes_what_exists(unfrozen):
    from django.urls import clear_url_caches, get_resolver

    from claimdesk.warm import warm_and_freeze

    clear_url_caches()
    warm_and_freeze()
    # The URL patterns are loaded (so every view module is imported).
    assert "url_patterns" in vars(get_resolver())
    assert "claims.views.lists" in sys.modules
    # Django, the apps and the URL patterns: tens of thousands of objects.
    assert gc.get_freeze_count() > 10_000
    # What is made afterwards is collected as before: a cycle made now is
    # freed by a collection. (The frozen count itself is no measure of
    # that: a frozen object whose last reference goes is freed at once,
    # which lowered it by one in a CI run.)
    assert gc.isenabled()
    node = Node()
    node.itself = node
    gone = weakref.ref(node)
    del node
    assert gone() is not None  # a cycle: not freed by its references
    gc.collect()
    assert gone() is None


class Node:
    itself: Node


def test_the_wsgi_entry_point_warms_and_freezes_each_worker(unfrozen):
    import claimdesk.wsgi

    gc.unfreeze()
    importlib.reload(claimdesk.wsgi)
    assert callable(claimdesk.wsgi.application)
    assert gc.get_freeze_count() > 10_000
