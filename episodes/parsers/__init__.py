"""Source parsers: raw text → ``ParsedEpisode`` (metadata + items with offsets).

One module per source format, each with ``detect(text) -> bool`` and
``parse(text) -> ParsedEpisode``. ``parse`` here picks the format, so callers
(the importer) never need to know which formats exist; adding transcripts,
WebVTT or SRT means adding a module and a line to ``FORMATS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from episodes.parsers import summary
from episodes.parsers.base import Item, ItemKind, ParsedEpisode, ParseError, Section


class Format(NamedTuple):
    detect: Callable[[str], bool]
    parse: Callable[[str], ParsedEpisode]


FORMATS: dict[str, Format] = {
    summary.FORMAT: Format(summary.detect, summary.parse),
}


def detect_format(text: str) -> str | None:
    return next((name for name, fmt in FORMATS.items() if fmt.detect(text)), None)


def parse(text: str, fmt: str | None = None) -> ParsedEpisode:
    """Parse ``text`` as ``fmt``, or as the format it looks like if ``fmt`` is None."""
    if fmt is None:
        fmt = detect_format(text)
        if fmt is None:
            raise ParseError(
                "unrecognised format: expected a summary page whose first line "
                "reads “Guest: topics | Show” (save the episode's summary page "
                "as text and import that)"
            )
    if fmt not in FORMATS:
        raise ParseError(
            f"unknown format “{fmt}”; known formats: {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[fmt].parse(text)


__all__ = [
    "FORMATS",
    "Item",
    "ItemKind",
    "ParseError",
    "ParsedEpisode",
    "Section",
    "detect_format",
    "parse",
]
