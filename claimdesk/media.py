"""A page's ``Media`` (its scripts and stylesheets) written once per process.

Django builds an admin page's ``Media`` on every view and writes it out
again: it merges the admin's, the forms' and the widgets' lists (a
topological sort, graphlib), then writes one tag per file. The claim list's
ten files took 0.6 ms a view, the claim's change page's sixteen 1.2 ms, on
the slow two-core VM of docs/performance.md. The same lists give the same
tags for the same static-file settings, so ``remembered`` keeps one
``RenderedMedia`` per distinct set of lists and settings, whose HTML is
written on first use and kept. Lists holding anything but file names (a
``Script`` with attributes, an object with its own ``__html__``) are not
kept: their equality ignores what they write.
"""

from __future__ import annotations

from django.conf import settings
from django.forms import Media

# Distinct media per process: one per kind of admin page, a few dozen.
REMEMBERED = 256
_remembered: dict[tuple, RenderedMedia] = {}


class RenderedMedia(Media):
    """A ``Media`` whose HTML, and each part's (``media.js``), is written once."""

    def __init__(self, css_lists: list, js_lists: list):
        super().__init__()
        self._css_lists = css_lists
        self._js_lists = js_lists
        self._html = None
        self._parts: dict[str, RenderedMedia] = {}

    def render(self):
        if self._html is None:
            self._html = super().render()
        return self._html

    def __getitem__(self, name):
        part = self._parts.get(name)
        if part is None:
            media = super().__getitem__(name)
            part = RenderedMedia(media._css_lists, media._js_lists)
            self._parts[name] = part
        return part


def _key(media: Media) -> tuple | None:
    css = []
    for sheets in media._css_lists:
        for medium, paths in sheets.items():
            if type(medium) is not str or any(type(p) is not str for p in paths):
                return None
        css.append(tuple((medium, tuple(paths)) for medium, paths in sheets.items()))
    js = []
    for paths in media._js_lists:
        if any(type(p) is not str for p in paths):
            return None
        js.append(tuple(paths))
    # What a file's address depends on (claimdesk/staticfiles.py).
    return settings.DEBUG, settings.STATIC_URL, tuple(css), tuple(js)


def remembered(media: Media) -> Media:
    """``media`` as a ``RenderedMedia`` kept for the process, or ``media``
    itself when it holds more than file names."""
    key = _key(media)
    if key is None:
        return media
    rendered = _remembered.get(key)
    if rendered is None:
        if len(_remembered) >= REMEMBERED:
            _remembered.clear()
        rendered = _remembered[key] = RenderedMedia(
            [dict(sheets) for sheets in media._css_lists],
            [list(paths) for paths in media._js_lists],
        )
    return rendered
