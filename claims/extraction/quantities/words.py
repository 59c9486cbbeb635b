"""Amounts said in words: growth verbs ("doubled", "will halve", "twice as")
and shares ("one in five", "a quarter of", "two thirds of", "half of").

``growth(text)`` and ``shares(text)`` yield (start, end, QuantityData).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from claims.extraction.quantities.amounts import APPROX, AT_LEAST, AT_MOST, number
from claims.extraction.types import QuantityData, QuantityKind

_GROWTH_WORDS = re.compile(
    r"\b(?P<word>(?i:doubled|doubles|doubling|tripled|triples|tripling|trebled"
    r"|quadrupled|quadruples|halved|halves|halving))\b"
    r"(?!\s+down\b|\s+up\b|[-\s](?:check|digit))"
    r"|\b(?i:will|to|could|would|might|may|can|should|must)\s+(?:(?i:more\s+than|almost"
    r"|nearly|roughly|about)\s+)?(?P<verb>(?i:double|triple|quadruple|halve))\b"
    r"(?!\s+down\b|[-\s](?:check|digit))"
    r"|\b(?P<twice>(?i:twice|double|triple))\s+(?i:as|the)\b"
)
_GROWTH_VALUES = {
    "doubl": Decimal(2),
    "double": Decimal(2),
    "twice": Decimal(2),
    "tripl": Decimal(3),
    "trebl": Decimal(3),
    "triple": Decimal(3),
    "quadrupl": Decimal(4),
    "quadruple": Decimal(4),
    "halv": Decimal("0.5"),
    "halve": Decimal("0.5"),
}
SHARE_WORDS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
_SMALL_NUMBER_WORDS = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)"
# Shares: "one in five", "9 out of 10", "a quarter of", "two thirds of",
# "half of", "half the" (but not "the second half of 2026").
_SHARE = re.compile(
    r"(?i:(?P<approx>about|roughly|nearly|almost|around|some|more\s+than|over"
    r"|less\s+than|under)\s+)?"
    r"(?:\b(?P<part>(?i:"
    + _SMALL_NUMBER_WORDS
    + r"))\s+(?i:in|out\s+of)\s+(?i:every\s+)?"
    r"(?P<whole>\d{1,4}|(?i:two|three|four|five|six|seven|eight|nine|ten|twenty"
    r"|a\s+hundred|hundred|a\s+thousand))\b"
    r"|\b(?P<count>(?i:a|one|two|three|four|nine))[\s-]"
    r"(?P<share>(?i:half|third|thirds|quarter|quarters|fourth|fourths|fifth|fifths"
    r"|tenth|tenths))\s+(?i:of)\b"
    r"|\b(?P<half>(?i:half))\s+(?i:of|the|its|their|our|all|them|his|her)\b"
    r"(?!\s+(?:the\s+)?(?:time|story|battle|century|decade|year|hour|day)\b))"
)
# "the second half of 2026", "the other half of it": a part, not a share.
_HALF_OF_A_PERIOD = re.compile(r"(?i:\b(?:first|second|other|back|latter|front)\s+)\Z")
_SHARE_WHOLE = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
}
# Every growth pattern needs one of these words.
GROWTH_TOKENS = frozenset(
    "doubled doubles doubling double tripled triples tripling triple trebled"
    " quadrupled quadruples quadruple halved halves halving halve twice".split()
)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_FOUR_PLACES = Decimal("0.0001")


def _growth(match: re.Match[str]) -> QuantityData:
    word = (match["word"] or match["verb"] or match["twice"]).casefold()
    value = next(v for stem, v in _GROWTH_VALUES.items() if word.startswith(stem))
    text = match["word"] or match["verb"] or match[0]
    return QuantityData(
        kind=QuantityKind.MULTIPLIER, text=text, low=value, high=value, unit="x"
    )


def _share(match: re.Match[str]) -> QuantityData:
    if match["part"]:
        whole = match["whole"].casefold()
        value = number(match["part"]) / Decimal(_SHARE_WHOLE.get(whole) or whole)
    elif match["share"]:
        count = number(match["count"])
        value = count / SHARE_WORDS[match["share"].casefold()]
    else:
        value = Decimal("0.5")
    percent = (value * _HUNDRED).quantize(_FOUR_PLACES).normalize()
    percent = percent.quantize(_ONE) if percent == percent.to_integral() else percent
    qualifier = " ".join((match["approx"] or "").casefold().split())
    return QuantityData(
        kind=QuantityKind.PERCENT,
        text=match[0].strip(),
        low=None if qualifier in AT_MOST else percent,
        high=None if qualifier in AT_LEAST else percent,
        unit="%",
        approx=qualifier in APPROX,
    )


def growth(text: str) -> Iterator[tuple[int, int, QuantityData]]:
    """(start, end, quantity) of each growth word in ``text``."""
    for match in _GROWTH_WORDS.finditer(text):
        yield match.start(), match.end(), _growth(match)


def shares(text: str) -> Iterator[tuple[int, int, QuantityData]]:
    """(start, end, quantity) of each share in ``text``, as a percentage."""
    for match in _SHARE.finditer(text):
        if match["half"] and _HALF_OF_A_PERIOD.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        yield match.start(), match.end(), _share(match)
