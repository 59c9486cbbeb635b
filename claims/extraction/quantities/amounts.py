"""Numbers with a currency, scale or unit: "$5–6B", "five billion dollars",
"45%", "10x", "12 million", "3 gigawatts", "five to seven years".

``amounts(text)`` yields each as (start, end, QuantityData); the package
docstring says how each kind is normalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from claims.extraction.types import QuantityData, QuantityKind

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"]
_SMALL = [*_UNITS, *_TEENS, "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SMALL_NUMBERS: tuple[str, ...] = tuple(_SMALL)  # "one" … "nineteen"
TENS: tuple[str, ...] = tuple(_TENS)
_WORD_VALUES = {word: index for index, word in enumerate(_SMALL, start=1)} | {
    word: 10 * index for index, word in enumerate(_TENS, start=2)
}
_SCALES = {
    "hundred": 10**2,
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
    "pound": "GBP",
    "pounds": "GBP",
}
_SI_PREFIXES = {"": 1, "kilo": 10**3, "mega": 10**6, "giga": 10**9, "tera": 10**12}
_SI_LETTERS = {"k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_DURATIONS = {
    "second": ("second", 1),
    "minute": ("minute", 1),
    "hour": ("hour", 1),
    "day": ("day", 1),
    "week": ("week", 1),
    "month": ("month", 1),
    "year": ("year", 1),
    "decade": ("year", 10),
}
# Qualifiers before an amount: "about" marks it approximate, "more than" makes
# it a lower bound (no high end), "up to" an upper bound (no low end).
APPROX = {
    "about",
    "around",
    "roughly",
    "approximately",
    "nearly",
    "almost",
    "some",
    "close to",
    "something like",
    "on the order of",
    "an estimated",
    "like",
}
AT_LEAST = {"more than", "over", "at least", "upwards of", "north of", "just over"}
AT_MOST = {
    "up to",
    "under",
    "less than",
    "fewer than",
    "at most",
    "as many as",
    "just under",
}
_QUALIFIER = "|".join(
    re.escape(words).replace(r"\ ", r"\s+")
    for words in sorted(APPROX | AT_LEAST | AT_MOST, key=len)[::-1]
)

_WORD = (
    r"(?i:(?:" + "|".join(_TENS) + r")(?:-(?:" + "|".join(_UNITS) + r"))?"
    r"|" + "|".join(sorted(_SMALL, key=len, reverse=True)) + r"|a\s+hundred"
    # "half a million people": a half, before the article below can take
    # "a million" alone.
    r"|half\s+an?(?=\s+(?:hundred|thousand|million|billion|trillion)\b)"
    # "a million users", "a billion dollars": the article is the number one.
    r"|an?(?=\s+(?:hundred|thousand|million|billion|trillion)\b))"
    r"(?:\b|(?=(?i:fold)\b))"
)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_POWER = (
    r"(?P<power{n}>[\s-]?(?i:(?:kilo|mega|giga|tera)?watts?)\b(?![-\s]hours?)"
    r"|\s?(?:kW|MW|GW|TW)\b(?!h))"
)
_ENERGY = (
    r"(?P<energy{n}>[\s-]?(?i:(?:kilo|mega|giga|tera)?watt[-\s]hours?)\b"
    r"|\s?(?:kWh|MWh|GWh|TWh)\b)"
)
# Durations: "five years", "a 20-year lease"; not an age ("30-year-old"),
# a rate ("seven days a week") or "one day" (an idiom).
_DURATION = (
    r"(?P<duration{n}>(?:\s|-)(?i:years?|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|decades?)\b(?!-old|\s+old\b|\s+an?\s+(?:day|week|month|year)\b))"
)


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
        rf"(?:\s?(?P<scale{n}>(?i:(?:hundred\s+)?(?:thousand|million|billion|trillion)"
        rf"|hundred)|bn|mn|tn)\b"
        rf"|(?P<suffix{n}>[KMBT]|{after_currency})(?!\w))?"
        rf"(?P<unit{n}>\s?%|\s?(?i:percent|per\s?cent)\b"
        r"|\s?(?i:times)\b(?!\s+(?:a|an|per|each|every)\b)"  # not "3 times a week"
        r"|-?(?i:fold)\b|[x×](?!\w)|(?<=\d)X(?!\w)"
        r"|\s(?i:dollars?|usd|euros?|eur|gbp|pounds?)\b"
        r"|"
        + _ENERGY.format(n=n)
        + "|"
        + _POWER.format(n=n)
        # "one day" is an idiom, not a duration.
        + r"|(?<!\bone)(?<!\bOne)"
        + _DURATION.format(n=n)
        + ")?"
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
# A duration that is a time window or a point in time, not an amount: "in the
# last two weeks", "within two years", "five years ago", "in five years".
_WINDOW_BEFORE = re.compile(
    r"(?i:\b(?:(?:in|over|during|for|within|inside)\s+the\s+"
    r"(?:last|past|next|coming|previous|first|following)"
    r"|within|inside|in|after)\s+)\Z"
)
_WINDOW_AFTER = re.compile(
    r"\s+(?i:ago|earlier|later|from\s+now|before|back|old|in\s+a\s+row)\b"
)


def number(text: str) -> Decimal:
    """The value of "5", "1,200", "2.5", "five", "twenty-five", "a" (one) or
    "half a"."""
    word = " ".join(text.casefold().split())
    if word in ("hundred", "a hundred"):
        return Decimal(100)
    if word in ("a", "an"):
        return Decimal(1)
    if word in ("half a", "half an"):
        return Decimal("0.5")
    if word in _WORD_VALUES:
        return Decimal(_WORD_VALUES[word])
    if "-" in word and word.split("-")[0] in _WORD_VALUES:
        tens, unit = word.split("-")
        return Decimal(_WORD_VALUES[tens] + _WORD_VALUES[unit])
    return Decimal(text.replace(",", ""))


def _si_factor(unit: str) -> int:
    """10**k for "gigawatts", "GW", "megawatt-hours", "MWh"."""
    word = unit.strip().lstrip("-")
    if word[:1] in _SI_LETTERS and word[1:2] == "W":
        return _SI_LETTERS[word[0]]
    word = word.casefold()
    prefix = next(
        (p for p in ("kilo", "mega", "giga", "tera") if word.startswith(p)), ""
    )
    return _SI_PREFIXES[prefix]


def _unit_kind(match: re.Match[str], n: int) -> tuple[str, str, int] | None:
    """(kind, unit, factor) of end ``n``'s unit, or None for none.

    ``factor`` turns the stated number into the unit: 10**9 for gigawatts,
    10 for decades (in years), 1 otherwise.
    """
    unit = (match[f"unit{n}"] or "").strip().casefold()
    if not unit:
        return None
    if match[f"energy{n}"]:
        return QuantityKind.OTHER, "Wh", _si_factor(match[f"energy{n}"])
    if match[f"power{n}"]:
        return QuantityKind.POWER, "W", _si_factor(match[f"power{n}"])
    if match[f"duration{n}"]:
        word = unit.lstrip("-").removesuffix("s")
        name, factor = _DURATIONS[word]
        return QuantityKind.DURATION, name, factor
    if unit == "%" or unit.startswith("per"):
        return QuantityKind.PERCENT, "%", 1
    if unit in ("times", "x", "×") or unit.endswith("fold"):
        return QuantityKind.MULTIPLIER, "x", 1
    return QuantityKind.MONEY, _CURRENCIES[unit], 1


def _scale(match: re.Match[str], n: int) -> int | None:
    word = match[f"scale{n}"] or match[f"suffix{n}"]
    if not word:
        return None
    words = word.casefold().split()
    scale = 1
    for part in words:
        scale *= _SCALES[part]
    return scale


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
    unit = _unit_kind(match, 2) or _unit_kind(match, 1)
    if currency:
        if unit is not None and unit[0] != QuantityKind.MONEY:
            return None  # "$5 times", "$5%": mixed signals, left to the reviewer
        return QuantityKind.MONEY, _CURRENCIES[currency.casefold()]
    if unit is not None:
        return unit[0], unit[1]
    scaled = _scale(match, 1) or _scale(match, 2)
    grouped = "," in match["num1"] or "," in (match["num2"] or "")
    # A bare number ("in 2025", "two weeks", "GPT-4") is a date, a duration or
    # a name more often than a count; only scaled or grouped numbers count.
    return (QuantityKind.COUNT, "") if scaled or grouped else None


def _is_window(text: str, match: re.Match[str]) -> bool:
    """Is this duration a time window ("in the last two weeks", "years ago")?"""
    if _WINDOW_AFTER.match(text, match.end()):
        return True
    start = match.start("qual") if match["qual"] else match.start()
    return bool(_WINDOW_BEFORE.search(text, max(0, start - 30), start))


def _from_match(text: str, match: re.Match[str]) -> QuantityData | None:
    kind_and_unit = _kind_and_unit(match)
    if kind_and_unit is None:
        return None
    kind = kind_and_unit[0]
    if kind == QuantityKind.DURATION and _is_window(text, match):
        return None
    unit1, unit2 = _unit_kind(match, 1), _unit_kind(match, 2)
    # "2 to 3 gigawatts": the unit said once applies to both ends.
    factor1 = (unit1 or unit2 or (None, None, 1))[2]
    factor2 = (unit2 or unit1 or (None, None, 1))[2]
    low = high = number(match["num1"]) * (_scale(match, 1) or 1) * factor1
    if match["num2"]:
        high = number(match["num2"]) * (_scale(match, 2) or 1) * factor2
        low = _shared_scale(match, kind, low, high)
        # "from 10 to 5 percent" reads as a change, stored as the span it covers.
        low, high = min(low, high), max(low, high)
    qualifier = " ".join((match["qual"] or "").casefold().split())
    bounded_low: Decimal | None = low
    bounded_high: Decimal | None = high
    if not match["num2"] and qualifier in AT_LEAST:
        bounded_high = None
    elif not match["num2"] and qualifier in AT_MOST:
        bounded_low = None
    return QuantityData(
        kind=kind,
        text=match[0].strip(),
        low=bounded_low,
        high=bounded_high,
        unit=kind_and_unit[1],
        approx=qualifier in APPROX or bool(match["tilde"]),
    )


def _end_kind(match: re.Match[str], n: int) -> str | None:
    if match[f"cur{n}"]:
        return QuantityKind.MONEY
    unit = _unit_kind(match, n)
    return unit[0] if unit else None


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _year_then_amount(match: re.Match[str]) -> bool:
    """Is this "range" a year and then an amount? "grew in 2024 to 5 billion
    dollars", "was cut in 2025 to $3 million": a bare year-like first end,
    a second end with a currency, unit or scale, and no sense as a range
    (the year above the amount, or the amount a thousand times the year).
    "2000 to 3000 dollars" stays a range."""
    if not match["num2"] or not _YEAR.fullmatch(match["num1"]):
        return False
    if match["cur1"] or match["unit1"] or _scale(match, 1) is not None:
        return False
    scale = _scale(match, 2)
    if not (match["cur2"] or match["unit2"] or scale is not None):
        return False
    year = number(match["num1"])
    amount = number(match["num2"]) * (scale or 1)
    return year > amount or amount >= 1000 * year


def _unit_then_other_amount(match: re.Match[str]) -> bool:
    """Is this "range" an amount with its unit and then another amount?
    "grew 3 times to 9 million", "up 10x to 1 million users", "5 percent to
    6 million": the first end says its unit and the second does not, and the
    second is no multiplier of the first's kind or has a scale of its own. A
    range says the unit once, after its second end ("3 to 9 times"), or at
    both ("3x to 9x"); "3 gigawatts to 5" stays a range."""
    if not match["num2"] or not match["unit1"] or match["unit2"] or match["cur2"]:
        return False
    return (
        _end_kind(match, 1) == QuantityKind.MULTIPLIER or _scale(match, 2) is not None
    )


def _amounts(text: str) -> list[re.Match[str]]:
    """Amount matches in order. "grew 45% to $2.5 billion" is two amounts, not
    a range: when the ends of a range measure different things, only the
    first end is kept and the search goes on after it; so when the first
    end is a year said before the amount (``_year_then_amount``), or an
    amount with its unit before another (``_unit_then_other_amount``)."""
    matches, position = [], 0
    while match := _QUANTITY.search(text, position):
        kinds = {_end_kind(match, 1), _end_kind(match, 2)} - {None}
        if len(kinds) > 1 or _year_then_amount(match) or _unit_then_other_amount(match):
            match = _SINGLE.match(text, match.start()) or match
        matches.append(match)
        position = match.end()
    return matches


def amounts(text: str) -> Iterator[tuple[int, int, QuantityData]]:
    """(start, end, quantity) of every amount in ``text``, in order."""
    for match in _amounts(text):
        quantity = _from_match(text, match)
        if quantity is not None:
            yield match.start(), match.end(), quantity
