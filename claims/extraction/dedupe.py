"""One fact, one candidate: restatements become mentions of the first.

A summary page's bullet often restates a quote ("Anthropic will lease a
$5–6B data center" after the speaker's "a 5 to $6,000,000,000 data center"),
its key takeaways repeat section bullets word for word, and a speaker may
repeat a figure later in a transcript. Each such passage becomes a mention
of one candidate instead of a second claim to check.

Two passages state the same fact when

- their texts are the same (spaces and case aside), or
- they share a quantity (same kind, unit, low and high: "$5–6B" and "5 to
  $6,000,000,000" are one amount) and also talk about the same thing: at
  least a quarter of the content words of the shorter one, quantities left
  out, appear in the other (at least one word). Shared numbers alone are not
  enough: "Revenue grew 10%" and "Margins are around 10%" share nothing else.
  Measured on the fixtures in ``tests/claims/test_dedupe.py``: restatements
  overlap 0.33–1.0, different facts with the same figure 0; a loose
  paraphrase ("a pace the guest hopes will slow" for "I hope that 80 times
  growth doesn't continue") scores 0.14 and stays a claim of its own.
  (rapidfuzz's token_set_ratio was tried too: 48–86 for restatements and
  41–59 for different facts, too close to draw a line between.)

and their speakers agree (the same person, or one of them has none, as a
bullet does). The candidate that stays is a quote if there is one (the
speaker's own words), else the higher-scored, else the earlier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from episodes.parsers import ItemKind

if TYPE_CHECKING:
    from claims.extraction.candidates import Candidate

MIN_OVERLAP = 0.25

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an the of to in on at by for from with and or but so as is are was were be"
    " been being it its it's this that these those there here than then just also"
    " i we you they he she me us them him her my our your their his which who whom"
    " what when where how will would can could should may might must do does did"
    " has have had not no yes about into over up down out very really actually"
    " like gonna going get got some all any more most s t ll re ve d m".split()
)


def _stem(word: str) -> str:
    """A crude English stem, enough to match "plans"/"planned", "pays"/"paying"."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ings", "ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # "planned" → "plann" → "plan"
            return word
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str, quantity_texts: Iterable[str] = ()) -> frozenset[str]:
    """Stemmed words of ``text`` that carry meaning, without its quantities."""
    for quantity in quantity_texts:
        text = text.replace(quantity, " ")
    return frozenset(
        _stem(word)
        for word in _WORD.findall(text.casefold())
        if word not in _STOPWORDS and not word.isdigit()
    )


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller set's words found in the other (0 when one is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _text_key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _quantity_keys(candidate: Candidate) -> set[tuple]:
    return {(q.kind, q.unit, q.low, q.high) for q in candidate.quantities}


def _speakers_agree(a: Candidate, b: Candidate) -> bool:
    if a.speaker is None or b.speaker is None:
        return True
    return a.speaker.casefold() == b.speaker.casefold()


# A restatement is compared with at most this many earlier facts that share
# one of its amounts (and its speaker): a real episode has a handful; a
# hostile file with thousands must not make the grouping quadratic.
MAX_COMPARISONS = 64


class _Group:
    def __init__(self, main: Candidate, words: frozenset[str] | None = None) -> None:
        self.main = main
        if words is None:
            words = content_words(main.quote, (q.text for q in main.quantities))
        self.words = words
        self.others: list[Candidate] = []


def _speaker_key(candidate: Candidate) -> str | None:
    return candidate.speaker.casefold() if candidate.speaker is not None else None


class _FirstBySpeaker:
    """The earliest group under a key whose speaker agrees with a
    candidate's, in constant time: per key, the first group of each speaker,
    the first without one, and the first of all."""

    def __init__(self) -> None:
        self._first: dict[tuple, _Group] = {}

    def add(self, key, group: _Group) -> None:
        speaker = _speaker_key(group.main)
        for slot in ((key, "any"), (key, "speaker", speaker)):
            self._first.setdefault(slot, group)

    def find(self, key, candidate: Candidate) -> _Group | None:
        speaker = _speaker_key(candidate)
        if speaker is None:
            return self._first.get((key, "any"))
        found = [
            group
            for group in (
                self._first.get((key, "speaker", speaker)),
                self._first.get((key, "speaker", None)),
            )
            if group is not None
        ]
        return min(found, key=lambda group: group.order, default=None)


def group_restatements(
    candidates: Sequence[Candidate],
) -> list[tuple[Candidate, list[Candidate]]]:
    """(kept candidate, the candidates restating it) for each distinct fact.

    Groups come in the order their kept candidate was ranked; ``candidates``
    turns the restatements into mentions. Linear in the candidates: a
    same-text restatement is found through an index, and one sharing an
    amount is compared with at most ``MAX_COMPARISONS`` earlier facts.
    """
    groups: list[_Group] = []
    by_text = _FirstBySpeaker()
    by_quantity: dict[tuple, list[_Group]] = {}
    ranked = sorted(
        candidates,
        key=lambda c: (c.origin != ItemKind.QUOTE, -c.checkworthiness, c.start),
    )
    for candidate in ranked:
        group = by_text.find(_text_key(candidate.quote), candidate)
        keys = _quantity_keys(candidate)
        words = None
        if group is None and keys:
            words = content_words(
                candidate.quote, (q.text for q in candidate.quantities)
            )
            group = next(
                (
                    g
                    for key in sorted(keys, key=repr)
                    for g in _agreeing(by_quantity, key, candidate)
                    if overlap(g.words, words) >= MIN_OVERLAP
                ),
                None,
            )
        if group is not None:
            group.others.append(candidate)
            continue
        group = _Group(candidate, words)  # its words, when already read
        group.order = len(groups)
        groups.append(group)
        by_text.add(_text_key(candidate.quote), group)
        speaker = _speaker_key(candidate)
        for key in keys:
            by_quantity.setdefault((key, ALL), []).append(group)
            by_quantity.setdefault((key, speaker or NO_SPEAKER), []).append(group)
    return [(group.main, group.others) for group in groups]


ALL, NO_SPEAKER = object(), object()


def _agreeing(by_quantity: dict, key: tuple, candidate: Candidate) -> list[_Group]:
    """The first groups under ``key`` whose speaker agrees with the
    candidate's (its own, or none, as a bullet has), in order, at most
    ``MAX_COMPARISONS``."""
    speaker = _speaker_key(candidate)
    if speaker is None:
        return by_quantity.get((key, ALL), [])[:MAX_COMPARISONS]
    same = by_quantity.get((key, speaker), [])[:MAX_COMPARISONS]
    bare = by_quantity.get((key, NO_SPEAKER), [])[:MAX_COMPARISONS]
    return sorted(same + bare, key=lambda group: group.order)[:MAX_COMPARISONS]
