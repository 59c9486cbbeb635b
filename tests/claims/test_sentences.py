"""Sentence splitting: exact offsets, and abbreviations that do not end a sentence."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.extraction.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Mr. Musk said the U.S. market grew. Then it fell.",
            ["Mr. Musk said the U.S. market grew.", "Then it fell."],
        ),
        (
            "Apple Inc. shipped 230 million phones. The company said so.",
            ["Apple Inc. shipped 230 million phones.", "The company said so."],
        ),
        (
            "It raised $2.5 billion. No. 1 in the charts is Nvidia.",
            ["It raised $2.5 billion.", "No. 1 in the charts is Nvidia."],
        ),
        (
            "J. Smith and Dr. Su met at 9 a.m. Tuesday. It went well!",
            ["J. Smith and Dr. Su met at 9 a.m. Tuesday.", "It went well!"],
        ),
        (
            "The U.S. Steel deal closed. U.S. officials said it was fine.",
            ["The U.S. Steel deal closed.", "U.S. officials said it was fine."],
        ),
        (
            "Revenue grew 3.5% vs. last year, e.g. in Europe. See Fig. 3 for more.",
            [
                "Revenue grew 3.5% vs. last year, e.g. in Europe.",
                "See Fig. 3 for more.",
            ],
        ),
    ],
)
def test_abbreviations_titles_and_decimals_do_not_end_a_sentence(text, sentences):
    assert split_sentences(text) == sentences


def test_an_abbreviation_before_a_sentence_opener_ends_the_sentence():
    assert split_sentences("He works at Apple Inc. The company is big.") == [
        "He works at Apple Inc.",
        "The company is big.",
    ]
    assert split_sentences("They said no. Then they left.") == [
        "They said no.",
        "Then they left.",
    ]


def test_questions_exclamations_ellipses_and_closing_quotes_end_sentences():
    text = "Is it true? Yes… it is. “We will double,” he said. Then he left!"
    assert split_sentences(text) == [
        "Is it true?",
        "Yes… it is.",
        "“We will double,” he said.",
        "Then he left!",
    ]


def test_a_speech_to_text_ellipsis_before_a_lower_case_word_does_not_split():
    text = (
        "a 5 to $6,000,000,000 data center that’s fully built right… this changes "
        "that significantly."
    )
    assert split_sentences(text) == [text]


def test_a_blank_line_ends_a_sentence_and_a_line_break_does_not():
    text = "Revenue grew\nby a lot\n\nNext paragraph"
    assert split_sentences(text) == ["Revenue grew\nby a lot", "Next paragraph"]


def test_offsets_slice_the_source_exactly_with_spaces_trimmed():
    source = "[00:01:02] Ann: Welcome back.  Revenue grew 40% to $2.5 billion. Wow "
    start = source.index("Welcome")
    turn = source[start:]
    spans = list(sentence_spans(turn, start))
    assert [source[a:b] for a, b in spans] == [
        "Welcome back.",
        "Revenue grew 40% to $2.5 billion.",
        "Wow",
    ]


def test_empty_and_blank_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []


# The boundary pattern before it was made linear: the reference for what it
# finds (the lookbehind and the possessive quantifiers change how long a
# search takes, never what it finds).
_QUADRATIC_BOUNDARY = (
    r"""(?P<stop>[.!?…]+|\.{3})["'”’)\]]*(?=\s+["“‘'(\[]?[A-Z0-9$€£])|\n[ \t]*\n\s*"""
)


@given(
    st.text(
        alphabet=st.sampled_from(list(".!?…\"'”’)]([“‘ \t\nAaZz9$€.Mr")), max_size=60
    )
)
def test_the_linear_boundary_finds_what_the_old_one_did(text):
    import re

    from claims.extraction import sentences

    old = [
        (m.start(), m.end(), m.start("stop") if m["stop"] else -1)
        for m in re.finditer(_QUADRATIC_BOUNDARY, text)
    ]
    new = [
        (m.start(), m.end(), m.start("stop") if m["stop"] else -1)
        for m in sentences._BOUNDARY.finditer(text)
    ]
    assert new == old


@pytest.mark.parametrize("stop", [".", "!", "?", "…"])
def test_a_long_run_of_stops_is_read_once(stop):
    # A new user's episode: 90,000 "…" in one turn, never followed by a
    # capital. Each position of the run read the rest of it again (2.4 s for
    # 10,000; hours for this): an import never ended, and a published
    # claim's page took seconds a view. Now one pass (a few milliseconds).
    text = "Revenue grew 50% " + stop * 200_000 + " and costs rose."
    assert list(sentence_spans(text)) == [(0, len(text))]
