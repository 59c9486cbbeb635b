"""Dates and periods in a sentence, each as the last day it covers.

A forecast is re-checked when its period is over, so every period found here
carries ``last``: the end of the stated period.

- Absolute: "June 30, 2027" and "30 June 2027" (that day), "June 2027" (the
  month: 2027-06-30), "Q3 2027" / "the third quarter of 2027" (2027-09-30),
  "the second half of 2026" (2026-12-31), "2027-06-30", and a year after a
  deadline word: "by 2028", "before 2030", "until 2028", "through 2028",
  "the end of 2028", "in 2028" (2028-12-31). A year alone ("GPT-4 shipped in
  2023") is a period only after one of those words.
- Relative to the episode date ``today``: "this year" / "the end of the year"
  (Dec 31 of that year), "next year", "this / next quarter" (the quarter's last
  day), "this / next month", "this / next week" (its Sunday), "the end of the
  decade" (the decade's last day: 2029-12-31 in the 2020s), "by June" (the
  next June on or after today), "in five years", "within two years", "over
  the next 18 months", "five years from now" (today plus the span, the same
  day of the month). Fiscal years and quarters are taken as calendar ones:
  the source rarely says when a company's fiscal year ends.

Without an episode date only absolute dates are resolved. Pure functions.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Month names are matched with their capital, so "may" the verb is no month.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September"
    r"|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d,.]\d)"
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "fifty": 50,
    "a couple of": 2,
    "a few": 3,
}
_SPAN_NUMBER = (
    r"(?P<n>\d{1,3}|a\s+couple\s+of|a\s+few|an?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|fifty)"
)
_SPAN_UNIT = r"(?P<unit>years?|months?|weeks?|days?|decades?|quarters?)"
_DEADLINE_WORDS = (
    r"(?:by|before|until|till|through|thru|in\s+time\s+for"
    r"|(?:by\s+|at\s+|before\s+|until\s+)?the\s+end\s+of|in|during|for)"
)

_ABSOLUTE = re.compile(
    # June 30, 2027 / June 2027
    rf"\b{_MONTH}\s+(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?{_YEAR}"
    # 30 June 2027
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month2>January|February|March|April|May|June|July|August|September"
    rf"|October|November|December)\s+(?P<year2>(?:19|20)\d\d)\b"
    # 2027-06-30
    r"|\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"
    # Q3 2027, the third quarter of 2027, H2 2026, the second half of 2026
    r"|\b(?:Q(?P<q>[1-4])|(?i:(?P<qword>first|second|third|fourth|last)\s+quarter))"
    r"\s*(?:of\s+)?(?:(?i:fiscal)\s+(?:year\s+)?|FY\s*)?(?P<qyear>(?:19|20)\d\d)\b"
    r"|\b(?:H(?P<h>[12])|(?i:(?P<hword>first|second)\s+half))"
    r"\s*(?:of\s+)?(?P<hyear>(?:19|20)\d\d)\b"
    # by 2028, the end of 2028, in fiscal 2028
    rf"|\b(?i:(?P<deadline>{_DEADLINE_WORDS}))\s+(?:(?i:fiscal)\s+(?:year\s+)?|FY\s*)?"
    rf"(?P<dyear>(?:19|20)\d\d)(?![\d,.]\d|\s*[-–]\s*\d|s\b)"
)
_RELATIVE = re.compile(
    r"(?i:"
    # this year, next quarter, the end of the year, year-end, next fiscal year
    r"\b(?P<which>this|next|the\s+coming|the\s+current|later\s+this|early\s+next"
    r"|(?<=end\sof\s)the)"
    r"\s+(?:fiscal\s+)?(?P<period>year|quarter|month|week|decade)\b"
    r"|\b(?P<yearend>year[-\s]end)\b"
    # in five years, within two years, in the next 18 months, 5 years from now
    rf"|\b(?P<within>in|within|over|during|inside)\s+(?:the\s+)?"
    rf"(?:(?P<next>next|coming|following)\s+)?{_SPAN_NUMBER}\s+{_SPAN_UNIT}\b"
    rf"(?!\s+(?:ago|earlier|before|back|old)\b)"
    rf"|\b{_SPAN_NUMBER.replace('?P<n>', '?P<n2>')}\s+"
    rf"{_SPAN_UNIT.replace('?P<unit>', '?P<unit2>')}\s+from\s+(?:now|today)\b"
    r")"
    # by June, by the end of June (a month without a year; case-sensitive)
    # ("in January" is as often past as future, so it is no deadline)
    rf"|\b(?i:(?:by|before|until|through)\s+(?:the\s+end\s+of\s+)?){_MONTH}"
    r"(?!\s*\d|\s+(?:of\s+)?(?:19|20)\d\d)"
    # by Q3, by the third quarter
    r"|\b(?i:by|before|until|in)\s+(?:the\s+end\s+of\s+)?(?:the\s+)?"
    r"(?:Q(?P<rq>[1-4])|(?i:(?P<rqword>first|second|third|fourth)\s+quarter))"
    r"(?!\s*(?:of\s+)?(?:fiscal\s+)?(?:19|20)\d\d)"
)


@dataclass(frozen=True)
class Period:
    """A date or period named in a sentence.

    ``text`` is as written, at ``start:end`` of the sentence; ``first`` and
    ``last`` are the days it covers (``first`` is None for a relative span,
    which only has an end); ``absolute`` is False when it was resolved
    against the episode date; ``deadline`` is True when a deadline word
    ("by", "before", "until", "the end of") introduces it.
    """

    text: str
    start: int
    end: int
    first: datetime.date | None
    last: datetime.date
    absolute: bool
    deadline: bool


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole months, the 31st becoming the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def _quarter_end(year: int, quarter: int) -> datetime.date:
    return _month_end(year, quarter * 3)


def _month_number(name: str) -> int:
    return MONTHS[name.rstrip(".").casefold()]


def _is_deadline(words: str | None) -> bool:
    words = " ".join((words or "").casefold().split())
    return bool(words) and words not in ("in", "during", "for")


def _absolute(match: re.Match[str]) -> tuple[datetime.date, datetime.date] | None:
    if match["month"]:
        year, month = int(match["year"]), _month_number(match["month"])
        if match["day"]:
            day = datetime.date(year, month, int(match["day"]))
            return day, day
        return datetime.date(year, month, 1), _month_end(year, month)
    if match["month2"]:
        month = _month_number(match["month2"])
        day = datetime.date(int(match["year2"]), month, int(match["day2"]))
        return day, day
    if match["iso"]:
        day = datetime.date.fromisoformat(match["iso"])
        return day, day
    if match["qyear"]:
        quarter = int(match["q"] or _ORDINAL_QUARTERS[match["qword"].casefold()])
        year = int(match["qyear"])
        return (
            datetime.date(year, quarter * 3 - 2, 1),
            _quarter_end(year, quarter),
        )
    if match["hyear"]:
        half = int(match["h"] or (1 if match["hword"].casefold() == "first" else 2))
        year = int(match["hyear"])
        return datetime.date(year, half * 6 - 5, 1), _month_end(year, half * 6)
    year = int(match["dyear"])
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


_DIGIT = re.compile(r"\d")
# Every relative period names one of these words (or "Q" of "by Q3").
_RELATIVE_WORDS = frozenset(
    "year years quarter quarters month months week weeks decade decades day days"
    " yearend q".split()
) | frozenset(MONTHS)


def absolute_dates(text: str) -> list[Period]:
    """Dates and periods that need no episode date, in text order."""
    if _DIGIT.search(text) is None:  # every absolute date has a year
        return []
    found = []
    for match in _ABSOLUTE.finditer(text):
        try:
            days = _absolute(match)
        except ValueError:  # "February 30, 2027"
            continue
        if days is None:
            continue
        # "by 2028" is the year 2028 introduced by a deadline word; the
        # period's text is the date itself either way.
        group = "dyear" if match["dyear"] else 0
        found.append(
            Period(
                text=match[group],
                start=match.start(group),
                end=match.end(group),
                first=days[0],
                last=days[1],
                absolute=True,
                deadline=_is_deadline(match["deadline"])
                or _deadline_before(text, match.start()),
            )
        )
    return found


_DEADLINE_BEFORE = re.compile(
    r"(?i:\b(?:by|before|until|till|through|end\s+of|due)\s+(?:the\s+)?)\Z"
)


def _deadline_before(text: str, start: int) -> bool:
    """Is the period at ``start`` introduced by "by", "until", "the end of"?"""
    return bool(_DEADLINE_BEFORE.search(text, max(0, start - 20), start))


def _span(number: str, unit: str, today: datetime.date) -> datetime.date:
    count = _WORD_NUMBERS.get(" ".join(number.casefold().split()))
    if count is None:
        count = int(number)
    unit = unit.casefold().rstrip("s")
    if unit == "day":
        return today + datetime.timedelta(days=count)
    if unit == "week":
        return today + datetime.timedelta(weeks=count)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit]
    return add_months(today, count * months)


def _relative_end(match: re.Match[str], today: datetime.date) -> datetime.date | None:
    if match["period"]:
        which = " ".join(match["which"].casefold().split())
        period = match["period"].casefold()
        ahead = 1 if which in ("next", "the coming", "early next") else 0
        if period == "year":
            return datetime.date(today.year + ahead, 12, 31)
        if period == "quarter":
            quarter = (today.month - 1) // 3 + 1 + ahead
            return _quarter_end(today.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1)
        if period == "month":
            first = add_months(today.replace(day=1), ahead)
            return _month_end(first.year, first.month)
        if period == "week":
            return today + datetime.timedelta(days=6 - today.weekday() + 7 * ahead)
        decade = today.year // 10 * 10 + 10 * ahead
        return datetime.date(decade + 9, 12, 31)
    if match["yearend"]:
        return datetime.date(today.year, 12, 31)
    if match["unit"]:
        return _span(match["n"], match["unit"], today)
    if match["unit2"]:
        return _span(match["n2"], match["unit2"], today)
    if match["month"]:
        month = _month_number(match["month"])
        year = today.year if month >= today.month else today.year + 1
        return _month_end(year, month)
    quarter = int(match["rq"] or _ORDINAL_QUARTERS[match["rqword"].casefold()])
    year = today.year if quarter >= (today.month - 1) // 3 + 1 else today.year + 1
    return _quarter_end(year, quarter)


def relative_periods(
    text: str, today: datetime.date, *, words: frozenset[str] | None = None
) -> list[Period]:
    """Periods that need the episode date ``today`` to resolve, in text order.

    ``words`` (the lower-case words of ``text``) lets a caller that has them
    skip the search in sentences that name no period.
    """
    if words is not None and words.isdisjoint(_RELATIVE_WORDS):
        return []
    found = []
    for match in _RELATIVE.finditer(text):
        last = _relative_end(match, today)
        if last is None:
            continue
        words = match[0].casefold()
        deadline = (
            words.startswith(("by", "before", "until", "through"))
            or "end of" in words
            or "from now" in words
            or _deadline_before(text, match.start())
        )
        found.append(
            Period(
                text=match[0],
                start=match.start(),
                end=match.end(),
                first=None,
                last=last,
                absolute=False,
                deadline=deadline,
            )
        )
    return found


def periods(
    text: str,
    today: datetime.date | None = None,
    *,
    words: frozenset[str] | None = None,
    dates: Sequence[Period] | None = None,
) -> list[Period]:
    """Every period in ``text``; relative ones only when ``today`` is known.
    ``dates`` is ``absolute_dates(text)`` when the caller has it already."""
    found = absolute_dates(text) if dates is None else list(dates)
    if today is not None:
        taken = [(p.start, p.end) for p in found]
        found += [
            p
            for p in relative_periods(text, today, words=words)
            if not any(p.start < end and start < p.end for start, end in taken)
        ]
        found.sort(key=lambda p: p.start)
    return found
