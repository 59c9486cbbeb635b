"""Addresses of many rows of one kind, with one ``reverse`` per page."""

from __future__ import annotations

from collections.abc import Callable

# An id no row has, to find where the id goes in an address.
_ID_SLOT = 987654321987


def id_url_pattern(reverse: Callable[..., str], viewname: str, **kwargs) -> str:
    """The address of ``viewname`` for any integer id, as a ``str.format``
    pattern ("/claims/{}/"): ``reverse`` (Django's, or DRF's with a request
    for absolute addresses) runs once, not once per row."""
    return reverse(viewname, args=[_ID_SLOT], **kwargs).replace(str(_ID_SLOT), "{}")
