"""Quantities in a sentence: money, percentages, multipliers, counts, power,
durations and dates.

Transcripts and summary pages write one amount many ways ("5 to
$6,000,000,000", "$5–6B", "between $64 and $72 billion", "about 10 times",
"five billion dollars", "one in five"); reviewers filter and compare claims by
the normalised range, so each amount becomes one ``QuantityData`` with Decimal
``low``/``high`` (an open end is None: "more than $5 billion"). Units:

- money: the currency code ("USD", "EUR", "GBP"), in units ("$2.5 billion" is
  2,500,000,000);
- percent: "%" ("a quarter of" is 25, "one in five" 20, "a third of"
  33.3333, rounded to four places);
- multiplier: "x" ("10x", "80 times", "tenfold", "doubled" 2, "halved" 0.5,
  "twice as" 2);
- count: "" for a scaled or grouped number ("12 million paying subscribers",
  "5,000 employees");
- power: "W", in watts ("3 gigawatts" is 3,000,000,000; "500 MW"); energy
  ("gigawatt-hours") is kind other, unit "Wh";
- duration: the calendar unit as said, singular: "year", "month", "week",
  "day", "hour", "minute", "second" ("five to seven years" is 5–7 "year";
  a decade is 10 "year"). Months and years have no fixed length in seconds,
  and a checker compares against the unit the speaker used;
- date: unit "date", ``low``/``high`` the first and last day covered written
  as the number YYYYMMDD, which sorts like the date ("by June 2027" is
  20270601–20270630). A year counts only after a deadline word ("by 2028");
  a year in passing ("in 2023") is context, not a figure.

An amount of 10^24 or more (``LARGEST``: a quadrillion billion; a claim's
amounts are stored as numeric(30, 6)) is no figure to check but a way of
saying "a lot": the claim keeps its words, without that amount.

"about/roughly/something like/~" set ``approx``. A lone number with no
currency, unit or scale ("two weeks" of a time window, "GPT-4", "in 2025") is
not a quantity: it is usually a date, a window or a name, and guessing would
flood the desk. Time windows ("in the last two weeks", "within two years",
"five years ago") are periods for ``dates``, not durations. Pure functions, no
database.

``amounts`` reads numbers with a currency, scale or unit, ``words`` the
growth verbs and shares said in words; dates come from ``..dates``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from claims.extraction.dates import Period, absolute_dates
from claims.extraction.quantities.amounts import SMALL_NUMBERS, TENS, amounts
from claims.extraction.quantities.words import (
    GROWTH_TOKENS,
    SHARE_WORDS,
    growth,
    shares,
)
from claims.extraction.types import QuantityData, QuantityKind, day_number

# Cheap pre-checks: each pattern needs a digit or currency sign or one of a
# few words. Most spoken sentences have none, and a set lookup is far cheaper
# than the patterns themselves.
_SIGNS = re.compile(r"[\d$€£~]")
_TOKEN = re.compile(r"[a-z]+")
_NUMBER_WORDS = frozenset(
    [*SMALL_NUMBERS, *TENS, "hundred", "thousand", "million", "billion", "trillion"]
)
_SHARE_NUMBERS = frozenset(SMALL_NUMBERS[:10])
# Past what claims.Quantity stores (low and high are numeric(30, 6): less
# than 10^24); tests/claims/test_quantities.py holds the two together.
LARGEST = Decimal(10) ** 24


def words_of(text: str) -> frozenset[str]:
    """The lower-case words of ``text``, for the pre-checks here and in scoring."""
    return frozenset(_TOKEN.findall(text.casefold()))


def find_quantities(
    text: str,
    *,
    words: frozenset[str] | None = None,
    dates: Sequence[Period] | None = None,
) -> list[QuantityData]:
    """Every quantity in ``text``, in text order (the module docstring lists them).

    Where two readings overlap ("half of" inside "the second half of 2026")
    the one that starts first, then the longer, wins. ``words`` is
    ``words_of(text)`` and ``dates`` ``absolute_dates(text)`` when the
    caller has them already.
    """
    signs = _SIGNS.search(text) is not None
    if words is None:
        words = words_of(text)
    found: list[tuple[int, int, QuantityData]] = []
    if (
        signs
        or not words.isdisjoint(_NUMBER_WORDS)
        or any(w.endswith("fold") for w in words)
    ):
        found += amounts(text)
    if not words.isdisjoint(GROWTH_TOKENS):
        found += growth(text)
    if not words.isdisjoint(SHARE_WORDS) or (
        ("in" in words or "out" in words)
        and (signs or not words.isdisjoint(_SHARE_NUMBERS))
    ):
        found += shares(text)
    if not signs:
        dates = ()
    elif dates is None:
        dates = absolute_dates(text)
    for period in dates:
        # A year alone is a date only after a deadline word ("by 2028").
        if period.first is not None and (period.deadline or not period.text.isdigit()):
            found.append(
                (
                    period.start,
                    period.end,
                    QuantityData(
                        kind=QuantityKind.DATE,
                        text=period.text,
                        low=day_number(period.first),
                        high=day_number(period.last),
                        unit="date",
                    ),
                )
            )
    found.sort(key=lambda item: (item[0], -item[1]))
    kept: list[QuantityData] = []
    last_end = -1
    for start, end, quantity in found:
        if start >= last_end:
            last_end = end
            if _storable(quantity):
                kept.append(quantity)
    return kept


def _storable(quantity: QuantityData) -> bool:
    return all(
        value is None or abs(value) < LARGEST for value in (quantity.low, quantity.high)
    )
