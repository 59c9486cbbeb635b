"""Items of a parsed episode → candidate claims, with type, score and quantities.

Rules, kept simple so a reviewer can predict them:

- Every quote is a candidate: the page's editors chose it as the speaker's
  point, and reviewers decide what is checkable in it.
- A bullet is a candidate only if it carries a checkable fact: a quantity, any
  digit, or a completed deal ("acquired", "agreed to buy", "signed a …
  contract", "valued at"). Summary pages are mostly vague bullets ("The AI
  industry’s landscape is becoming increasingly competitive and dynamic.")
  that would only bury the real claims.
- Key takeaways repeat the sections' bullets; one is used only when no
  section bullet has the same text.
- Checkworthiness (0..1): 0.9 for a quote with a quantity, 0.7 for a bullet
  with a quantity, 0.3 for an opinion without one ("I think", "should"), 0.5
  otherwise. Numbers are what fact-checkers can settle fastest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.attribution import reported_speaker
from claims.extraction.quantities import find_quantities
from claims.models import ClaimType, QuantityKind
from claims.workflow import QuantityData
from episodes.parsers import Item, ItemKind, ParsedEpisode

_DEAL = re.compile(
    r"\b(?:acquired|acquires|bought|buys|merged\s+with|invested\s+in|went\s+public"
    r"|valued\s+at|filed\s+(?:for|to)\s+(?:an\s+)?IPO"
    r"|agreed\s+to\s+(?:buy|acquire|merge|pay|invest|lease|sell)"
    r"|(?:signed|struck|inked|closed)\s+(?:an?\s+|the\s+|its\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:deal|contract|agreement))\b",
    re.IGNORECASE,
)
_FINANCE = re.compile(
    r"\b(?:revenue|profits?|valuation|IPO|funding|earnings|raised)\b", re.IGNORECASE
)
_FORECAST = re.compile(
    r"\b(?:will|going\s+to|expects?|expected\s+to|forecasts?|projected|predicts?"
    r"|next\s+year|by\s+20\d\d)\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|due\s+to|leads?\s+to|led\s+to|caused|results?\s+in|driven\s+by)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(?:I\s+think|I\s+hope|I\s+believe|I\s+feel|in\s+my\s+view|should|must)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    origin: ItemKind
    text: str  # the claim in one cleaned sentence
    quote: str  # verbatim: source[start:end] == quote
    start: int
    end: int
    speaker: str | None
    claimant: str | None
    claim_type: str
    checkworthiness: float
    quantities: tuple[QuantityData, ...]
    section: str = ""


def is_checkable(text: str, quantities: tuple[QuantityData, ...] | None = None) -> bool:
    """Does a bullet state a fact someone could check (number, amount, deal)?"""
    if quantities is None:
        quantities = tuple(find_quantities(text))
    return bool(quantities or re.search(r"\d", text) or _DEAL.search(text))


def guess_claim_type(
    text: str, quantities: tuple[QuantityData, ...], claimant: str | None
) -> str:
    """A first guess a reviewer can correct; the most specific type wins."""
    if claimant:
        return ClaimType.ATTRIBUTION
    if any(q.kind == QuantityKind.MONEY for q in quantities) or _FINANCE.search(text):
        return ClaimType.FINANCIAL
    if quantities:
        return ClaimType.STATISTIC
    if _FORECAST.search(text):
        return ClaimType.FORECAST
    if _CAUSAL.search(text):
        return ClaimType.CAUSAL
    return ClaimType.OTHER


def checkworthiness(
    origin: ItemKind, text: str, quantities: tuple[QuantityData, ...]
) -> float:
    """The score table in the module docstring."""
    if quantities:
        return 0.9 if origin == ItemKind.QUOTE else 0.7
    return 0.3 if _OPINION.search(text) else 0.5


def clean_text(text: str) -> str:
    """The passage as one tidy line: spaces collapsed, capitalised, punctuated."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in '.!?…"”' else text + "."


def _candidate(item: Item) -> Candidate | None:
    quantities = tuple(find_quantities(item.text))
    if item.kind == ItemKind.BULLET and not is_checkable(item.text, quantities):
        return None
    claimant = reported_speaker(item.text)
    if claimant and item.speaker and claimant.casefold() == item.speaker.casefold():
        claimant = None
    return Candidate(
        origin=item.kind,
        text=clean_text(item.text),
        quote=item.text,
        start=item.start,
        end=item.end,
        speaker=item.speaker,
        claimant=claimant,
        claim_type=guess_claim_type(item.text, quantities, claimant),
        checkworthiness=checkworthiness(item.kind, item.text, quantities),
        quantities=quantities,
        section=item.section,
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def find_candidates(parsed: ParsedEpisode) -> list[Candidate]:
    """Candidate claims in source order."""
    section_bullets = {_key(item.text) for item in parsed.bullets}
    items = [
        *parsed.items,
        *(t for t in parsed.takeaways if _key(t.text) not in section_bullets),
    ]
    found = (
        _candidate(item)
        for item in items
        if item.kind in (ItemKind.QUOTE, ItemKind.BULLET)
    )
    return sorted((c for c in found if c is not None), key=lambda c: c.start)
