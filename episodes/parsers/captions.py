"""What WebVTT and SRT share: timing-line checks and the rendered transcript.

The libraries (webvtt-py, srt) read the cues, but neither says on which line
a file goes wrong, and both skip or absorb what they cannot read: srt takes
"00:00:0" for a time and folds a cue with a broken timing line into the cue
before it; webvtt-py drops a block without a timing line. So each format
first walks its lines with ``Timing`` checks here and refuses, naming the
line, what the libraries would silently misread.

Captions are then rendered as a transcript, the text the desk reads and that
item offsets point into: consecutive cues of one speaker become one turn,
written as a line ``[hh:mm:ss] Name: text`` (the shape ``transcript`` reads),
the cues' texts joined by a space, so a sentence that runs across cues is one
piece of text. Each turn keeps every cue's start as ``Item.cue_starts``.

A long run of one speaker's cues (a lecture, a monologue, or captions with
no voice tags at all, as generated captions come) is cut into paragraphs:
a new one starts after a cue that ends a sentence once the paragraph holds
``PARAGRAPH_CHARS``, or at any cue once it holds ``PARAGRAPH_CHARS_MAX``
(captions without punctuation). Two hours of untagged captions were one
121,406-character passage, which the importer refuses as no real turn.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from episodes.parsers.base import Item, ItemKind, ParseError
from episodes.parsers.metadata import clock, is_annotation

# <i>, <c.yellow>, {\an8}; a tag holds no "<" ("{"), so a run of 100,000
# "<" is read once, not once from each (11.8 s: found in review).
_TAG = re.compile(r"<[^<>]*>|\{\\[^{}]*\}")
# Where a timing line is due (after a cue number, at the start of a block), a
# line meant as one: it has the arrow or starts with a time ("00:00:20.000
# 00:00:24.000", "00:00:01,000 -> …", a cut-off "00:03:42,0").
_LOOKS_TIMED = re.compile(r"^\s*\d{1,3}:\d{2}[:.,]")
_QUOTED_MAX = 60
PARAGRAPH_CHARS = 2_000
PARAGRAPH_CHARS_MAX = 10_000
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")


def looks_timed(line: str) -> bool:
    return "-->" in line or bool(_LOOKS_TIMED.match(line))


def quoted(line: str) -> str:
    """``line`` in quotation marks for a message, shortened if long."""
    line = line.strip()
    return f"“{line if len(line) <= _QUOTED_MAX else line[: _QUOTED_MAX - 1] + '…'}”"


# The latest time a cue may have: SubRip's three-digit hours. WebVTT allows
# any number of hours, and a claim's second in its episode is a 32-bit
# integer (68 years): 600000:00:01.000 passed the parser and failed at the
# database.
LATEST_HOURS = 999
LATEST_MS = LATEST_HOURS * 3600 * 1000


@dataclass(frozen=True)
class Timing:
    """A timing-line grammar: ``pattern`` has groups h1 m1 s1 ms1 h2 m2 s2 ms2."""

    pattern: re.Pattern[str]
    shape: str  # what the message asks for, e.g. "HH:MM:SS,mmm --> HH:MM:SS,mmm"
    separator: str  # before the milliseconds, for showing a time back

    def check(self, line: str, number: int, *, last: bool = False) -> tuple[int, int]:
        """(start, end) in milliseconds; ``ParseError`` naming the line if wrong.

        ``last``: the line ends the file, so a broken one was likely cut off.
        """
        match = self.pattern.match(line)
        times = _milliseconds(match) if match else None
        if times is None:
            cut = "; the file ends here and looks cut off" if last else ""
            raise ParseError(
                f"timing line {quoted(line)} is malformed; expected {self.shape}" + cut,
                line=number,
            )
        start, end = times
        if end > LATEST_MS:
            raise ParseError(
                f"the cue ends at {self.show(end)}, past {LATEST_HOURS} hours; no "
                f"recording is that long, so fix the timing line {quoted(line)} or "
                "export the captions again",
                line=number,
            )
        if end < start:
            raise ParseError(
                f"the cue ends ({self.show(end)}) before it starts "
                f"({self.show(start)}); fix the timing line {quoted(line)} or "
                "export the captions again",
                line=number,
            )
        return times

    def show(self, milliseconds: int) -> str:
        seconds, millis = divmod(milliseconds, 1000)
        return f"{clock(seconds)[1:-1]}{self.separator}{millis:03d}"


def _milliseconds(match: re.Match[str]) -> tuple[int, int] | None:
    times = []
    for side in "12":
        hours = int(match[f"h{side}"] or 0)
        minutes, seconds = int(match[f"m{side}"]), int(match[f"s{side}"])
        if minutes > 59 or seconds > 59:
            return None
        millis = int(match[f"ms{side}"])
        times.append(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
    return times[0], times[1]


def cut_off(number: int) -> ParseError:
    return ParseError(
        "the file ends in the middle of a cue (a timing line with no text after "
        "it); it looks cut off, so export the captions again",
        line=number,
    )


@dataclass(frozen=True)
class Cue:
    """Part of a caption cue spoken by one speaker (None: not known)."""

    seconds: int
    speaker: str | None
    text: str


def clean(text: str) -> str:
    """Caption text as read: tags dropped, entities decoded, one line."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def render(cues: Iterable[Cue]) -> tuple[str, tuple[Item, ...]]:
    """The transcript of ``cues`` and its turns, offsets into that transcript."""
    lines: list[str] = []
    items: list[Item] = []
    at = 0
    spoken = _without_repeats(
        cue for cue in cues if cue.text and not is_annotation(cue.text)
    )
    for speaker, group in itertools.groupby(spoken, key=lambda cue: cue.speaker):
        for turn in _paragraphs(list(group)):
            at = _render_turn(speaker, turn, at, lines, items)
    return "".join(lines), tuple(items)


def _without_repeats(cues: Iterable[Cue]) -> Iterable[Cue]:
    """Each cue once: a cue block pasted twice (same start, speaker and
    text, one after the other) doubled its words in the transcript."""
    previous = None
    for cue in cues:
        if cue != previous:
            yield cue
        previous = cue


def _paragraphs(cues: list[Cue]) -> Iterable[list[Cue]]:
    """One speaker's consecutive cues, cut where a long run allows (above)."""
    paragraph: list[Cue] = []
    length = 0
    for cue in cues:
        paragraph.append(cue)
        length += len(cue.text) + 1
        if length >= PARAGRAPH_CHARS_MAX or (
            length >= PARAGRAPH_CHARS and _SENTENCE_END.search(cue.text)
        ):
            yield paragraph
            paragraph, length = [], 0
    if paragraph:
        yield paragraph


def _render_turn(
    speaker: str | None, turn: list[Cue], at: int, lines: list[str], items: list[Item]
) -> int:
    """Append one turn's line and item; the offset after it."""
    label = clock(turn[0].seconds) + (f" {speaker}: " if speaker else " ")
    start = at + len(label)
    cue_starts, offset = [], start
    for cue in turn:
        cue_starts.append((offset, cue.seconds))
        offset += len(cue.text) + 1
    text = " ".join(cue.text for cue in turn)
    items.append(
        Item(
            ItemKind.TURN,
            text,
            start,
            start + len(text),
            speaker=speaker,
            timestamp_seconds=turn[0].seconds,
            cue_starts=tuple(cue_starts),
        )
    )
    lines.append(label + text + "\n")
    return start + len(text) + 1
