"""What the check-worthiness model reads of a sentence: its terms and its
dense features (the rule flags and the sentence's place among its neighbours).

Shared by training (``train``) and scoring (``claims.extraction.model``), so
the two can never read a sentence differently. Pure Python: no numpy here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from claims.extraction.scoring import FEATURE_NAMES, FOR, Signals, score_signals

_TOKEN = re.compile(r"\w\w+|[$%?]")
_DIGIT = re.compile(r"\d")


def terms(sentence: str) -> list[str]:
    """Lower-case word unigrams and bigrams (``$``, ``%`` and ``?`` count as
    words: they say money, a share, a question)."""
    words = _TOKEN.findall(sentence.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


# Context: where the sentence sits in its speaker turn, and how checkable its
# neighbours look to the rules (fact-checked sentences come in runs).
CONTEXT_NAMES: tuple[str, ...] = (
    "quantities",
    "rule_score",
    "first_in_turn",
    "last_in_turn",
    "position_in_turn",
    "turn_length",
    "previous_rule_score",
    "next_rule_score",
    "words",
    "digits",
    "speaker_share",
)
DENSE_NAMES: tuple[str, ...] = (*FEATURE_NAMES, *CONTEXT_NAMES)
# What a reviewer reads for a dense feature that raised a score.
DENSE_REASONS: dict[str, str] = {
    **{name: reason for name, (reason, _) in FOR.items()},
    "quantities": "states amounts",
    "rule_score": "the rules' score",
    "first_in_turn": "opens the speaker's turn",
    "last_in_turn": "closes the speaker's turn",
    "position_in_turn": "late in the speaker's turn",
    "turn_length": "a long turn",
    "previous_rule_score": "follows a checkable sentence",
    "next_rule_score": "precedes a checkable sentence",
    "words": "a long sentence",
    "digits": "has digits",
    "speaker_share": "a main speaker of the episode",
}


@dataclass(frozen=True)
class Passage:
    """One sentence to score with what the rules saw in it."""

    sentence: str
    found: Signals
    rule_score: float
    rule_reasons: tuple[str, ...]


def passage(found: Signals) -> Passage:
    value, reasons = score_signals(found)
    return Passage(found.sentence, found, value, tuple(reasons))


def speaker_shares(speakers: Sequence[str | None]) -> dict[str | None, float]:
    """Each speaker's share of an episode's sentences (one entry a sentence);
    none for sentences without a speaker (summary bullets)."""
    counts = Counter(speakers)
    total = len(speakers) or 1
    return {speaker: count / total for speaker, count in counts.items() if speaker}


def dense_rows(turn: Sequence[Passage], *, share: float = 0.0) -> list[list[float]]:
    """The dense features of each sentence of one speaker turn, in order.

    ``share`` is the turn's speaker's share of the episode's sentences
    (``speaker_shares``): a moderator or host says less, and less to check.
    """
    n = len(turn)
    turn_length = min(math.log1p(n) / math.log1p(30), 1.0)
    rows = []
    for i, item in enumerate(turn):
        flags = item.found.flags
        words = len(item.sentence.split())
        row = [1.0 if name in flags else 0.0 for name in FEATURE_NAMES]
        row += [
            min(len(item.found.quantities), 3) / 3,
            item.rule_score,
            1.0 if i == 0 else 0.0,
            1.0 if i == n - 1 else 0.0,
            i / (n - 1) if n > 1 else 0.0,
            turn_length,
            turn[i - 1].rule_score if i > 0 else 0.0,
            turn[i + 1].rule_score if i + 1 < n else 0.0,
            min(math.log1p(words) / math.log1p(60), 1.0),
            1.0 if _DIGIT.search(item.sentence) else 0.0,
            share,
        ]
        rows.append(row)
    return rows


def episode_rows(turns: Sequence[Sequence[Passage]]) -> list[list[list[float]]]:
    """``dense_rows`` of every turn of one episode, with the speakers' shares."""
    shares = speaker_shares([item.found.speaker for turn in turns for item in turn])
    return [
        dense_rows(turn, share=shares.get(turn[0].found.speaker, 0.0) if turn else 0.0)
        for turn in turns
    ]
