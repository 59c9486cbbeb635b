"""SRT captions with "Name:" prefixes, read with the srt library.

The layout::

    1
    00:00:04,000 --> 00:00:09,500
    Maya Lindqvist: Welcome back to Signal Check.   ← the speaker's label

    2
    00:00:09,500 --> 00:00:12,000
    I'm Maya Lindqvist.                          ← no label: same speaker

A cue line may start with "Name:" (or "- Name:" or ">> Name:"), switching the
speaker part-way through a cue; a cue without one continues the speaker
before it. SRT has no header, so the title, show and date are "" / None: the
importer uses the file name and asks for the show.

``source_text`` is the transcript rendered by ``captions.render``, not the
file. The lines are checked first (``captions``): the srt library would read
"00:00:0" as a time and fold a cue whose timing line is broken into the cue
before it, losing its timing without a word.
"""

from __future__ import annotations

import re

import srt as srt_library

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
from episodes.parsers.metadata import SPEAKER_LABEL, speaker_name

FORMAT = "srt"

_TIME = r"(?P<h{n}>\d{{1,3}}):(?P<m{n}>\d{{2}}):(?P<s{n}>\d{{2}})[,.](?P<ms{n}>\d{{3}})"
TIMING = Timing(
    re.compile(
        rf"^\s*{_TIME.format(n=1)}[ \t]*-->[ \t]*{_TIME.format(n=2)}(?:[ \t].*)?$"
    ),
    shape="HH:MM:SS,mmm --> HH:MM:SS,mmm",
    separator=",",
)
_INDEX = re.compile(r"^\s*-?\d+(?:\.\d*)?\s*$")  # as the srt library reads one
_DIALOGUE_MARK = re.compile(r"^\s*(?:-|>>)\s*")
_SHAPE = "a number, a timing line like 00:00:01,000 --> 00:00:04,000, then its text"


def detect(text: str) -> bool:
    """The first lines are a cue number and a timing line, or a timing line."""
    lines = [line for line in text.lstrip("\ufeff")[:500].split("\n") if line.strip()]
    if not lines:
        return False
    if "-->" in lines[0]:
        return True
    return bool(_INDEX.match(lines[0])) and len(lines) > 1 and "-->" in lines[1]


def _check(lines: list[str]) -> int:
    """Walk the lines as SRT blocks; return the number of cues.

    Refuses, with the line number, a cue number that is not a number, a
    missing or malformed timing line, a cue ending before it starts, and a
    file cut off after a cue number or a timing line. A block with neither
    number nor timing line after a cue is more of its text, as the srt
    library reads it.
    """
    # start: before the first cue; index: after a cue number; cue: in a cue's
    # text; gap: after a blank line that follows a cue.
    state = "start"
    cues, last_timing, has_text, index = 0, 0, True, (0, "")
    last = max((n for n, line in enumerate(lines, start=1) if line.strip()), default=0)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if state == "index":
                raise _no_timing(index, "")
            state = "gap" if state == "cue" else state
            continue
        opens_block = state in ("start", "gap")
        following = lines[number] if number < len(lines) else ""
        if (
            state == "index"
            or (opens_block and looks_timed(line))
            or (state == "cue" and "-->" in line)  # no blank line before the cue
        ):
            if state == "index" and not looks_timed(line):
                raise _no_timing(index, line)
            TIMING.check(line, number, last=number == last)
            cues, last_timing, has_text, state = cues + 1, number, False, "cue"
        elif opens_block and _INDEX.match(line):
            state, index = "index", (number, line.strip())
        elif opens_block and "-->" in following:
            raise ParseError(
                f"cue number {quoted(line)} is not a number; each SRT cue is {_SHAPE}",
                line=number,
            )
        elif state in ("cue", "gap"):
            has_text, state = True, "cue"
        else:
            raise ParseError(
                f"expected a cue number, found {quoted(line)}; each SRT cue is "
                f"{_SHAPE}",
                line=number,
            )
    if state == "index":
        raise _no_timing(index, "")
    if not has_text:
        raise cut_off(last_timing)
    return cues


def _no_timing(index: tuple[int, str], line: str) -> ParseError:
    number, cue = index
    if not line:
        return ParseError(
            f"cue {cue} has no timing line after its number; if the file ends "
            "here it looks cut off, so export the captions again",
            line=number,
        )
    return ParseError(
        f"cue {cue} has no timing line: {quoted(line)} is not one; expected "
        f"{TIMING.shape}",
        line=number + 1,
    )


def _cues(subtitles: list[srt_library.Subtitle]) -> list[Cue]:
    cues: list[Cue] = []
    speaker = None
    for subtitle in subtitles:
        seconds = int(subtitle.start.total_seconds())
        pieces: list[tuple[str | None, list[str]]] = [(speaker, [])]
        for line in (clean(line) for line in subtitle.content.split("\n")):
            mark = _DIALOGUE_MARK.match(line)
            at = mark.end() if mark else 0
            if label := SPEAKER_LABEL.match(line, at):
                speaker = speaker_name(label["name"])
                pieces.append((speaker, [line[label.end() :]]))
            else:
                pieces[-1][1].append(line)
        texts = [(who, clean(" ".join(lines))) for who, lines in pieces]
        cues += [Cue(seconds, who, text) for who, text in texts if text]
    return cues


def parse(text: str) -> ParsedEpisode:
    """Read SRT captions; raise ``ParseError`` naming the line that is wrong."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    count = _check(text.split("\n"))
    try:
        subtitles = list(srt_library.parse(text))
    except srt_library.SRTParseError as error:
        line = text.count("\n", 0, error.expected_start) + 1
        raise ParseError(
            f"the srt library cannot read the captions from here; each SRT cue is "
            f"{_SHAPE}",
            line=line,
        ) from None
    except srt_library.TimestampParseError as error:
        raise ParseError(f"a timing line cannot be read: {error}") from None
    if len(subtitles) != count:
        raise ParseError(
            f"the srt library read {len(subtitles)} cues where the file has {count} "
            "timing lines; check the file in a caption editor and export it again"
        )
    source_text, items = render(_cues(subtitles))
    if not items:
        raise ParseError(f"no cues with text found; each SRT cue is {_SHAPE}")
    return ParsedEpisode(
        format=FORMAT,
        title="",
        show="",
        published_on=None,
        source_text=source_text,
        items=items,
    )
