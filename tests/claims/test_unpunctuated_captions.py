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
    assert cut_at_cues(parsed) == len(turn.text) // CUE_PASSAGE_CHARS + 1


def test_punctuated_captions_are_read_by_their_sentences():
    punctuated = (
        "Anthropic has a five to six billion dollar data center. They saw "
        "eighty times growth in the first quarter. Nvidia sold four million "
        "chips last year. OpenAI says it will reach one billion users. "
    ) * 4
    parsed = parse(_captions(punctuated), "vtt")
    assert cut_at_cues(parsed) == 0
    assert all(c.quote.endswith(".") for c in find_candidates(parsed))


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
