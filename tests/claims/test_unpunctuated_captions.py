"""Captions without sentence punctuation (machine-made captions: lower case,
no stops) are cut into passages at their cues' starts, and the import says
so. Before, each paragraph of up to 10,000 characters read as one sentence:
one claim holding every figure of the paragraph, or none."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from claims.extraction.candidates import (
    CUE_PASSAGE_CHARS,
    UNPUNCTUATED_CHARS,
    count_passages,
    cut_at_cues,
    find_candidates,
)
from claims.models import Claim
from episodes.parsers import parse

SAID = (
    "so anthropic has a five to six billion dollar data center that is fully "
    "built and they planned for growing about ten times as big this year but "
    "actually they saw eighty times growth in the first quarter which nobody "
    "expected meanwhile nvidia sold four million chips last year according to "
    "their filing and openai says it will reach one billion weekly users by "
    "the end of next year anyway let's talk about the weather it was nice today"
)


def _captions(text: str, words_per_cue: int = 7) -> str:
    words = text.split()
    blocks = ["WEBVTT", ""]
    for n, at in enumerate(range(0, len(words), words_per_cue)):
        start, end = n * 3, n * 3 + 3
        blocks += [
            f"00:{start // 60:02d}:{start % 60:02d}.000 --> "
            f"00:{end // 60:02d}:{end % 60:02d}.000",
            " ".join(words[at : at + words_per_cue]),
            "",
        ]
    return "\n".join(blocks)


def test_unpunctuated_captions_are_cut_at_cues_into_sentence_sized_claims():
    parsed = parse(_captions(SAID), "vtt")
    (turn,) = parsed.turns
    assert len(turn.text) > UNPUNCTUATED_CHARS  # one "sentence" before
    found = find_candidates(parsed)
    assert len(found) >= 3
    for candidate in found:
        # An exact slice of the source, starting where a caption starts, of
        # about two captions' length, timed at its own caption.
        assert parsed.source_text[candidate.start : candidate.end] == candidate.quote
        assert candidate.start in {offset for offset, _ in turn.cue_starts}
        assert len(candidate.quote) < CUE_PASSAGE_CHARS + 60
        assert candidate.timestamp_seconds == turn.timestamp_at(candidate.start)
    # Each figure is in its own claim, no longer all in one.
    assert max(len(c.quantities) for c in found) <= 2
    eighty = next(c for c in found if "eighty times" in c.quote)
    assert eighty.timestamp_seconds > 0
    # The count the import warns with is the passages scored.
    assert cut_at_cues(parsed) == count_passages(parsed, up_to=1000) > 3


def test_punctuated_captions_are_read_by_their_sentences():
    punctuated = (
        "Anthropic has a five to six billion dollar data center. They saw "
        "eighty times growth in the first quarter. Nvidia sold four million "
        "chips last year. OpenAI says it will reach one billion users. "
    ) * 4
    parsed = parse(_captions(punctuated), "vtt")
    assert cut_at_cues(parsed) == 0
    assert all(c.quote.endswith(".") for c in find_candidates(parsed))


def test_a_long_sentence_a_person_punctuated_is_left_whole():
    # Found in review: a 447-character sentence of clauses between commas,
    # in human captions, was cut mid-clause ("…its chief financial officer
    # said on.") and called unpunctuated.
    sentence = (
        "The company, which reported its results on Tuesday, said that revenue "
        "in the data center business, its largest, grew by 80 percent, that "
        "margins, which had fallen for two quarters, recovered to 70 percent, "
        "and that the backlog of orders, most of them from cloud providers, "
        "reached 50 billion dollars, a record, although shipments to China, "
        "where export rules apply, fell, as its chief financial officer said "
        "on the call with analysts, by about a third."
    )
    assert len(sentence) > UNPUNCTUATED_CHARS
    parsed = parse(_captions(sentence), "vtt")
    assert cut_at_cues(parsed) == 0
    assert [c.quote for c in find_candidates(parsed)] == [sentence]


def test_a_long_cue_with_nowhere_to_cut_is_not_said_to_be_cut():
    # Found in review: one 450-character cue and a short one: nothing could
    # be cut (a passage starts only where a cue does), yet the import said
    # it "cut 1 passages".
    long_cue = " ".join(["word"] * 90) + "."
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n"
        + long_cue
        + "\n\n00:00:05.000 --> 00:00:06.000\nShort one.\n"
    )
    assert cut_at_cues(parse(text, "vtt")) == 0


def test_a_stop_before_a_lower_case_word_does_not_stop_the_cut():
    # Machine captions with the odd stop: "… four million chips. so
    # anthropic …" is one sentence to the splitter (a stop before a
    # lower-case word is not an end), and still has too little punctuation.
    parsed = parse(_captions(SAID.replace("last year", "last year.")), "vtt")
    assert cut_at_cues(parsed) > 3


def test_a_long_sentence_without_cues_is_not_cut():
    # A transcript (no cues) keeps its sentences, however long.
    text = "Host: " + SAID + ".\n"
    parsed = parse(text, "transcript")
    assert cut_at_cues(parsed) == 0


@pytest.mark.django_db
def test_the_import_says_it_cut_the_captions(tmp_path, show):
    path = tmp_path / "auto-captions.vtt"
    path.write_text(_captions(SAID), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_episode", str(path), "--show", show.name, stdout=out, stderr=err
    )
    assert err.getvalue().startswith(
        f"warning: {path}: the captions have long stretches without sentence "
        "punctuation (as machine-made captions do): they were cut into "
    )
    assert "so a claim may begin or end mid-sentence" in err.getvalue()
    claims = list(Claim.objects.order_by("quote_start"))
    assert len(claims) >= 3
    for claim in claims:
        assert (
            claim.episode.source_text[claim.quote_start : claim.quote_end]
            == claim.quote
        )
