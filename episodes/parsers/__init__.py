"""Source parsers: text → ``ParsedEpisode`` (metadata + items with offsets).

One module per source format, each with ``FORMAT``, ``detect(text) -> bool``
and ``parse(text) -> ParsedEpisode``. ``parse`` here picks the format, so
callers (the importer) never need to know which formats exist; adding one
means adding a module and a line to ``FORMATS``.

Detection tries the formats in ``FORMATS`` order, most specific first:
WebVTT (first line "WEBVTT"), SRT (a cue number and a timing line), a summary
page (first line "Guest: topics | Show" and the page's "Key takeaways" or
"-" quote marks), then a transcript ("Name: text" lines). A transcript whose
title reads like a summary page's first line is still a transcript, because
it lacks the summary marks.

Bytes become text with ``decoding.decode`` first: it also turns CRLF and CR
line endings into "\\n", which the caption parsers' line numbers count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from episodes.parsers import srt, summary, transcript, vtt
from episodes.parsers.base import Item, ItemKind, ParsedEpisode, ParseError, Section
from episodes.parsers.decoding import Decoded, decode


class Format(NamedTuple):
    detect: Callable[[str], bool]
    parse: Callable[[str], ParsedEpisode]


FORMATS: dict[str, Format] = {
    vtt.FORMAT: Format(vtt.detect, vtt.parse),
    srt.FORMAT: Format(srt.detect, srt.parse),
    summary.FORMAT: Format(summary.detect, summary.parse),
    transcript.FORMAT: Format(transcript.detect, transcript.parse),
}


def detect_format(text: str) -> str | None:
    return next((name for name, fmt in FORMATS.items() if fmt.detect(text)), None)


def parse(text: str, fmt: str | None = None) -> ParsedEpisode:
    """Parse ``text`` as ``fmt``, or as the format it looks like if ``fmt`` is None."""
    if fmt is None:
        fmt = detect_format(text)
        if fmt is None:
            one_turn = transcript.labelled_lines(text)[0] == 1
            raise ParseError(
                "unrecognised format: expected a summary page whose first line "
                "reads “Guest: topics | Show”, a transcript of “Name: text” or "
                "“[00:12:31] Name: text” lines, WebVTT captions (first line "
                "“WEBVTT”) or SRT captions (numbered cues); or name the format"
                + (
                    " (this file has one “Name: text” line: a transcript needs "
                    "at least two turns)"
                    if one_turn
                    else ""
                )
            )
    if fmt not in FORMATS:
        raise ParseError(
            f"unknown format “{fmt}”; known formats: {', '.join(sorted(FORMATS))}"
        )
    return FORMATS[fmt].parse(text)


__all__ = [
    "FORMATS",
    "Decoded",
    "Item",
    "ItemKind",
    "ParseError",
    "ParsedEpisode",
    "Section",
    "decode",
    "detect_format",
    "parse",
]
