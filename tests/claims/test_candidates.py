"""Which items become candidate claims, and their guessed type, score and claimant."""

from pathlib import Path

import pytest

from claims.extraction.attribution import reported_speaker
from claims.extraction.candidates import clean_text, find_candidates, is_checkable
from claims.models import ClaimType
from episodes.parsers import ItemKind, parse

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "seeds"
    / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
)


@pytest.fixture(scope="module")
def candidates():
    return find_candidates(parse(SAMPLE.read_text("utf-8")))


def by_quote(candidates, start: str):
    return next(c for c in candidates if c.quote.startswith(start))


def test_every_sample_quote_is_a_candidate_and_no_vague_bullet_is(candidates):
    assert [c.origin for c in candidates] == [ItemKind.QUOTE] * 11
    assert not any("increasingly competitive" in c.quote for c in candidates)


@pytest.mark.parametrize(
    "bullet",
    [
        "The AI industry’s landscape is becoming increasingly competitive and dynamic.",
        "This partnership could provide SpaceX with a new revenue source as it "
        "looks to IPO.",
        "Anthropic’s ability to deliver compute has improved due to a new data "
        "center partnership.",
    ],
)
def test_vague_bullets_are_not_checkable(bullet):
    assert not is_checkable(bullet)


@pytest.mark.parametrize(
    "bullet",
    [
        "Anthropic expects revenue of $5 billion this year.",
        "Usage grew 80 times in a year.",
        "OpenAI had 2 data centers in 2024.",
        "SpaceX agreed to lease a data center to Anthropic.",
        "Microsoft acquired Activision.",
        "Anthropic signed a multi-year compute contract with SpaceX.",
    ],
)
def test_bullets_with_a_number_amount_multiple_or_deal_are_checkable(bullet):
    assert is_checkable(bullet)


def test_quotes_with_numbers_score_high_and_opinions_low(candidates):
    assert by_quote(candidates, "The data center").checkworthiness == 0.9
    assert by_quote(candidates, "I hope that 80 times").checkworthiness == 0.9
    assert by_quote(candidates, "The deal between").checkworthiness == 0.5
    assert by_quote(candidates, "No technology executive").checkworthiness == 0.3
    assert all(0 <= c.checkworthiness <= 1 for c in candidates)


def test_claim_types_are_guessed_from_amounts_multiples_and_reports(candidates):
    assert by_quote(candidates, "The data center").claim_type == ClaimType.FINANCIAL
    assert by_quote(candidates, "I hope that 80").claim_type == ClaimType.STATISTIC
    dario = by_quote(candidates, "Dario Amade")
    assert dario.claim_type == ClaimType.ATTRIBUTION
    assert (dario.speaker, dario.claimant) == ("Ranjan Roy", "Dario Amade")


def test_reported_speaker_is_the_named_person_before_said():
    assert reported_speaker("Sam Altman told reporters it would ship.") == "Sam Altman"
    assert reported_speaker("According to Lisa Su, demand is strong.") == "Lisa Su"
    assert reported_speaker("The Company said revenue fell.") is None
    assert reported_speaker("I hope that 80 times growth doesn’t continue.") is None


def test_claim_text_is_one_tidy_line():
    assert clean_text("  growth was\n about 10 times ") == "Growth was about 10 times."
