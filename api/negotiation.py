"""DRF's content negotiation, with a ``?format=`` the view cannot write
refused as such: DRF answers it with a 404 ("No claim, episode or person
here"), which sends a client looking for a missing claim."""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FormatNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            offered = sorted({renderer.format for renderer in renderers})
            raise NotAcceptable(
                f"There is no format “{format}” here: this address writes "
                f"{', '.join(offered)}. Leave format out, or ask for "
                f"format={offered[0]}."
            )
        return found
