"""Speaker-labelled transcripts: a header, then one line per turn.

The layout::

    Chips, clouds and the 2028 deadline            ← title (optional)
    Recorded May 8, 2026                           ← date (optional)
    Show: Signal Check                             ← header lines (optional)
    Host: Maya Lindqvist
    Guests: Ranjan Roy, Priya Natarajan

    [00:00:04] Maya Lindqvist: Welcome back.       ← a turn
    [12:31] Ranjan Roy: Timestamps may be mm:ss,   ← or none at all:
    Priya Natarajan: Sure.
    and a line without a label continues the turn before it.
    [00:14:02] A new timestamp without a name is the same speaker again.

Header lines are described in ``metadata``. The first line is the title
unless it is a header line or a turn; a first line shaped like a turn
("Ranjan Roy: SpaceX and Anthropic") is still the title when a date or header
line follows it. Timestamps are ``[hh:mm:ss]``, ``[mm:ss]`` or the same in
parentheses, optionally with a fraction of a second (dropped).

Each turn becomes a ``TURN`` item whose text runs from the first word after
the label to the end of its last line, so ``source_text`` is the text as
given and every offset slices back exactly (lines may end in LF or CRLF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from episodes.parsers.base import Item, ItemKind, ParsedEpisode, ParseError
from episodes.parsers.metadata import (
    SPEAKER_LABEL,
    Header,
    date_line,
    header_field,
    is_annotation,
    speaker_name,
    speaker_role,
)

FORMAT = "transcript"

_TIMESTAMP = re.compile(
    r"[\[(](?P<clock>(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,3}):(?P<s>\d{2}))(?:[.,]\d{1,3})?[\])]"
)
_DETECT_LINES = 200
_TURN_SHAPE = "“Name: text” or “[00:12:31] Name: text”"


@dataclass(frozen=True)
class _Line:
    number: int
    start: int
    text: str  # without the line break

    @property
    def begin(self) -> int:
        """Offset of the line's first non-space character."""
        return self.start + len(self.text) - len(self.text.lstrip())

    @property
    def end(self) -> int:
        """Offset just past the line's last non-space character."""
        return self.start + len(self.text.rstrip())


@dataclass(frozen=True)
class _Label:
    seconds: int | None
    speaker: str | None
    words_at: int  # index into the line where the words start
    role: str | None = None  # "host" or "guest" when the label says so


def _lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if line.strip():
            lines.append(_Line(number, start, line))
        start += len(raw) + 1
    return lines


def _seconds(match: re.Match[str], line: _Line, *, check: bool = True) -> int:
    hours, minutes, seconds = int(match["h"] or 0), int(match["m"]), int(match["s"])
    if check and (seconds > 59 or (match["h"] is not None and minutes > 59)):
        raise ParseError(
            f"timestamp “{match[0]}” is not a time; write it as [hh:mm:ss] or [mm:ss]",
            line=line.number,
        )
    return (hours * 60 + minutes) * 60 + seconds


def _label(line: _Line, *, check: bool = True) -> _Label | None:
    """The timestamp and speaker label that start ``line``, if any.

    ``check``: refuse a timestamp that is not a time ("[12:75]").
    """
    text = line.text
    at = len(text) - len(text.lstrip())
    seconds = speaker = role = None
    if stamp := _TIMESTAMP.match(text, at):
        seconds = _seconds(stamp, line, check=check)
        rest = text[stamp.end() :]
        at = stamp.end() + len(rest) - len(rest.lstrip())
    if name := SPEAKER_LABEL.match(text, at):
        speaker = speaker_name(name["name"])
        role = speaker_role(name["name"])
        at = name.end()
    if seconds is None and speaker is None:
        return None
    return _Label(seconds, speaker, at, role)


def _is_header(line: _Line, *, check: bool = True) -> bool:
    """A date or "Key: value" header line; ``check``: refuse an unreal date."""
    try:
        is_date = date_line(line.text, line=line.number) is not None
    except ParseError:
        if check:
            raise
        is_date = True
    return is_date or header_field(line.text) is not None


def _is_turn(line: _Line) -> bool:
    """A labelled line that is not a header line ("Date: …", "Show: …")."""
    return _label(line) is not None and not _is_header(line)


def _line_heads(text: str, count: int, width: int = 1_000) -> str:
    """The starts (``width`` characters) of the first ``count`` non-blank
    lines of ``text``, of at most ten times as many lines: a speaker's label
    is at the start of its line, and however long a turn is (a first turn of
    60,000 characters hid the second turn from a look at the first 50,000
    characters), the work stays bounded."""
    heads: list[str] = []
    start = 0
    for _ in range(10 * count):
        if len(heads) >= count or start > len(text):
            break
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        head = text[start : min(end, start + width)]
        if head.strip():
            heads.append(head)
        start = end + 1
    return "\n".join(heads)


def labelled_lines(text: str) -> tuple[int, int]:
    """(lines that start "Name: text", lines) among the first lines."""
    lines = _lines(_line_heads(text, _DETECT_LINES))[:_DETECT_LINES]
    named = sum(
        1
        for line in lines
        if (label := _label(line, check=False))
        and label.speaker
        and not _is_header(line, check=False)
    )
    return named, len(lines)


def detect(text: str) -> bool:
    """At least two "Name: text" lines, and one line in ten of the first lines."""
    named, lines = labelled_lines(text)
    return named >= 2 and named * 10 >= lines


def _body_start(lines: list[_Line]) -> int:
    """Index of the first turn: the lines before it are the header."""
    if not lines:
        return 0
    first = lines[0]
    if not _is_header(first) and (label := _label(first)) is not None:
        # "Ranjan Roy: SpaceX and Anthropic" followed by "Recorded May 8, 2026"
        # is a title; followed by more turns it is the first turn.
        followed_by_header = len(lines) > 1 and _is_header(lines[1])
        if label.seconds is not None or not followed_by_header:
            return 0
    return next(
        (index for index, line in enumerate(lines[1:], start=1) if _is_turn(line)),
        len(lines),
    )


@dataclass
class _Turn:
    speaker: str | None
    seconds: int | None
    start: int | None = None  # None until the turn has words
    end: int = 0
    role: str | None = None  # "host" or "guest" when its label says so
    # An annotation line ended it: the speaker's next unlabelled line starts
    # a new turn (a turn's text is one stretch of the source).
    closed: bool = False

    def add(self, start: int, end: int) -> None:
        if start < end:
            self.start = start if self.start is None else self.start
            self.end = end


def _turns(lines: list[_Line]) -> list[_Turn]:
    turns: list[_Turn] = []
    for line in lines:
        label = _label(line)
        words = line.text[label.words_at if label else 0 :]
        # A note on the recording belongs to nobody's turn (``annotation``);
        # the speaker's next unlabelled line starts a new turn of theirs.
        if (label is None or label.speaker is None) and is_annotation(words):
            if turns:
                turns[-1].closed = True
            continue
        if label is None and not turns:
            # Words before any turn, after a note ("[00:00:01] [MUSIC]",
            # then the host unnamed): a turn of nobody named, as before.
            turns.append(_Turn(None, None))
        if label is None:
            if turns[-1].closed:
                last = turns[-1]
                turns.append(_Turn(last.speaker, last.seconds, role=last.role))
            turns[-1].add(line.begin, line.end)
            continue
        speaker = label.speaker or (turns[-1].speaker if turns else None)
        turns.append(_Turn(speaker, label.seconds, role=label.role))
        turns[-1].add(line.start + label.words_at, line.end)
    return turns


def parse(text: str) -> ParsedEpisode:
    """Read a transcript; raise ``ParseError`` saying what is missing."""
    lines = _lines(text)
    body = _body_start(lines)
    header, plain = Header(), []
    for line in lines[:body]:
        # A "[MUSIC]" before the first turn is no title or subtitle.
        if not header.read(line.text, line=line.number) and not is_annotation(
            line.text
        ):
            plain.append(" ".join(line.text.split()))
    # The first plain line is the title (also when shaped like a turn: see
    # _body_start), unless a "Title:" line names it; the next, a subtitle.
    if not header.title and plain:
        header.title = plain.pop(0)
    turns = _turns(lines[body:])
    if not any(turn.speaker for turn in turns):
        raise ParseError(
            f"no speaker turns found; a transcript has lines like {_TURN_SHAPE} "
            "after its title and date"
        )
    items = tuple(
        Item(
            ItemKind.TURN,
            text[turn.start : turn.end],
            turn.start,
            turn.end,
            speaker=turn.speaker,
            timestamp_seconds=turn.seconds,
            cue_starts=() if turn.seconds is None else ((turn.start, turn.seconds),),
        )
        for turn in turns
        if turn.start is not None
    )
    # "Maya Lindqvist (host):" makes a host, "Guest (Priya):" a guest, as the
    # header's "Host:" and "Guests:" lines do.
    roles = {"host": list(header.hosts), "guest": list(header.guests)}
    known = {*header.hosts, *header.guests}
    for turn in turns:
        if turn.role and turn.speaker and turn.speaker not in known:
            roles[turn.role].append(turn.speaker)
            known.add(turn.speaker)
    hosts, guests = tuple(roles["host"]), tuple(roles["guest"])
    return ParsedEpisode(
        format=FORMAT,
        title=header.title,
        show=header.show,
        published_on=header.published_on,
        source_text=text,
        guest=guests[0] if guests else None,
        guests=guests,
        hosts=hosts,
        subtitle=plain[0] if plain else "",
        items=items,
    )
