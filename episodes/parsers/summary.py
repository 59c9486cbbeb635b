"""Summary pages: a show's episode page saved as text.

The layout, line by line (from ``seeds/big-technology-…-anthropic.txt``)::

    Ranjan Roy: SpaceX’s partnership … efficiency | Big Technology   ← title
    SpaceX's new role in AI computing could redefine …               ← subtitle
    Listen on Big Technology PodcastShare                            ← page chrome
    Add us on Google by Editorial Team May. 8, 2026Key takeaways     ← date, glued
    - A takeaway.                                                    ← takeaways
    Guest intro
    Ranjan Roy is the founder of Margins. …                          ← sentences
    The surprising SpaceX and Anthropic partnership                  ← a heading
    - A bullet.
    -                                                                ← a quote opens
    The deal between SpaceX and Anthropic is both surprising …       ← the quote
    — Ranjan Roy                                                     ← its speaker

The first-line name is the episode's guest. Offsets are Python string indices
into the text as given, which is also ``source_text`` (code points, end
exclusive), so a quote with curly apostrophes or "…" slices back exactly;
lines may end in LF or CRLF.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from episodes.parsers.base import Item, ItemKind, ParsedEpisode, ParseError, Section

FORMAT = "summary"

# Each part taken whole and never given back, its spaces dropped by the
# reader: lazy parts beside "\s*" were quadratic in a run of spaces (found
# in review). A part made only of spaces no longer counts as one.
_TITLE = re.compile(
    r"^\ufeff?\s*+(?P<guest>[^:|]{1,100}+)\s*+:\s*+(?P<topics>[^|]++)"
    r"\|\s*+(?P<show>[^|]++)$"
)
_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_DATE = re.compile(
    r"(?<![A-Za-z])(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})(?!\d)"
)
_PAGE_CHROME = ("Listen on", "Add us on", "Share")
_BULLET = re.compile(r"^\s*[-•*]\s+(?=\S)")
_QUOTE_OPENS = re.compile(r"^\s*-\s*$")
# "Key takeaways" alone on its line or glued to the date ("May. 8, 2026Key
# takeaways"), not inside a sentence ("Maya: here are the key takeaways").
_TAKEAWAYS_MARK = re.compile(r"^(?:.*\d{4})?\s*Key takeaways\s*$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^\s*+(?:[—–―]|--)\s*+(?P<speaker>\S.*)$")
# Guest-intro lines are sentences; headings carry no closing punctuation.
_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")
_QUOTE_SHAPE = "a lone “-” line, the quote, then “— Speaker”"


@dataclass(frozen=True)
class _Line:
    number: int
    start: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def span(self, skip: int = 0) -> tuple[int, int]:
        """Offsets of the line's text after ``skip`` characters, trimmed of spaces."""
        rest = self.text[skip:]
        lead = len(rest) - len(rest.lstrip())
        return self.start + skip + lead, self.start + len(self.text.rstrip())


def _lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(_Line(number, start, raw.removesuffix("\r")))
        start += len(raw) + 1
    return [line for line in lines if line.stripped]


def detect(text: str) -> bool:
    """A summary page starts with "Guest: topics | Show" and has the page's
    marks: "Key takeaways" or a quote opened by a lone "-" line.

    The first line alone is not enough: a transcript's title line often reads
    the same way ("Ranjan Roy: SpaceX and Anthropic | Big Technology").
    """
    first = next((line for line in text[:2000].split("\n") if line.strip()), "")
    if not _TITLE.match(first):
        return False
    return any(
        _TAKEAWAYS_MARK.match(line) or _QUOTE_OPENS.match(line)
        for line in text.split("\n")
    )


def _find_date(lines: list[_Line]) -> tuple[int, datetime.date, str]:
    """(index of the date line, the date, what follows it on that line).

    The date sits in the header, before the first bullet; prefer the one glued
    to "Key takeaways" or ending its line, so a date in the subtitle loses.
    """
    found: list[tuple[int, re.Match[str]]] = []
    for index, line in enumerate(lines[1:], start=1):
        if _BULLET.match(line.text) or _QUOTE_OPENS.match(line.text):
            break
        found += [(index, match) for match in _DATE.finditer(line.text)]
    if not found:
        raise ParseError(
            "no publication date (like “May. 8, 2026”) before the first bullet; "
            "export the whole summary page, header included"
        )

    def rank(entry: tuple[int, re.Match[str]]) -> bool:
        index, match = entry
        rest = lines[index].text[match.end() :].strip().casefold()
        return not (rest == "" or rest.startswith("key takeaways"))

    index, match = min(found, key=rank)
    try:
        date = datetime.date(
            int(match["year"]),
            _MONTHS.index(match["month"].casefold()) + 1,
            int(match["day"]),
        )
    except ValueError:
        raise ParseError(
            f"“{match[0]}” is not a real date", line=lines[index].number
        ) from None
    return index, date, lines[index].text[match.end() :].strip()


def _split_topics(topics: str) -> tuple[str, ...]:
    parts = (re.sub(r"^and\s+", "", part.strip()) for part in topics.split(","))
    return tuple(part for part in parts if part)


def parse(text: str) -> ParsedEpisode:
    """Read a summary page; raise ``ParseError`` saying what is missing."""
    lines = _lines(text)
    title_match = _TITLE.match(lines[0].text) if lines else None
    if title_match is None:
        raise ParseError(
            "not a summary page: the first line should read “Guest: topics | Show”"
        )
    date_index, published_on, after_date = _find_date(lines)
    subtitle = next(
        (
            line.stripped
            for line in lines[1:date_index]
            if not line.stripped.startswith(_PAGE_CHROME)
        ),
        "",
    )
    body = _Body(text)
    body.mode = "takeaways" if after_date.casefold().startswith("key takeaways") else ""
    body.read(lines[date_index + 1 :])
    if not any(item.kind == ItemKind.QUOTE for item in body.items):
        raise ParseError(
            f"no quotes found; a summary page marks each one as {_QUOTE_SHAPE}"
        )
    guest = " ".join(title_match["guest"].split())
    topics = " ".join(title_match["topics"].split())
    return ParsedEpisode(
        format=FORMAT,
        title=f"{guest}: {topics}",
        show=" ".join(title_match["show"].split()),
        published_on=published_on,
        source_text=text,
        guest=guest,
        guests=(guest,),
        topics=_split_topics(topics),
        subtitle=subtitle,
        takeaways=tuple(body.takeaways),
        guest_intro=" ".join(body.intro),
        sections=tuple(body.sections),
        items=tuple(body.items),
    )


class _Body:
    """Walks the lines after the date: takeaways, guest intro, sections."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.mode = ""  # "takeaways", "intro" or "" (inside a section)
        self.section = ""
        self.takeaways: list[Item] = []
        self.intro: list[str] = []
        self.sections: list[Section] = []
        self.items: list[Item] = []

    def read(self, lines: list[_Line]) -> None:
        index = 0
        while index < len(lines):
            line = lines[index]
            if _QUOTE_OPENS.match(line.text):
                index = self._quote(lines, index)
                continue
            self._line(line)
            index += 1

    def _quote(self, lines: list[_Line], opener: int) -> int:
        """Read the quote opened at ``lines[opener]``; return the next index."""
        end = opener + 1
        while end < len(lines) and not _ATTRIBUTION.match(lines[end].text):
            if _QUOTE_OPENS.match(lines[end].text) or _BULLET.match(lines[end].text):
                break
            end += 1
        if end == len(lines) or not _ATTRIBUTION.match(lines[end].text):
            raise ParseError(
                "a quote opens with a lone “-” but no “— Speaker” line follows "
                f"it; each quote is {_QUOTE_SHAPE}",
                line=lines[opener].number,
            )
        if end == opener + 1:
            raise ParseError("the quote after “-” is empty", line=lines[opener].number)
        start, _ = lines[opener + 1].span()
        _, stop = lines[end - 1].span()
        speaker = _ATTRIBUTION.match(lines[end].text)["speaker"]
        self.items.append(
            Item(
                ItemKind.QUOTE,
                self.text[start:stop],
                start,
                stop,
                speaker=" ".join(speaker.split()),
                section=self.section,
            )
        )
        self.mode = ""
        return end + 1

    def _line(self, line: _Line) -> None:
        stripped = line.stripped
        if bullet := _BULLET.match(line.text):
            start, end = line.span(bullet.end())
            if self.mode == "takeaways":
                self.takeaways.append(
                    Item(ItemKind.BULLET, self.text[start:end], start, end)
                )
            else:
                self.items.append(
                    Item(
                        ItemKind.BULLET,
                        self.text[start:end],
                        start,
                        end,
                        section=self.section,
                    )
                )
        elif _ATTRIBUTION.match(line.text):
            raise ParseError(
                f"“{stripped}” names a speaker but no quote comes before it; "
                f"each quote is {_QUOTE_SHAPE}",
                line=line.number,
            )
        elif stripped.casefold() == "key takeaways":
            self.mode = "takeaways"
        elif stripped.casefold() == "guest intro":
            self.mode = "intro"
        elif self.mode == "intro" and _SENTENCE_END.search(stripped):
            self.intro.append(stripped)
        else:
            start, end = line.span()
            self.sections.append(Section(stripped, start, end))
            self.section = stripped
            self.mode = ""
