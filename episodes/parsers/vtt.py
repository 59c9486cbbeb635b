"""WebVTT captions with voice tags, read with webvtt-py.

The layout::

    WEBVTT

    NOTE
    Title: Chips, clouds and the 2028 deadline     ← optional metadata, in
    Show: Signal Check                               a NOTE before the first
    Recorded May 8, 2026                             cue (see ``metadata``)

    1
    00:00:04.000 --> 00:00:09.500
    <v Maya Lindqvist>Welcome back to Signal Check.

    00:00:09.500 --> 00:00:12.000
    I'm Maya Lindqvist.                          ← no voice: same speaker

The speaker is the cue's voice tag (``<v Name>``, classes allowed: ``<v.loud
Name>``); a cue may switch voices part-way, and a cue without one continues
the speaker before it. webvtt-py's ``Caption.voice`` reads only a tag at the
very start of a cue, so voices are read from ``raw_text`` here. Without a
Title line the title is the text after "WEBVTT" on the first line, or ""
(the importer uses the file name); without a Show line the show is "" (the
importer asks for one).

``source_text`` is the transcript rendered by ``captions.render``, not the
file; every timing line is checked first (``captions``), so a broken file is
refused with its line number rather than read in part.
"""

from __future__ import annotations

import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from episodes.parsers.base import ParsedEpisode, ParseError
from episodes.parsers.captions import (
    Cue,
    Timing,
    clean,
    cut_off,
    looks_timed,
    quoted,
    render,
)
from episodes.parsers.metadata import Header, speaker_name

FORMAT = "vtt"

_TIME = r"(?:(?P<h{n}>\d+):)?(?P<m{n}>\d{{2}}):(?P<s{n}>\d{{2}})\.(?P<ms{n}>\d{{3}})"
TIMING = Timing(
    re.compile(
        rf"^\s*{_TIME.format(n=1)}[ \t]*-->[ \t]*{_TIME.format(n=2)}(?:[ \t].*)?$"
    ),
    shape="HH:MM:SS.mmm --> HH:MM:SS.mmm (hours optional)",
    separator=".",
)
_HEADER = re.compile(r"^\ufeff?WEBVTT(?=[ \t\r\n]|$)")
_NOTE = re.compile(r"^NOTE(?=[ \t]|$)")
# Classes (".loud") hold no dot and no "<", and nothing is given back: "<v"
# and 40 ".a" had 2^40 ways to split its classes (a 121-byte file never
# finished planning), and a run of "<v.a" read on from each "<v" to the end
# of the line (both found in review).
_VOICE = re.compile(r"<v(?:\.[^\s<>.]+)*+[ \t]++(?P<name>[^<>]+)>")
_STRAY = (
    "is not in any cue; a cue starts with a timing line like "
    "00:00:01.000 --> 00:00:04.000, and a blank line inside a cue's text ends "
    "the cue"
)


def detect(text: str) -> bool:
    """A WebVTT file's first line starts with "WEBVTT"."""
    return bool(_HEADER.match(text[:20]))


def _check(lines: list[str]) -> tuple[Header, int]:
    """Walk the lines as WebVTT blocks; return the metadata and the cue count.

    Refuses, with the line number, a malformed timing line, a cue ending
    before it starts, a block that belongs to no cue (its timing line lost its
    arrow) and a last cue cut off before its text.
    """
    meta = Header()
    state = "header"  # header, block, identifier, cue, note
    cues, last_timing, has_text, pending = 0, 0, True, (0, "")
    last = max((n for n, line in enumerate(lines, start=1) if line.strip()), default=0)
    for number, line in enumerate(lines, start=1):
        if number == 1:
            if not _HEADER.match(line):
                raise ParseError("a WebVTT file starts with “WEBVTT”", line=1)
            title = line.lstrip("\ufeff")[len("WEBVTT") :].strip(" \t-–—")
            meta.title = title
            continue
        if not line.strip():
            if state == "identifier":
                raise ParseError(f"{quoted(pending[1])} {_STRAY}", line=pending[0])
            state = "block"
            continue
        if "-->" in line or (state in ("block", "identifier") and looks_timed(line)):
            TIMING.check(line, number, last=number == last)
            cues, last_timing, has_text, state = cues + 1, number, False, "cue"
        elif state == "cue":
            has_text = True
        elif state == "block":
            if _NOTE.match(line) or line.strip() in ("STYLE", "REGION"):
                state = "note"
                if cues == 0 and _NOTE.match(line):
                    meta.read(line[len("NOTE") :], line=number)
            else:
                state, pending = "identifier", (number, line)
        elif state == "identifier":
            raise ParseError(f"{quoted(pending[1])} {_STRAY}", line=pending[0])
        elif state in ("header", "note") and cues == 0:
            meta.read(line, line=number)
    if state == "identifier":
        raise ParseError(f"{quoted(pending[1])} {_STRAY}", line=pending[0])
    if not has_text:
        raise cut_off(last_timing)
    return meta, cues


def _cues(captions: list[webvtt.Caption]) -> list[Cue]:
    cues: list[Cue] = []
    speaker = None
    for caption in captions:
        seconds, raw = caption.start_in_seconds, caption.raw_text
        voices = list(_VOICE.finditer(raw))
        pieces = [(speaker, raw[: voices[0].start() if voices else len(raw)])]
        for index, voice in enumerate(voices):
            end = voices[index + 1].start() if index + 1 < len(voices) else len(raw)
            speaker = speaker_name(voice["name"])
            pieces.append((speaker, raw[voice.end() : end]))
        texts = [(who, clean(text)) for who, text in pieces]
        cues += [Cue(seconds, who, text) for who, text in texts if text]
    return cues


def parse(text: str) -> ParsedEpisode:
    """Read WebVTT captions; raise ``ParseError`` naming the line that is wrong."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, count = _check(lines)
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError, ValueError) as error:
        raise ParseError(f"webvtt-py cannot read the captions: {error}") from None
    if len(captions) != count:
        raise ParseError(
            f"webvtt-py read {len(captions)} cues where the file has {count} timing "
            "lines; check the file in a caption editor and export it again"
        )
    source_text, items = render(_cues(captions))
    if not items:
        raise ParseError(
            "no cues with text found; a cue is a timing line like "
            "00:00:01.000 --> 00:00:04.000 followed by its text"
        )
    return ParsedEpisode(
        format=FORMAT,
        title=meta.title,
        show=meta.show,
        published_on=meta.published_on,
        source_text=source_text,
        guest=meta.guests[0] if meta.guests else None,
        guests=meta.guests,
        hosts=meta.hosts,
        items=items,
    )
