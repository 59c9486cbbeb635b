"""What every source parser returns: one ``ParsedEpisode`` per file.

Parsers turn raw text into episode metadata plus a list of items (quotes,
bullets, and later speaker turns and caption cues), each with exact offsets into
the text they were given. The importer stores that text verbatim, so the
offsets stay valid and the database can check that a claim's quote is really
in the source. Parsers are pure functions: no database, no Django settings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum


class ParseError(ValueError):
    """The text is not in the expected format; the message says what is missing."""


class ItemKind(StrEnum):
    QUOTE = "quote"
    BULLET = "bullet"


@dataclass(frozen=True)
class Item:
    """A passage of the source. ``text == source[start:end]``, end exclusive,
    offsets in code points (Python string indices)."""

    kind: ItemKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    section: str = ""
    timestamp_seconds: int | None = None


@dataclass(frozen=True)
class Section:
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedEpisode:
    format: str
    title: str
    show: str
    published_on: datetime.date | None
    guest: str | None = None
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
