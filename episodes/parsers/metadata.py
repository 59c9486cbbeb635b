"""Header lines, dates and speaker labels shared by transcripts and captions.

A transcript's header and a WebVTT file's leading ``NOTE`` block use the same
lines::

    Title: Chips, clouds and the 2028 deadline    (or a bare title line)
    Recorded May 8, 2026                           (or "Date: 2026-05-08",
                                                    or just "May. 8, 2026")
    Show: Signal Check
    Host: Maya Lindqvist                           (or "Hosts: A, B")
    Guests: Ranjan Roy and Priya Natarajan         (or "Guest: A")

A speaker label is a name of up to five words, each capitalised (or a
particle such as "de" or "van"), followed by a colon and a space:
"Ranjan Roy: …", "Dr. Priya Natarajan: …", "Speaker 2: …". Lowercase words
keep ordinary sentences with a colon ("Here is the thing: …") from being
read as speakers.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from episodes.parsers.base import ParseError

_CAPITALISED = r"[A-ZÀ-ÖØ-Þ0-9][\w.'’-]*"
_PARTICLE = r"(?:de|da|del|der|di|du|van|von|la|le|bin|al|y)"
NAME = rf"{_CAPITALISED}(?: (?:{_CAPITALISED}|{_PARTICLE})){{0,4}}"
# "Name: text" at the start of a line; the colon must be followed by a space
# or the end of the line, so "12:30" and "https://" are not labels. The name
# may carry a role in parentheses: "Maya Lindqvist (host):", "Guest (Priya):"
# (``speaker_name`` keeps the person).
SPEAKER_LABEL = re.compile(
    rf"(?P<name>{NAME}(?:[ \t]*\([^()\n:]{{1,60}}\))?)[ \t]*:(?=\s|$)[ \t]*"
)

# Words that name a part in the show, not a person: "Guest (Priya)" is Priya.
_ROLE_WORDS = frozenset(
    {
        "anchor",
        "audience",
        "caller",
        "co-host",
        "cohost",
        "guest",
        "host",
        "interviewer",
        "moderator",
        "narrator",
        "panelist",
        "presenter",
        "reporter",
        "speaker",
    }
)
_WITH_ROLE = re.compile(r"(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)")


# A label's role word → the episode role it gives (the rest give none).
_EPISODE_ROLES = {
    "host": "host",
    "co-host": "host",
    "cohost": "host",
    "presenter": "host",
    "anchor": "host",
    "guest": "guest",
}


def speaker_role(label: str) -> str | None:
    """ "host" or "guest" when a label says so ("Maya Lindqvist (host)",
    "Guest (Priya)"), else None."""
    parts = _WITH_ROLE.fullmatch(" ".join(label.split()))
    if parts is None:
        return None
    outer, inner = parts["outer"].strip(), parts["inner"].strip()
    word = outer if outer.casefold() in _ROLE_WORDS else inner
    return _EPISODE_ROLES.get(word.casefold())


# What a label may hold in parentheses that is no name: "Speaker (1)",
# "Caller (unidentified)" stay whole labels.
_NO_NAME = re.compile(r"\d.*|(?i:unknown|unidentified|off[- ]mic|inaudible)\b.*")


# A note on the recording, not speech: "[MUSIC]", "(Laughter)", "[Applause]",
# "[theme music fades]", "[BLANK_AUDIO]", "[crosstalk 00:01:02]", "[♪♪♪]":
# a few words in brackets, one of them a word for a sound (_NOTE_WORDS), or
# no letters at all, alone on its line or cue, or used as a label over
# words nobody says ("[MUSIC]: la la la", a song). Before, it ran on as the
# last speaker's words ("Welcome back. [MUSIC]"), and lyrics under
# "[MUSIC]:" were that speaker's claims; generated captions hold a "[Music]"
# cue at every jingle. Anything else in brackets is speech, or a label
# ("[NARRATOR]: …", "(Our revenue fell 40%.)"), and is read as before.
_NOTE = re.compile(r"[\[(](?P<words>[^\[\]()\n]{1,60})[\])](?P<label>[ \t]*:.*)?")
_NOTE_WORDS = frozenset(
    "music applause laughter laughs laughing laugh chuckles chuckling crosstalk "
    "inaudible unintelligible unclear indistinct chatter silence blank audio "
    "noise intro outro jingle sound sounds cheering cheers sighs sigh coughs "
    "cough pause break ad advert advertisement sponsor sponsored theme playing "
    "plays clapping static beep bleep bleeped background singing sings "
    "instrumental fades fade transition rings ringing".split()
)
_NOTE_WORD = re.compile(r"[^\W\d_]+")
_TIME_ONLY = re.compile(r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?")


def is_annotation(text: str) -> bool:
    """Is ``text`` (a line's words, a cue's text) only such a note: a few
    words in brackets, one of them a word for a sound, perhaps with a time
    ("[crosstalk 00:01:02]", "[BLANK_AUDIO]", "[ Music ]"), or no letters
    at all ("[♪♪♪]")?"""
    note = _NOTE.fullmatch(text.strip())
    if note is None:
        return False
    inside = note["words"]
    if "$" in inside or "%" in inside:  # an amount: someone's words
        return False
    words = [word.casefold() for word in _NOTE_WORD.findall(inside)]
    if not words:
        # No letters ("[♪♪♪]", "[...]", "[00:01:02]"): a note when it stands
        # alone and holds no number but a time; "[1]: Revenue grew…",
        # "(€40)", "[10,000]" are someone's (found in review).
        inside = inside.strip()
        return not note["label"] and (
            not any(c.isdigit() for c in inside) or bool(_TIME_ONLY.fullmatch(inside))
        )
    return len(words) <= 5 and any(word in _NOTE_WORDS for word in words)


def speaker_name(label: str) -> str:
    """The person a speaker label names: "Maya Lindqvist (host)" is Maya
    Lindqvist, "Guest (Priya)" is Priya (a role word with a capitalised name
    in parentheses); any other label as written, its spaces made single."""
    label = " ".join(label.split())
    parts = _WITH_ROLE.fullmatch(label)
    if parts is None:
        return label
    outer, inner = parts["outer"].strip(), parts["inner"].strip()
    if outer.casefold() not in _ROLE_WORDS:
        return outer
    if inner[:1].isupper() and not _NO_NAME.fullmatch(inner):
        return inner
    return label


_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = r"(?P<month>[A-Z][a-z]{2,8})\.?"
_DATES = (
    re.compile(
        rf"(?<![\w]){_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        r"(?P<year>\d{4})(?!\d)"
    ),
    re.compile(
        rf"(?<![\w])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+"
        r"(?P<year>\d{4})(?!\d)"
    ),
    re.compile(r"(?<![\w])(?P<year>\d{4})-(?P<number>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
)
_WEEKDAY = re.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b\.?",
    re.IGNORECASE,
)
_DATE_KEY = re.compile(
    r"^(?:Recorded|Published|Aired|Released|Date)\b(?:\s+on\b)?\s*:?\s*",
    re.IGNORECASE,
)
# A line that can only be a date line (a "Recorded …" line may be speech).
_DATE_FIELD = re.compile(r"^\s*Date\s*:\s*\S", re.IGNORECASE)
# What follows a date line's key when it is a date with a year of the wrong
# length ("Recorded May 9, 20266", "Aired 99999-01-01"): a typo to refuse,
# not speech, which would be saved undated (found by a new user).
_DATE_SHAPED = (
    re.compile(rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d+\s*$"),
    re.compile(rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d+\s*$"),
    re.compile(r"\d+-\d{1,2}-\d{1,2}\s*$"),
)
_FIELD = re.compile(
    # The value to the end, its trailing spaces dropped by the reader: a
    # lazy value before "\s*$" was quadratic in a run of spaces.
    r"^(?P<key>Title|Show|Podcast|Hosts?|Guests?)\s*:\s*+(?P<value>\S.*)$",
    re.IGNORECASE,
)
_NAME_LIST_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_SENTENCE_END = re.compile(r"[.!?…]$")


def _month_number(word: str) -> int | None:
    word = word.casefold()
    for number, name in enumerate(_MONTH_NAMES, start=1):
        if name.startswith(word) or (word == "sept" and number == 9):
            return number
    return None


def find_date(text: str) -> re.Match[str] | None:
    """The first date in ``text`` ("May 8, 2026", "8 May 2026", "2026-05-08")."""
    found = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            if "month" in match.groupdict() and _month_number(match["month"]) is None:
                continue
            found.append(match)
            break
    return min(found, key=lambda match: match.start(), default=None)


def to_date(match: re.Match[str], *, line: int | None = None) -> datetime.date:
    """The date ``find_date`` found; ``ParseError`` if it is not a real one."""
    groups = match.groupdict()
    month = groups.get("number") or _month_number(groups.get("month") or "")
    try:
        return datetime.date(int(match["year"]), int(month), int(match["day"]))
    except (TypeError, ValueError):
        raise ParseError(
            f"“{match[0]}” is not a real date; write it like “May 8, 2026” "
            "or “2026-05-08”",
            line=line,
        ) from None


def date_line(text: str, *, line: int | None = None) -> datetime.date | None:
    """The date of a header date line, else None.

    A date line is "Recorded <date>" (also Published, Aired, Released, Date,
    with or without "on" and a colon; anything after the date is ignored) or a
    line holding only a date, perhaps with its weekday.
    """
    key = _DATE_KEY.match(text.strip())
    match = find_date(text)
    if match is None:
        rest = text.strip()[key.end() :] if key else ""
        if _DATE_FIELD.match(text) or (
            key
            and any(
                (shaped := pattern.match(rest))
                and (
                    "month" not in shaped.groupdict() or _month_number(shaped["month"])
                )
                for pattern in _DATE_SHAPED
            )
        ):
            # "Date: 99999-01-01" said a date and none could be read: the
            # episode was saved undated, where a wrong day is refused.
            raise ParseError(
                f"“{text.strip()[:60]}” names no date that can be read; write "
                "it like “May 8, 2026” or “2026-05-08”",
                line=line,
            )
        return None
    if key is None:
        rest = _WEEKDAY.sub("", text[: match.start()] + text[match.end() :])
        if rest.strip(" \t,.-–—()"):
            return None
    return to_date(match, line=line)


@dataclass(frozen=True)
class Field:
    key: str  # "title", "show", "hosts" or "guests"
    value: str
    names: tuple[str, ...] = ()  # the names, for hosts and guests


def split_names(value: str) -> tuple[str, ...]:
    parts = (" ".join(part.split()) for part in _NAME_LIST_SPLIT.split(value))
    return tuple(part for part in parts if part)


def header_field(text: str) -> Field | None:
    """A "Title:", "Show:", "Host(s):" or "Guest(s):" line, else None.

    "Host: Welcome back, everyone." is a host speaking, not a header: show,
    host and guest values must look like names (no closing full stop, none
    over six words).
    """
    match = _FIELD.match(text.strip())
    if match is None:
        return None
    key, value = match["key"].casefold(), " ".join(match["value"].split())
    if key == "title":
        return Field("title", value)
    if _SENTENCE_END.search(value) and not value.endswith((" Jr.", " Sr.")):
        return None
    if key in ("show", "podcast"):
        return Field("show", value) if len(value.split()) <= 8 else None
    names = split_names(value)
    if not names or any(len(name.split()) > 6 for name in names):
        return None
    return Field("hosts" if key.startswith("host") else "guests", value, names)


def clock(seconds: int) -> str:
    """``[hh:mm:ss]`` as transcripts write a timestamp."""
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"[{hours:02d}:{minute:02d}:{second:02d}]"


@dataclass
class Header:
    """What header lines say: title, show, date, hosts and guests."""

    title: str = ""
    show: str = ""
    published_on: datetime.date | None = None
    hosts: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()

    def read(self, text: str, *, line: int | None = None) -> bool:
        """Take in ``text`` if it is a date or header line; say whether it was."""
        if (date := date_line(text, line=line)) is not None:
            self.published_on = self.published_on or date
        elif (found := header_field(text)) is not None:
            setattr(self, found.key, found.names or found.value)
        else:
            return False
        return True
