"""Plan an import: a file's bytes → everything it would create, without the
database.

Reading, decoding, parsing and extraction are pure, so a dry run is this
step alone, and a batch can plan files in worker processes (``batch.py``).
``save.py`` then writes a plan in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings

from claims.extraction.candidates import (
    CUE_PASSAGE_CHARS,
    Candidate,
    count_passages,
    cut_at_cues,
    find_candidates,
)

# Check-worthiness below which a sentence is not stored (--min-score).
from claims.extraction.scoring import THRESHOLD as DEFAULT_MIN_SCORE
from episodes.parsers import ItemKind, ParsedEpisode, ParseError, decode, parse

_NAME_MAX = 200  # Show.name, Person.name
_TITLE_MAX = 500  # Episode.title


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class ImportPlan:
    """Everything the file would create, computed without the database."""

    name: str
    checksum: str
    parsed: ParsedEpisode
    show_name: str
    candidates: tuple[Candidate, ...]
    # Non-fatal problems to show the user (an encoding fallback, …).
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What Episode.source_text stores and claim offsets point into."""
        return self.parsed.source_text

    @property
    def title(self) -> str:
        title = self.parsed.title or PurePath(self.name).stem
        return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1] + "…"

    def count(self, origin: ItemKind) -> int:
        return sum(1 for c in self.candidates if c.origin == origin)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int) -> None:
    """Refuse a file over the size limit; callers may check it before reading."""
    limit = settings.CLAIMDESK_MAX_SOURCE_BYTES
    if size > limit:
        raise ImportRefused(
            f"the file is {size:,} bytes, over the {limit:,}-byte limit "
            "(CLAIMDESK_MAX_SOURCE_BYTES); import a smaller export or raise the limit"
        )


def _check_names(parsed: ParsedEpisode, show_name: str) -> None:
    if not show_name:
        raise ImportRefused(
            f"the file names no show (a {parsed.format} file may not carry one); "
            "give the show's name (the import form's Show field, or --show "
            "on the command line)"
        )
    if len(show_name) > _NAME_MAX:
        where = "the file's show" if show_name == parsed.show else "the show's name"
        raise ImportRefused(
            f"{where} “{show_name[:40]}…” is longer than {_NAME_MAX} characters; "
            "give a shorter one (the import form's Show field, or --show on the "
            "command line)"
        )
    names = [*parsed.guests, *parsed.hosts]
    names += [item.speaker or "" for item in parsed.items]
    too_long = next((name for name in names if len(name) > _NAME_MAX), None)
    if too_long:
        raise ImportRefused(
            f"the name “{too_long[:40]}…” is longer than {_NAME_MAX} characters; "
            "check the file's speaker names"
        )


# Where no real episode goes: a three-hour interview has a few thousand
# turns, a panel a dozen speakers, a long turn a few thousand characters.
# A file past these is refused at once, before the slow part (extraction),
# so every import ends in seconds (docs/performance.md, pathological files).
MAX_ITEMS = 20_000
MAX_SPEAKERS = 200
MAX_ITEM_CHARS = 100_000
# A three-hour episode has about 2,500 sentences and 200,000 characters of
# speech; the longest podcasts (six, eight hours) under three times that.
# Scoring costs per sentence and per character (most of it per figure), and
# each sentence may become a claim: long turns of short sentences pack far
# more into 5 MB than MAX_ITEMS lets turns carry, long sentences far more
# text than 20,000 sentences of speech hold.
MAX_SENTENCES = 20_000
MAX_TEXT_CHARS = 2_000_000
# One fact said more often than this is a broken or hostile file.
MAX_MENTIONS = 200


def _line(parsed: ParsedEpisode, offset: int) -> int:
    return parsed.source_text.count("\n", 0, offset) + 1


def _check_bounds(parsed: ParsedEpisode) -> None:
    items = parsed.items
    if len(items) > MAX_ITEMS:
        raise ImportRefused(
            f"the file has {len(items):,} turns, captions or bullets; a real "
            f"episode has far fewer than {MAX_ITEMS:,}. Check that it is one "
            "episode, or split it"
        )
    long = next((item for item in items if len(item.text) > MAX_ITEM_CHARS), None)
    if long is not None:
        raise ImportRefused(
            f"line {_line(parsed, long.start)}: one passage is "
            f"{len(long.text):,} characters long, over {MAX_ITEM_CHARS:,}; a "
            "transcript's turns or captions are never that long. Check the "
            "file's line breaks or speaker labels"
        )
    text = sum(len(item.text) for item in (*items, *parsed.takeaways))
    if text > MAX_TEXT_CHARS:
        raise ImportRefused(
            f"the file holds {text:,} characters of speech and text, over "
            f"{MAX_TEXT_CHARS:,}; a three-hour episode has about 200,000. "
            "Check that it is one episode, or split it"
        )
    speakers = {item.speaker.casefold() for item in items if item.speaker}
    if len(speakers) > MAX_SPEAKERS:
        raise ImportRefused(
            f"the file names {len(speakers):,} different speakers, over "
            f"{MAX_SPEAKERS}; a real episode has a handful. Check the speaker "
            "labels (a colon in ordinary text can look like one)"
        )


def _check_sentences(parsed: ParsedEpisode) -> None:
    count = count_passages(parsed, up_to=MAX_SENTENCES)
    if count > MAX_SENTENCES:
        raise ImportRefused(
            f"the file has more than {MAX_SENTENCES:,} sentences; a three-hour "
            "episode has about 2,500. Check that it is one episode, or split it"
        )


def _check_mentions(parsed: ParsedEpisode, candidates: list[Candidate]) -> None:
    repeated = next((c for c in candidates if len(c.mentions) > MAX_MENTIONS), None)
    if repeated is not None:
        raise ImportRefused(
            f"line {_line(parsed, repeated.start)}: the passage "
            f"“{repeated.quote[:60]}” is said {len(repeated.mentions) + 1:,} "
            f"times, over {MAX_MENTIONS}; no real episode repeats a claim that "
            "often. Check the file"
        )


def plan_import(
    data: bytes,
    *,
    name: str,
    show_name: str | None = None,
    fmt: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> ImportPlan:
    """Read, parse and extract; raise ``ImportRefused`` for a file that cannot be."""
    check_size(len(data))
    try:
        decoded = decode(data)
        parsed = parse(decoded.text, fmt)
    except ParseError as error:
        raise ImportRefused(str(error)) from None
    show_name = " ".join((show_name or parsed.show).split())
    _check_names(parsed, show_name)
    _check_bounds(parsed)
    _check_sentences(parsed)
    candidates = find_candidates(parsed, min_score=min_score)
    _check_mentions(parsed, candidates)
    return ImportPlan(
        name=name,
        checksum=checksum(data),
        parsed=parsed,
        show_name=show_name,
        candidates=tuple(candidates),
        warnings=(*decoded.warnings, *_punctuation_warnings(parsed)),
    )


def _punctuation_warnings(parsed: ParsedEpisode) -> list[str]:
    cut = cut_at_cues(parsed)
    if not cut:
        return []
    return [
        "the captions have long stretches without sentence punctuation (as "
        f"machine-made captions do): they were cut into {cut:,} passages where a "
        f"caption starts, about every {CUE_PASSAGE_CHARS} characters, so a claim "
        "may begin or end mid-sentence; check each claim's quote"
    ]
