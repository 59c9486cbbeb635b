"""Items of a parsed episode → candidate claims, scored, typed and de-duplicated.

``find_candidates`` is the one entry point; the importer stores what it
returns. The steps, kept simple so a reviewer can predict them:

1. Speaker turns and bullets are split into sentences (``sentences``), each
   with exact offsets into the source; key takeaways are bullets too.
2. Each sentence is scored (``model.rank``: 0..1 with reasons), all of an
   episode's sentences in one batch, each with its speaker turn as context:
   the trained model's score, never below the rules' (``scoring``) when
   those clear the threshold. Sentences under ``min_score`` (default 0.5)
   are dropped. Filler, greetings and opinions without a figure score far
   below it.
3. A summary page's quote is always kept, whole, and scored like a sentence:
   the page's editors chose it as the speaker's point, so dropping it would
   second-guess them, and its score still ranks it for the desk. Splitting
   it would cut the quote the page shows. (The sample's three numeric quotes
   score 0.43–0.83; "No technology executive should …" 0.07.)
4. Quantities (``quantities``), the claimant of reported speech
   (``attribution``), and for forecasts the day they can be checked
   (``forecasts``, relative to the episode date) are attached.
5. Restatements of one fact become mentions of one candidate (``dedupe``).

Pure Python, no database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from claims.extraction.dedupe import group_restatements
from claims.extraction.model import rank
from claims.extraction.model.features import Passage, passage
from claims.extraction.scoring import THRESHOLD, Signals, signals
from claims.extraction.sentences import sentence_spans
from claims.extraction.types import ClaimType, QuantityData, QuantityKind
from episodes.parsers import Item, ItemKind, ParsedEpisode

_FINANCE = re.compile(
    r"\b(?:revenue|profits?|valuation|IPO|funding|earnings|raised|sales)\b",
    re.IGNORECASE,
)
_PLAIN_FUTURE = re.compile(r"(?i:will|shall|won[’']t|going\s+to|gonna|would|[’']ll)")
_CAUSAL = re.compile(
    r"\b(?:because|due\s+to|leads?\s+to|led\s+to|caused|results?\s+in|driven\s+by)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MentionData:
    """Another passage stating the same fact as a candidate (see ``dedupe``).

    ``quote == source_text[start:end]``; ``timestamp_seconds`` is where it is
    said in the recording, None for untimed sources.
    """

    quote: str
    start: int
    end: int
    timestamp_seconds: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A claim worth a reviewer's look, as the importer will store it."""

    # What kind of item it came from: a quote, a bullet (or key takeaway), a turn.
    origin: ItemKind
    # The claim in one tidy line: spaces collapsed, capitalised, punctuated.
    text: str
    # Verbatim, with offsets into ParsedEpisode.source_text (code points, end
    # exclusive): source_text[start:end] == quote.
    quote: str
    start: int
    end: int
    # The person talking (a turn's or quote's speaker); None for bullets.
    speaker: str | None
    # Whose words the speaker reports ("X said that …"), as written; None if
    # the speaker's own.
    claimant: str | None
    # A ClaimType value; a first guess a reviewer can correct.
    claim_type: str
    # 0..1, how much the sentence is worth checking (``scoring``).
    checkworthiness: float
    # Amounts, normalised (``quantities``).
    quantities: tuple[QuantityData, ...]
    # The summary page's section heading; "" for takeaways and transcripts.
    section: str = ""
    # Why it scored as it did, strongest first ("a percentage", "an opinion
    # marker (lowers)").
    reasons: tuple[str, ...] = ()
    # For a forecast: the end of the period it names, relative to the episode
    # date; None otherwise or when it cannot be resolved.
    resolves_on: datetime.date | None = None
    # Seconds into the recording where the quote starts; None if untimed.
    timestamp_seconds: int | None = None
    # Other passages stating the same fact, in source order.
    mentions: tuple[MentionData, ...] = ()


def guess_claim_type(found: Signals) -> str:
    """A first guess a reviewer can correct; the most specific type wins.

    In order: a forecast with a date (even when reported: "X said it planned
    10x growth this year"; the claimant field records who said it, and a
    forecast needs re-checking on its date); reported speech; a forecast
    stated as one ("expects", "plans to", "projected"); an amount of money
    or a financial term; another quantity; a forecast said only with "will"
    or "going to", which is how people talk, not only how they predict;
    cause and effect.
    """
    quantities = found.quantities
    text = found.sentence
    forecast = found.forecast
    if forecast is not None and "dated_forecast" in found.flags:
        return ClaimType.FORECAST
    if found.claimant:
        return ClaimType.ATTRIBUTION
    if forecast is not None and not _PLAIN_FUTURE.fullmatch(forecast.marker):
        return ClaimType.FORECAST
    if any(q.kind == QuantityKind.MONEY for q in quantities) or _FINANCE.search(text):
        return ClaimType.FINANCIAL
    if any(q.kind != QuantityKind.DATE for q in quantities):
        return ClaimType.STATISTIC
    if forecast is not None:
        return ClaimType.FORECAST
    if _CAUSAL.search(text):
        return ClaimType.CAUSAL
    return ClaimType.OTHER


def is_checkable(text: str, *, speaker: str | None = None) -> bool:
    """Does ``text``, said on its own, score at or above the default threshold?"""
    return rank([[passage(signals(text, speaker=speaker))]])[0][0] >= THRESHOLD


def clean_text(text: str) -> str:
    """The passage as one tidy line: spaces collapsed, capitalised, punctuated."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in '.!?…"”' else text + "."


def _timestamp(item: Item, offset: int) -> int | None:
    timestamp_at = getattr(item, "timestamp_at", None)
    return timestamp_at(offset) if timestamp_at else item.timestamp_seconds


# Captions without sentence punctuation (machine-made ones are lower case
# and unpunctuated: "so anthropic has a five to six billion dollar data
# center that") read as one sentence per paragraph, up to 10,000 characters
# (episodes/parsers/captions.py), which scored as one claim holding every
# figure of the paragraph, or as none. A "sentence" of a captioned turn
# longer than UNPUNCTUATED_CHARS with fewer than one mark of punctuation
# (, ; : . ! ? …) in PUNCTUATED_EVERY characters is cut at its cues' starts
# instead, a new passage at the first cue start once the passage holds
# CUE_PASSAGE_CHARS: about two lines of captions, the length of a spoken
# sentence. A long sentence a person punctuated (clauses between commas)
# is left whole.
UNPUNCTUATED_CHARS = 400
PUNCTUATED_EVERY = 200
CUE_PASSAGE_CHARS = 120
_PUNCTUATION = re.compile(r"[,;:.!?…]")


def _unpunctuated(text: str) -> bool:
    return len(text) > UNPUNCTUATED_CHARS and len(
        _PUNCTUATION.findall(text)
    ) * PUNCTUATED_EVERY < len(text)


def _cut_at_cues(item: Item, start: int, end: int) -> list[tuple[int, int]]:
    """``start``–``end`` (offsets in the source) in passages cut at cue
    starts, each trimmed of spaces, none empty."""
    bounds, piece = [], start
    for cue, _seconds in item.cue_starts:
        if piece < cue < end and cue - piece >= CUE_PASSAGE_CHARS:
            bounds.append((piece, cue))
            piece = cue
    bounds.append((piece, end))
    pieces = []
    for piece_start, piece_end in bounds:
        text = item.text[piece_start - item.start : piece_end - item.start]
        stripped = text.strip()
        if stripped:
            lead = len(text) - len(text.lstrip())
            pieces.append((piece_start + lead, piece_start + lead + len(stripped)))
    return pieces


def _spans(item: Item) -> Iterator[tuple[int, int, bool]]:
    """(start, end, cut at cues?) of each sentence of ``item``, a long
    unpunctuated one of a captioned turn cut at its cues (above)."""
    for start, end in sentence_spans(item.text, item.start):
        if len(item.cue_starts) > 1 and _unpunctuated(
            item.text[start - item.start : end - item.start]
        ):
            pieces = _cut_at_cues(item, start, end)
            if len(pieces) > 1:
                for piece in pieces:
                    yield *piece, True
                continue
        yield start, end, False


def _passages(item: Item) -> Iterator[tuple[int, int, str]]:
    """(start, end, text) of the passages of ``item`` scored one by one."""
    if item.kind == ItemKind.QUOTE:
        yield item.start, item.end, item.text
        return
    for start, end, _cut in _spans(item):
        yield start, end, item.text[start - item.start : end - item.start]


def cut_at_cues(parsed: ParsedEpisode) -> int:
    """How many passages of ``parsed`` were cut at cues for want of sentence
    punctuation (the import says so: such a claim may begin or end
    mid-sentence)."""
    return sum(
        cut
        for item in parsed.items
        if item.kind != ItemKind.QUOTE and len(item.cue_starts) > 1
        for _start, _end, cut in _spans(item)
    )


def count_passages(parsed: ParsedEpisode, *, up_to: int) -> int:
    """How many passages (sentences, quotes) ``find_candidates`` would score,
    counting no further than ``up_to + 1``: a bound checked before scoring,
    whose cost stays bounded however large the file."""
    count = 0
    for item in (*parsed.items, *parsed.takeaways):
        for _ in _passages(item):
            count += 1
            if count > up_to:
                return count
    return count


def _scored_items(
    items: Sequence[Item], published_on: datetime.date | None
) -> list[tuple[Item, list[tuple[int, int, Passage]]]]:
    """Each item with its passages and what the rules saw in each."""
    return [
        (
            item,
            [
                (
                    start,
                    end,
                    passage(
                        signals(text, speaker=item.speaker, published_on=published_on)
                    ),
                )
                for start, end, text in _passages(item)
            ],
        )
        for item in items
    ]


def _candidates(
    item: Item,
    passages: list[tuple[int, int, Passage]],
    scores: Iterator[tuple[float, list[str]]],
    min_score: float,
) -> Iterator[Candidate]:
    for start, end, scored in passages:
        value, reasons = next(scores)
        found = scored.found
        if value < min_score and item.kind != ItemKind.QUOTE:
            continue
        yield Candidate(
            origin=item.kind,
            text=clean_text(scored.sentence),
            quote=scored.sentence,
            start=start,
            end=end,
            speaker=item.speaker,
            claimant=found.claimant,
            claim_type=guess_claim_type(found),
            checkworthiness=value,
            quantities=found.quantities,
            section=item.section,
            reasons=tuple(reasons),
            resolves_on=found.forecast.resolves_on if found.forecast else None,
            timestamp_seconds=_timestamp(item, start),
        )


def _all_candidates(
    items: Sequence[Item], published_on: datetime.date | None, min_score: float
) -> list[Candidate]:
    """The candidates of ``items`` before de-duplication, in item order."""
    scored_items = _scored_items(items, published_on)
    # One call for the whole episode: the model is read once per process and
    # each item (a speaker turn, a bullet, a quote) is its sentences' context.
    scores = iter(
        rank(
            [[scored for _, _, scored in passages] for _, passages in scored_items],
            explain_at=min_score,
            # Quotes are kept whatever their score: always explained.
            explain_turns=frozenset(
                i
                for i, (item, _) in enumerate(scored_items)
                if item.kind == ItemKind.QUOTE
            ),
        )
    )
    found = [
        candidate
        for item, passages in scored_items
        for candidate in _candidates(item, passages, scores, min_score)
    ]
    return found


def find_candidates(
    parsed: ParsedEpisode,
    *,
    published_on: datetime.date | None = None,
    min_score: float = THRESHOLD,
) -> list[Candidate]:
    """Candidate claims of ``parsed`` in source order.

    ``published_on`` is the date relative periods ("this year", "next
    quarter") resolve against; it defaults to the episode's own date.
    Turns' and bullets' sentences scoring under ``min_score`` are left out;
    quotes are always kept (module docstring).
    """
    if published_on is None:
        published_on = parsed.published_on
    found = _all_candidates((*parsed.items, *parsed.takeaways), published_on, min_score)
    merged = []
    for main, others in group_restatements(found):
        if others:
            mentions = sorted(
                (
                    *main.mentions,
                    *(
                        MentionData(o.quote, o.start, o.end, o.timestamp_seconds)
                        for o in others
                    ),
                ),
                key=lambda mention: (mention.start, mention.end),
            )
            main = replace(main, mentions=tuple(mentions))
        merged.append(main)
    return sorted(merged, key=lambda c: (c.start, c.end))
