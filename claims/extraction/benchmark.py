"""How fast extraction runs: sentences per second of split + detect + score.

``run()`` builds a synthetic transcript (speaker turns of two to six
sentences, mixed from ``SENTENCES``: 18 of its 46 are checkable claims, the rest
conversation, opinions and filler, like a podcast) and times
``find_candidates`` over it, best of a few rounds. Half the sentences get
other digits, so that de-duplication sees both repeats and near-repeats. Run
it on one core to compare with the target of 5,000 sentences per second::

    taskset -c 0 python -c "import django; django.setup(); \\
        from claims.extraction.benchmark import run; print(run())"

(with ``DJANGO_SETTINGS_MODULE=claimdesk.settings``).
"""

from __future__ import annotations

import datetime
import random
import re
import time
from dataclasses import dataclass

from claims.extraction.candidates import find_candidates
from claims.extraction.model import rank
from claims.extraction.model.features import passage
from claims.extraction.scoring import THRESHOLD, signals
from claims.extraction.sentences import sentence_spans
from episodes.parsers import Item, ItemKind, ParsedEpisode

SENTENCES = (
    # Checkable: figures, forecasts, comparisons, reported speech, deals.
    "The data center that they are gonna be able to lease from Elon Musk is a 5 "
    "to $6,000,000,000 data center that’s fully built right… this changes that "
    "significantly.",
    "Dario Amade, the chief executive of Anthropic, said on Wednesday that his "
    "artificial intelligence company had planned for growing about 10 times as "
    "big this year.",
    "I hope that 80 times growth doesn’t continue because that’s just crazy and "
    "it’s too hard to handle.",
    "That's more than the whole company made in all of 2023.",
    "Revenue will double by 2028, according to the company's own guidance.",
    "They now have 12 million paying subscribers, up from 8 million a year ago.",
    "The new campus will draw 3 gigawatts when it is finished by June 2027.",
    "Microsoft agreed to buy the startup for between $64 and $72 billion.",
    "One in five adults in the U.S. now uses a chatbot at work.",
    "Their cloud business grew 45% to $2.5 billion in the third quarter of 2025.",
    "Nvidia is the largest chipmaker in the world by market value.",
    "Inference costs have halved every year since 2022.",
    "The plant takes five to seven years to build and costs about $20 billion.",
    "Mr. Huang said the Blackwell chips are sold out through next quarter.",
    "Google signed a 500-megawatt power purchase agreement with Kairos Power.",
    "Roughly a quarter of all new code at the company is written by AI.",
    "OpenAI expects to burn through $115 billion by 2029.",
    "Apple Inc. shipped 230 million iPhones last year.",
    # Conversation, opinions and filler.
    "Welcome to the show.",
    "Thanks for having me.",
    "We'll be right back after this.",
    "I just think the vibes are off.",
    "Yeah, exactly.",
    "So what do you make of that?",
    "I mean, that's kind of the whole question, right?",
    "The idea that Elon Musk and SpaceX are gonna kind of come to the rescue of "
    "Anthropic is just it’s both shocking and mind-blowing.",
    "This is effectively giving up it’s saying you know it doesn’t know how to "
    "effectively use this compute capacity to train models.",
    "No technology executive should be bragging about how much they’re spending "
    "and not talking about what they’re actually doing.",
    "I think the market is going to figure this out eventually.",
    "There is the demand for compute and then there’s also the model makers are "
    "gonna make their compute their models more efficient.",
    "Honestly, I don't know how anyone keeps up with all of it.",
    "Let's get into it.",
    "That's a great point, and I want to come back to it.",
    "It feels like everyone is talking about agents now.",
    "You know, I was skeptical at first, but I came around.",
    "It's going to be a really interesting year.",
    "Anyway, we should talk about the enterprise side too.",
    "Right, and that's the part people miss.",
    "What happens when the music stops?",
    "I don't think anyone really knows yet.",
    "The deal between SpaceX and Anthropic is both surprising and indicative of "
    "the current AI landscape.",
    "We talked about this a few weeks ago on the show.",
    "It's a bet on the future, and I get why they're making it.",
    "Okay.",
    "I love that framing.",
    "Sure, but the customers have to actually show up.",
)
# SENTENCES[:CHECKABLE] are the checkable claims, the rest conversation.
CHECKABLE = 18
SPEAKERS = ("Maya Lindqvist", "Ranjan Roy", "Priya Natarajan")


@dataclass(frozen=True)
class Result:
    sentences: int
    seconds: float
    candidates: int

    @property
    def per_second(self) -> float:
        return self.sentences / self.seconds

    def __str__(self) -> str:
        return (
            f"{self.sentences:,} sentences in {self.seconds:.2f} s: "
            f"{self.per_second:,.0f} sentences/s, {self.candidates:,} candidates"
        )


def varied(sentence: str, rng: random.Random) -> str:
    """Half the time, other figures: a transcript rarely repeats one exactly."""
    if rng.random() < 0.5:
        return sentence
    return re.sub(r"[1-9]", lambda _: str(rng.randint(1, 9)), sentence)


def synthetic_episode(sentences: int = 20_000, *, seed: int = 0) -> ParsedEpisode:
    """A transcript of about ``sentences`` sentences in speaker turns."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    lines, items, offset, second, written = [], [], 0, 0, 0
    while written < sentences:
        count = min(rng.randint(2, 6), sentences - written)
        speaker = rng.choice(SPEAKERS)
        text = " ".join(varied(rng.choice(SENTENCES), rng) for _ in range(count))
        label = f"[{second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}] "
        label += f"{speaker}: "
        start = offset + len(label)
        items.append(
            Item(
                ItemKind.TURN,
                text,
                start,
                start + len(text),
                speaker=speaker,
                timestamp_seconds=second,
                cue_starts=((start, second),),
            )
        )
        lines.append(label + text)
        offset += len(label) + len(text) + 1
        second += 4 * count
        written += count
    return ParsedEpisode(
        format="transcript",
        title="Benchmark",
        show="Benchmark",
        published_on=datetime.date(2026, 5, 8),
        source_text="\n".join(lines),
        items=tuple(items),
    )


def run(sentences: int = 20_000, *, rounds: int = 3) -> Result:
    """Time ``find_candidates`` (split, detect, score, quantities, dedupe)."""
    parsed = synthetic_episode(sentences)
    counted = sum(
        1 for item in parsed.items for _ in sentence_spans(item.text, item.start)
    )
    best, found = float("inf"), 0
    for _ in range(rounds):
        started = time.perf_counter()
        found = len(find_candidates(parsed))
        best = min(best, time.perf_counter() - started)
    return Result(sentences=counted, seconds=best, candidates=found)


def run_scoring(sentences: int = 20_000, *, rounds: int = 3) -> Result:
    """Time scoring alone (the rules' signals, then the model over them, in one
    batch of turns of five) over the same mix of sentences."""
    rng = random.Random(0)  # noqa: S311 - test data, not secrets
    texts = [rng.choice(SENTENCES) for _ in range(sentences)]
    best, kept = float("inf"), 0
    for _ in range(rounds):
        started = time.perf_counter()
        found = [passage(signals(text)) for text in texts]
        turns = [found[i : i + 5] for i in range(0, len(found), 5)]
        kept = sum(1 for value, _ in rank(turns) if value >= THRESHOLD)
        best = min(best, time.perf_counter() - started)
    return Result(sentences=sentences, seconds=best, candidates=kept)


# Speech runs at about 150 words a minute; the synthetic sentences average
# about 15 words, so an hour is about 600 sentences.
SENTENCES_PER_HOUR = 600
SHOWS = ("Signal Check", "Compute Weekly", "The Margin Call")


def one_hour_transcript(number: int, *, checkable_share: float, seed: int) -> str:
    """A speaker-labelled transcript of about an hour, unique per ``number``."""
    rng = random.Random(seed * 100_003 + number)  # noqa: S311 - test data
    checkable = SENTENCES[:CHECKABLE]
    chatter = SENTENCES[CHECKABLE:]
    lines = [
        f"Benchmark episode {number}: compute, chips and growth",
        f"Recorded May {1 + number % 28}, 2026",
        f"Show: {SHOWS[number % len(SHOWS)]}",
        "",
    ]
    second = written = 0
    while written < SENTENCES_PER_HOUR:
        count = rng.randint(2, 6)
        speaker = rng.choice(SPEAKERS)
        sentences = []
        for _ in range(count):
            pool = checkable if rng.random() < checkable_share else chatter
            sentences.append(varied(rng.choice(pool), rng))
        clock = f"{second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}"
        lines.append(f"[{clock}] {speaker}: {' '.join(sentences)}")
        second += 6 * count
        written += count
    return "\n".join(lines) + "\n"


# --- pathological files (docs/performance.md) -----------------------------------

PATHOLOGICAL_HEADER = "Pathological file\nRecorded May 8, 2026\n\n"


# Two ordinary turns first, so the file reads as a transcript (detection
# looks at its first lines) and reaches the part that is not ordinary.
OPENING = "Ana: Welcome back.\nBen: Thanks for having me.\n"


def _fill(make, size: int) -> str:
    parts, total, i = [PATHOLOGICAL_HEADER], len(PATHOLOGICAL_HEADER), 0
    while total < size:
        line = make(i) + "\n"
        parts.append(line)
        total += len(line)
        i += 1
    return "".join(parts)


def _dense(turn, *, turns: int = 19_000, text: int | None = None) -> str:
    """A transcript by 199 speakers whose turns are each a distinct checkable
    sentence: ``turns`` of them, or as many as ``text`` characters of speech
    hold; as many claims as the import limits let through."""
    lines, chars = [], 0
    for i in range(turns):
        sentence = turn(i)
        chars += len(sentence)
        if text is not None and chars > text:
            break
        lines.append(f"Speaker {i % 199}: {sentence}\n")
    return PATHOLOGICAL_HEADER + "".join(lines)


def _short_claim(i: int) -> str:
    return (
        f"Project{i} alpha{i} revenue grew {i % 90 + 5}% to ${i % 900 + 10} "
        f"million in {2000 + i % 25}, said the filing."
    )


def _long_claim(i: int) -> str:
    """About 250 characters with five figures, none shared with another
    sentence, so none reads as a restatement of another."""
    return (
        f"Project{i} alpha{i} revenue grew to ${i + 10} million, while costs at "
        f"unit{i} fell to ${i + 30_000} thousand, and the team of beta{i} and "
        f"gamma{i} grew to {i + 60_000} people in {i + 90_000} offices, with "
        f"{i + 120_000} customers, said the filing on page {i + 1}."
    )


def pathological_files(size: int = 4_900_000) -> dict[str, str]:
    """Files of about ``size`` characters of each shape a hostile or broken
    export takes, and the largest ones just inside every import limit."""
    figure = "The data center cost $6 billion in 2025."
    long_turn = (figure + " ") * (size // (len(figure) + 1) // 4)
    cue = (figure + " ") * (size // (len(figure) + 1))
    return {
        "30,000+ speakers": _fill(lambda i: f"Speaker Number{i}: {figure}", size),
        "four 1.2 MB turns": PATHOLOGICAL_HEADER
        + OPENING
        + "".join(f"Ranjan Roy: {long_turn}\n" for _ in range(4)),
        "one 4.9 MB sentence": PATHOLOGICAL_HEADER
        + OPENING
        + "Ranjan Roy: "
        + "and the growth was large " * (size // 25)
        + ".\n",
        "one 4.9 MB caption": "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ranjan Roy>"
        + cue
        + "\n",
        "200,000+ short turns": _fill(
            lambda i: "A: ok." if i % 2 else f"B: It grew 80 times in {2000 + i % 25}.",
            size,
        ),
        "one claim 90,000 times": _fill(lambda i: f"Ranjan Roy: {figure}", size),
        # Within the turn and text limits: six short sentences a turn.
        "70,000+ short sentences": _dense(
            lambda i: " ".join(
                f"Unit{6 * i + k} grew {k + 2}% in {2000 + i % 25}." for k in range(6)
            ),
            text=1_990_000,
        ),
        # Within the turn and sentence limits, past the text limit.
        "19,000 long sentences": _dense(_long_claim),
        "just inside the limits": _dense(_short_claim),
        "just inside, long sentences": _dense(_long_claim, text=1_990_000),
    }
