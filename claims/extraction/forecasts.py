"""Forecasts and plans, and the day they can be checked.

A sentence is a forecast when it either

- says something will happen: a future or plan marker ("will", "'ll", "going
  to", "expects to", "plans to", "planned for", "is set to", "on track to",
  "aims to", "projected", "forecast", "would" in reported speech), or
- ties an outcome to a deadline that is not yet past: "doubles by 2028",
  "finished by June 2027", "by the end of next quarter" — unless the sentence
  is in the past tense ("had doubled by June").

``resolves_on`` is the end of the latest period the sentence names that is not
already over on the episode date (``dates`` says how each period resolves):
"by 2028" → 2028-12-31, "this year" → Dec 31 of the episode's year, "by June
2027" → 2027-06-30, "next quarter" → that quarter's last day, "in five
years" → the episode date plus five years. A period already over on the
episode date ("in 2024", said in 2026) is context, not the deadline. Without
an episode date only absolute dates resolve, and none counts as past.
A forecast with no period still is one (type forecast), with no date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claims.extraction.dates import Period, periods

_MARKER = re.compile(
    r"(?i:\b(?:"
    r"will(?!\s+(?:say|tell|admit|note|add|argue|grant|concede|be\s+honest)\b)"
    r"|shall|won[’']t|going\s+to(?!\s+(?:say|tell|talk|ask|argue)\b)|gonna"
    r"(?!\s+(?:say|tell|talk|ask|argue)\b)"
    r"|(?:is|are|was|were|be)\s+(?:set|due|slated|scheduled|poised|on\s+track"
    r"|expected|projected|forecast|planned|supposed|likely)\s+(?:to|for)"
    r"|expects?\s+(?:to|that|it|revenue|sales|growth)|expected\s+to|expecting"
    r"|forecasts?|forecasting|projects?\s+that|projected|projections?"
    r"|predicts?|predicted|predicting|predictions?"
    r"|plans?\s+(?:to|for|on)|planned\s+(?:to|for|on)|planning\s+(?:to|for|on)"
    r"|aims?\s+to|aiming\s+to|targets?|targeting|intends?\s+to|intending\s+to"
    r"|on\s+track\s+to|scheduled\s+(?:to|for)|slated\s+(?:to|for)"
    r"|promised\s+to|pledged\s+to|committed\s+to|vowed\s+to|guidance"
    r"|would(?!\s+(?:say|argue|think|guess|love|like|rather|imagine|have)\b)"
    r")\b|[’']ll\b)"
)
# Words one of which every marker above contains ("'ll" is "ll").
_MARKER_WORDS = frozenset(
    "will shall won going gonna set due slated scheduled poised track expected"
    " projected forecast planned supposed likely expects expect expecting forecasts"
    " forecasting projects projection projections predicts predicted predicting"
    " prediction predictions plans plan planning aims aim aiming targets target"
    " targeting intends intend intending promised pledged committed vowed guidance"
    " would ll".split()
)
_PAST = re.compile(r"(?i:\b(?:had|was|were|did|ago|last)\b)")


@dataclass(frozen=True)
class Forecast:
    """A forecast or plan found in a sentence.

    ``marker`` is the wording that makes it one ("will", "planned for", or the
    deadline word "by 2028" when there is no other); ``period`` is the period
    it resolves on, or None when it names none; ``resolves_on`` its last day.
    """

    marker: str
    period: Period | None

    @property
    def resolves_on(self) -> datetime.date | None:
        return self.period.last if self.period else None


def find_forecast(
    sentence: str,
    published_on: datetime.date | None = None,
    *,
    words: frozenset[str] | None = None,
    dates: Sequence[Period] | None = None,
) -> Forecast | None:
    """The forecast in ``sentence``, or None if it states no future outcome.

    ``words`` (its lower-case words) lets a caller skip searches that
    cannot match; ``dates`` is ``absolute_dates(sentence)`` when the caller
    has it already.
    """
    found = periods(sentence, published_on, words=words, dates=dates)
    if published_on is not None:
        found = [p for p in found if p.last >= published_on]
    marker = (
        _MARKER.search(sentence)
        if words is None or not words.isdisjoint(_MARKER_WORDS)
        else None
    )
    if marker is not None:
        period = max(found, key=lambda p: p.last) if found else None
        return Forecast(marker=" ".join(marker[0].split()), period=period)
    deadlines = [p for p in found if p.deadline]
    if deadlines and not _PAST.search(sentence):
        period = max(deadlines, key=lambda p: p.last)
        return Forecast(marker=period.text, period=period)
    return None


def has_marker(sentence: str) -> bool:
    """Does ``sentence`` use future or plan wording (no date needed)?"""
    return _MARKER.search(sentence) is not None
