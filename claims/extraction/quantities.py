"""Quantities in a sentence: money, percentages, multipliers and counts.

Transcripts and summary pages write one amount many ways ("5 to
$6,000,000,000", "$5–6B", "between $64 and $72 billion", "about 10 times");
reviewers filter and compare claims by the normalised range, so each amount
becomes one ``QuantityData`` with Decimal ``low``/``high``. A lone number with
no currency, unit or scale ("in 2025", "two weeks", "GPT-4") is not a quantity:
it is usually a date, a duration or a name, and guessing would flood the desk.
Pure functions, no database.
"""

from __future__ import annotations

import re
from decimal import Decimal

from claims.models import QuantityKind
from claims.workflow import QuantityData

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"]
_SMALL = [*_UNITS, *_TEENS, "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {word: index for index, word in enumerate(_SMALL, start=1)} | {
    word: 10 * index for index, word in enumerate(_TENS, start=2)
}
_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "b": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "t": 10**12,
    "tn": 10**12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "gbp": "GBP",
}
# Qualifiers before an amount: "about" marks it approximate, "more than" makes
# it a lower bound (no high end), "up to" an upper bound (no low end).
_APPROX = {"about", "around", "roughly", "approximately", "nearly", "almost", "some"}
_AT_LEAST = {"more than", "over", "at least", "upwards of"}
_AT_MOST = {"up to", "under", "less than", "fewer than", "at most", "as many as"}
_QUALIFIER = "|".join(
    re.escape(words).replace(r"\ ", r"\s+")
    for words in sorted(_APPROX | _AT_LEAST | _AT_MOST | {"close to"}, key=len)[::-1]
)

_WORD = (
    r"(?i:(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(_UNITS) + r"))?"
    r"|" + "|".join(sorted(_SMALL, key=len, reverse=True)) + r"|a\s+hundred|hundred)"
    r"(?:\b|(?=(?i:fold)\b))"
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _amount(n: int) -> str:
    """One number with its optional currency, scale and unit; groups end in ``n``.

    Glued lower-case scale letters ("$5m") count only after a currency sign,
    so "5m" (metres, minutes) stays out.
    """
    after_currency = "(?(cur1)[kmb]|(?!))"
    if n == 2:
        after_currency = "(?(cur2)[kmb]|" + after_currency + ")"
    return (
        rf"(?P<cur{n}>US\$|\$|€|£)?\s?"
        rf"(?P<num{n}>{_NUM}|{_WORD})"
        rf"(?:\s?(?P<scale{n}>(?i:thousand|million|billion|trillion)|bn|mn|tn)\b"
        rf"|(?P<suffix{n}>[KMBT]|{after_currency})(?!\w))?"
        rf"(?P<unit{n}>\s?%|\s?(?i:percent|per\s?cent)\b"
        r"|\s?(?i:times)\b(?!\s+(?:a|an|per|each|every)\b)"  # not "3 times a week"
        r"|-?(?i:fold)\b|[x×](?!\w)"
        r"|\s(?i:dollars?|usd|euros?|eur|gbp)\b)?"
    )


def _pattern(*, ranges: bool) -> re.Pattern[str]:
    # Without ranges the second amount is still in the pattern, behind a
    # never-matching guard, so both patterns have the same groups.
    return re.compile(
        r"(?<![\w.,])"
        rf"(?:(?P<qual>(?i:{_QUALIFIER}))\s+|(?P<tilde>~)\s*)?"
        r"(?P<between>(?i:between)\s+)?"
        + _amount(1)
        # A range: "5 to 6", "5–6", and "between 5 and 6" (but not a bare "5 and 6").
        + r"(?:"
        + ("" if ranges else "(?!)")
        + r"(?:\s+(?i:to)\s+|\s*[-–—]\s*|(?(between)\s+(?i:and)\s+|(?!)))"
        + _amount(2)
        + r")?"
    )


_QUANTITY = _pattern(ranges=True)
_SINGLE = _pattern(ranges=False)
_GROWTH_WORDS = re.compile(
    r"\b(?P<word>(?i:doubled|tripled|trebled|quadrupled|halved))\b(?!\s+down\b)"
)
_GROWTH_VALUES = {
    "doubled": Decimal(2),
    "tripled": Decimal(3),
    "trebled": Decimal(3),
    "quadrupled": Decimal(4),
    "halved": Decimal("0.5"),
}


def _number(text: str) -> Decimal:
    word = " ".join(text.casefold().split())
    if word in ("hundred", "a hundred"):
        return Decimal(100)
    if word in _WORD_VALUES:
        return Decimal(_WORD_VALUES[word])
    if "-" in word and word.split("-")[0] in _WORD_VALUES:
        tens, unit = word.split("-")
        return Decimal(_WORD_VALUES[tens] + _WORD_VALUES[unit])
    return Decimal(text.replace(",", ""))


def _unit_kind(unit: str) -> tuple[str, str] | None:
    """(kind, unit) for a unit word or sign, or None for none."""
    unit = unit.strip().casefold()
    if not unit:
        return None
    if unit == "%" or unit.startswith("per"):
        return QuantityKind.PERCENT, "%"
    if unit in ("times", "x", "×") or unit.endswith("fold"):
        return QuantityKind.MULTIPLIER, "x"
    return QuantityKind.MONEY, _CURRENCIES[unit]


def _scale(match: re.Match[str], n: int) -> int | None:
    word = match[f"scale{n}"] or match[f"suffix{n}"]
    return _SCALES[word.casefold()] if word else None


def _shared_scale(
    match: re.Match[str], kind: str, low: Decimal, high: Decimal
) -> Decimal:
    """The low end of a range, given the scale it leaves unsaid.

    "$5–6B" and "between $64 and $72 billion" state the scale once, on the
    high end. Speech to text writes "five to six billion dollars" as "5 to
    $6,000,000,000": a bare low end, the currency and every digit on the high
    end; there the scale is the largest power of a thousand within the high
    end. Either way the low end is scaled only if it stays at or below the
    high end, so "$500 to $2,000" keeps its 500.
    """
    if _scale(match, 1) is not None:
        return low
    scale = _scale(match, 2)
    if scale is None:
        bare_low = not (match["cur1"] or match["unit1"])
        if kind != QuantityKind.MONEY or not bare_low or high < 10**6 or low >= 1000:
            return low
        scale = max(s for s in (10**6, 10**9, 10**12) if s <= high)
    scaled = low * scale
    return scaled if scaled <= high else low


def _kind_and_unit(match: re.Match[str]) -> tuple[str, str] | None:
    """What the amount measures, or None when it is a bare number."""
    currency = match["cur1"] or match["cur2"]
    unit = _unit_kind(match["unit2"] or "") or _unit_kind(match["unit1"] or "")
    if currency:
        if unit is not None and unit[0] != QuantityKind.MONEY:
            return None  # "$5 times", "$5%": mixed signals, left to the reviewer
        return QuantityKind.MONEY, _CURRENCIES[currency.casefold()]
    if unit is not None:
        return unit
    scaled = _scale(match, 1) or _scale(match, 2)
    grouped = "," in match["num1"] or "," in (match["num2"] or "")
    # A bare number ("in 2025", "two weeks", "GPT-4") is a date, a duration or
    # a name more often than a count; only scaled or grouped numbers count.
    return (QuantityKind.COUNT, "") if scaled or grouped else None


def _from_match(match: re.Match[str]) -> QuantityData | None:
    kind_and_unit = _kind_and_unit(match)
    if kind_and_unit is None:
        return None
    low = high = _number(match["num1"]) * (_scale(match, 1) or 1)
    if match["num2"]:
        high = _number(match["num2"]) * (_scale(match, 2) or 1)
        low = _shared_scale(match, kind_and_unit[0], low, high)
        # "from 10 to 5 percent" reads as a change, stored as the span it covers.
        low, high = min(low, high), max(low, high)
    qualifier = " ".join((match["qual"] or "").casefold().split())
    bounded_low: Decimal | None = low
    bounded_high: Decimal | None = high
    if not match["num2"] and qualifier in _AT_LEAST:
        bounded_high = None
    elif not match["num2"] and qualifier in _AT_MOST:
        bounded_low = None
    return QuantityData(
        kind=kind_and_unit[0],
        text=match[0].strip(),
        low=bounded_low,
        high=bounded_high,
        unit=kind_and_unit[1],
        approx=qualifier in _APPROX or qualifier == "close to" or bool(match["tilde"]),
    )


def _end_kind(match: re.Match[str], n: int) -> str | None:
    if match[f"cur{n}"]:
        return QuantityKind.MONEY
    unit = _unit_kind(match[f"unit{n}"] or "")
    return unit[0] if unit else None


def _amounts(text: str) -> list[re.Match[str]]:
    """Amount matches in order. "grew 45% to $2.5 billion" is two amounts, not
    a range: when the ends of a range measure different things, only the
    first end is kept and the search goes on after it."""
    matches, position = [], 0
    while match := _QUANTITY.search(text, position):
        kinds = {_end_kind(match, 1), _end_kind(match, 2)} - {None}
        if len(kinds) > 1:
            match = _SINGLE.match(text, match.start()) or match
        matches.append(match)
        position = match.end()
    return matches


def find_quantities(text: str) -> list[QuantityData]:
    """Every money amount, percentage, multiplier and scaled count in ``text``."""
    found: list[tuple[int, QuantityData]] = []
    for match in _amounts(text):
        quantity = _from_match(match)
        if quantity is not None:
            found.append((match.start(), quantity))
    for match in _GROWTH_WORDS.finditer(text):
        value = _GROWTH_VALUES[match["word"].casefold()]
        found.append(
            (
                match.start(),
                QuantityData(
                    kind=QuantityKind.MULTIPLIER,
                    text=match[0],
                    low=value,
                    high=value,
                    unit="x",
                ),
            )
        )
    return [quantity for _, quantity in sorted(found, key=lambda pair: pair[0])]
