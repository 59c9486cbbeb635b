"""What every source parser returns: one ``ParsedEpisode`` per file.

Parsers turn text into episode metadata plus a list of items (quotes, bullets,
speaker turns), each with exact offsets into ``ParsedEpisode.source_text``.
For summary pages and transcripts that is the text the parser was given; for
captions (WebVTT, SRT) it is a transcript rendered from the cues, because a
sentence runs across cues and the raw file would put timing lines inside
quotes. The importer stores ``source_text`` verbatim, so the offsets stay
valid and the database can check that a claim's quote is really in the
source. Parsers are pure functions: no database, no Django settings.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass
from enum import StrEnum


class ParseError(ValueError):
    """The text is not in the expected format; the message says what is wrong.

    ``line`` is the 1-based line of the file where the problem is, when known;
    ``str(error)`` then starts with "line N: ", so a caller that shows only
    the message still names the line.
    """

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason if line is None else f"line {line}: {reason}")


class ItemKind(StrEnum):
    QUOTE = "quote"
    BULLET = "bullet"
    TURN = "turn"  # one speaker's words in a transcript or captions


@dataclass(frozen=True)
class Item:
    """A passage of the source. ``text == source_text[start:end]``, end
    exclusive, offsets in code points (Python string indices).

    ``cue_starts`` holds the timing inside a turn: ``(offset, seconds)`` pairs,
    offsets into ``source_text`` in increasing order, the first one at
    ``start`` with ``timestamp_seconds``. A turn joined from several caption
    cues has one pair per cue, so a sentence can be timed by the cue it starts
    in (``timestamp_at``). Untimed items have none.
    """

    kind: ItemKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    section: str = ""
    timestamp_seconds: int | None = None
    cue_starts: tuple[tuple[int, int], ...] = ()

    def timestamp_at(self, offset: int) -> int | None:
        """Seconds at ``offset`` (into ``source_text``): the last cue started there."""
        index = bisect.bisect_right(self.cue_starts, offset, key=lambda cue: cue[0])
        return self.cue_starts[index - 1][1] if index else self.timestamp_seconds


@dataclass(frozen=True)
class Section:
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedEpisode:
    format: str
    title: str  # "" when the file has none (captions): use the file name
    show: str  # "" when the file has none: the importer needs --show
    published_on: datetime.date | None
    source_text: str  # what every offset points into; store it verbatim
    guest: str | None = None  # the first of ``guests``, if any
    guests: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    subtitle: str = ""
    takeaways: tuple[Item, ...] = ()
    guest_intro: str = ""
    sections: tuple[Section, ...] = ()
    items: tuple[Item, ...] = ()

    @property
    def quotes(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == ItemKind.QUOTE)

    @property
    def bullets(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == ItemKind.BULLET)

    @property
    def turns(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.kind == ItemKind.TURN)
