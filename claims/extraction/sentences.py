"""Sentences of a passage, as exact offsets into it.

A speaker's turn or a quote is split into sentences so that each checkable
sentence becomes its own candidate with its own offsets: ``text[start:end]``
is the sentence, verbatim, trimmed of surrounding spaces.

One regular expression finds the places a sentence may end (``.``, ``!``,
``?``, ``…``, closing quotes and brackets after them, then a space and a
capital, a digit or an opening quote); a few rules then reject the stops that
end an abbreviation rather than a sentence:

- titles and references never end a sentence: "Mr. Musk", "Dr. Su",
  "No. 1", "e.g. Nvidia", "vs. Google", single initials ("J. Smith");
- abbreviations that may also end one ("U.S.", "Inc.", "Corp.", "a.m.")
  end it only before a word that usually starts a sentence ("… Apple Inc. The
  company …"), not before a name ("U.S. Steel", "Inc. Magazine");
- a stop followed by a lower-case word is not a sentence end ("right… this
  changes", "e.g. the"), which keeps speech-to-text ellipses together;
- decimals and amounts ("$2.5 billion", "3.5%") never match, as no space
  follows the point.

Blank lines (paragraph breaks) always end a sentence. Regular expressions
rather than a library splitter: on the benchmark transcript this splits some
180,000 sentences a second on one core, against 69,000 for blingfire (which
also needs numpy) and 6,500 for pysbd, whose pace alone would use the whole
budget of 5,000 sentences a second for detection and scoring. It also keeps
offsets exact, and transcripts rarely need more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A possible sentence end: the stop itself (group "stop"), then the space and
# the first character of the next sentence, which is not consumed. Linear in
# the text: a run of stops is matched from its first character only (the
# lookbehind) and never given back (the possessive ``++``, ``*+``). Without
# them a run of 10,000 "!" with no capital after it took 2.4 s, each of its
# positions reading the rest of the run again (found by a new user: an
# episode file or a claim's page could take minutes).
_BOUNDARY = re.compile(
    r"(?<![.!?…])(?P<stop>[.!?…]++)[\"'”’)\]]*+"
    r"(?=\s++[\"“‘'(\[]?[A-Z0-9$€£])"
    r"|\n[ \t]*+\n\s*"  # a blank line
)
# The word before a full stop, letters and inner dots only ("U.S", "Inc").
_WORD_BEFORE = re.compile(r"(?:[A-Za-z]+\.)*[A-Za-z]+$")
_FIRST_WORD = re.compile(r"\s+[\"“‘'(\[]?(?P<word>[A-Za-z]+)")

# Never the end of a sentence (compared without case).
_TITLES = frozenset(
    "mr mrs ms mx dr prof sr jr st sen rep gov gen lt col capt sgt cmdr adm rev hon"
    " pres supt messrs mme mlle fr pp vs v cf eg ie e.g i.e approx est fig figs vol"
    " dept univ assn bros ave blvd rd mt ft".split()
)
# Reference abbreviations: not an end before a number ("No. 1", "Art. 5").
_BEFORE_NUMBERS = frozenset("no nos art sec ch p pg op vol".split())
# May end a sentence; do so only before a typical sentence opener.
_MAY_END = frozenset(
    "inc ltd co corp llc plc bros etc al u.s u.k u.n e.u u.s.a a.m p.m jan feb mar"
    " apr jun jul aug sep sept oct nov dec".split()
)
_OPENERS = frozenset(
    "a an the this that these those it its he she they we i you there here but and"
    " so or yet then now if when while as in on at for after before since because"
    " although however meanwhile also still what why how who which where our my"
    " his her their your one some many most no not".split()
)


def _is_abbreviation(text: str, stop: int, after: int) -> bool:
    """Does the full stop at ``text[stop]`` end an abbreviation, not a sentence?"""
    word_match = _WORD_BEFORE.search(text, max(0, stop - 40), stop)
    if word_match is None:
        return False
    word = word_match[0].casefold()
    if word in _TITLES:
        return True
    next_match = _FIRST_WORD.match(text, after)
    next_word = next_match["word"] if next_match else ""
    if word in _BEFORE_NUMBERS:
        return next_match is None  # "No. 1": a digit follows, not a word
    if len(word) == 1 and word_match[0].isupper():
        return True  # an initial: "J. Smith", "Plan B." is rarer
    if word in _MAY_END or "." in word:
        return next_word.casefold() not in _OPENERS
    return False


def sentence_spans(text: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in ``text``, shifted by ``offset``.

    ``text[start - offset:end - offset]`` is the sentence, without the spaces
    around it; empty stretches yield nothing.
    """
    start = 0
    for match in _BOUNDARY.finditer(text):
        stop = match.start("stop")
        if (
            stop >= 0
            and text[stop] == "."
            and match["stop"] == "."
            and _is_abbreviation(text, stop, match.end())
        ):
            continue
        yield from _trimmed(text, start, match.end(), offset)
        start = match.end()
    yield from _trimmed(text, start, len(text), offset)


def _trimmed(text: str, start: int, end: int, offset: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start + offset, end + offset


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (for tests and quick looks)."""
    return [text[start:end] for start, end in sentence_spans(text)]
