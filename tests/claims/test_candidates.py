"""Which passages become candidate claims, with speaker, claimant, type, score,
quantities, forecast date, timestamp and mentions."""

import dataclasses
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from claims.extraction.attribution import reported_speaker
from claims.extraction.candidates import (
    Candidate,
    MentionData,
    clean_text,
    find_candidates,
    is_checkable,
)
from claims.extraction.scoring import THRESHOLD
from claims.models import ClaimType, QuantityKind
from episodes.parsers import Item, ItemKind, ParsedEpisode, parse

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "seeds"
    / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
)
EPISODE_DATE = datetime.date(2026, 5, 8)
B = 10**9


@pytest.fixture(scope="module")
def sample_text():
    return SAMPLE.read_text("utf-8")


@pytest.fixture(scope="module")
def candidates(sample_text):
    return find_candidates(parse(sample_text))


def by_quote(candidates, start: str):
    return next(c for c in candidates if c.quote.startswith(start))


def transcript(*turns, published_on=EPISODE_DATE) -> ParsedEpisode:
    """A transcript built by hand: (seconds, speaker, text) per turn, one line each."""
    source, items = "", []
    for seconds, speaker, text in turns:
        label = f"[{seconds // 60:02}:{seconds % 60:02}] {speaker}: "
        start = len(source) + len(label)
        items.append(
            Item(
                ItemKind.TURN,
                text,
                start,
                start + len(text),
                speaker=speaker,
                timestamp_seconds=seconds,
                cue_starts=((start, seconds),),
            )
        )
        source += label + text + "\n"
    return ParsedEpisode(
        format="transcript",
        title="Chips",
        show="Signal Check",
        published_on=published_on,
        source_text=source,
        items=tuple(items),
    )


def only(parsed: ParsedEpisode, **kwargs) -> Candidate:
    (candidate,) = find_candidates(parsed, **kwargs)
    return candidate


# --- the sample summary page, end to end -------------------------------------


def test_every_sample_quote_is_a_candidate_whole_and_no_bullet_is(candidates):
    parsed = parse(SAMPLE.read_text("utf-8"))
    assert [c.origin for c in candidates] == [ItemKind.QUOTE] * 11
    assert [(c.quote, c.start, c.end) for c in candidates] == [
        (q.text, q.start, q.end) for q in parsed.quotes
    ]
    assert not any("increasingly competitive" in c.quote for c in candidates)
    assert all(c.speaker == "Ranjan Roy" for c in candidates)
    assert all(c.timestamp_seconds is None for c in candidates)


def test_the_three_numeric_quotes_keep_their_quantities(candidates):
    def quantities(start):
        return [
            (q.kind, q.low, q.high, q.unit, q.approx, q.text)
            for q in by_quote(candidates, start).quantities
        ]

    assert quantities("The data center") == [
        (QuantityKind.MONEY, 5 * B, 6 * B, "USD", False, "5 to $6,000,000,000")
    ]
    assert quantities("Dario Amade") == [
        (QuantityKind.MULTIPLIER, 10, 10, "x", True, "about 10 times")
    ]
    assert quantities("I hope that 80 times") == [
        (QuantityKind.MULTIPLIER, 80, 80, "x", False, "80 times")
    ]
    assert sum(len(c.quantities) for c in candidates) == 3


def test_quotes_are_ranked_figures_first_and_opinions_last(candidates):
    data_center = by_quote(candidates, "The data center")
    dario = by_quote(candidates, "Dario Amade")
    deal = by_quote(candidates, "The deal between")
    executives = by_quote(candidates, "No technology executive")
    assert dario.checkworthiness > data_center.checkworthiness >= 0.5
    assert deal.checkworthiness < 0.5
    assert executives.checkworthiness < deal.checkworthiness
    assert "a money amount" in data_center.reasons
    assert "an opinion marker (lowers)" in executives.reasons
    assert all(0 <= c.checkworthiness <= 1 for c in candidates)


def test_darios_reported_plan_is_a_forecast_due_at_the_end_of_2026(candidates):
    dario = by_quote(candidates, "Dario Amade")
    assert (dario.speaker, dario.claimant) == ("Ranjan Roy", "Dario Amade")
    assert dario.claim_type == ClaimType.FORECAST
    assert dario.resolves_on == datetime.date(2026, 12, 31)
    assert dario.reasons[:3] == (
        "a growth multiple",
        "a forecast with a date",
        "reported speech",
    )


def test_claim_types_are_guessed_from_amounts_and_multiples(candidates):
    assert by_quote(candidates, "The data center").claim_type == ClaimType.FINANCIAL
    assert by_quote(candidates, "I hope that 80").claim_type == ClaimType.STATISTIC


def test_no_sample_bullet_clears_the_threshold_and_none_restates_a_quotes_figure(
    sample_text,
):
    # With every bullet kept, the two takeaways that repeat a section bullet
    # word for word fold into it; no bullet carries a quote's figure, so no
    # bullet merges into a quote.
    everything = find_candidates(parse(sample_text), min_score=0)
    merged = {c.quote: [m.quote for m in c.mentions] for c in everything if c.mentions}
    assert merged == {
        "AI companies are experiencing growth rates that far exceed initial "
        "expectations.": [
            "AI companies are experiencing growth rates that far exceed initial "
            "expectations."
        ],
        "The rapid growth of AI companies may not be sustainable in the long term.": [
            "The rapid growth of AI companies may not be sustainable in the long term."
        ],
    }
    for candidate in everything:
        for mention in candidate.mentions:
            assert sample_text[mention.start : mention.end] == mention.quote
            # The takeaway comes first and stays; the section bullet is the mention.
            assert mention.start > candidate.start
    # 11 quotes, 61 section bullets and 13 takeaways, less the 2 repeats.
    assert len(everything) == 11 + 61 + 13 - 2


def test_a_bullet_restating_a_quotes_figure_is_a_mention_of_the_quote(sample_text):
    bullet = "- Anthropic will lease a $5–6B data center from SpaceX."
    text = sample_text.replace(
        "— Ranjan Roy\n- The partnership significantly boosts",
        f"— Ranjan Roy\n{bullet}\n- The partnership significantly boosts",
    )
    candidates = find_candidates(parse(text))
    assert [c.origin for c in candidates] == [ItemKind.QUOTE] * 11
    quote = by_quote(candidates, "The data center")
    start = text.index(bullet) + 2
    assert quote.mentions == (
        MentionData(quote=bullet[2:], start=start, end=start + len(bullet) - 2),
    )


def test_a_checkable_bullet_becomes_a_candidate_with_its_section():
    text = (
        "Ann Example: compute deals | Some Show\n"
        "Add us on Google by Editorial Team Jan. 2, 2025Key takeaways\n"
        "- Compute is becoming important.\n"
        "Deals\n"
        "- Anthropic raised $2.5 billion in new funding.\n"
        "- Partnerships are reshaping the sector.\n"
        "-\n"
        "We signed it last week.\n"
        "— Ann Example\n"
    )
    bullet, quote = find_candidates(parse(text))
    assert (bullet.origin, bullet.section, bullet.speaker) == (
        ItemKind.BULLET,
        "Deals",
        None,
    )
    assert bullet.claim_type == ClaimType.FINANCIAL
    assert bullet.quantities[0].low == Decimal("2500000000")
    assert (quote.origin, quote.speaker) == (ItemKind.QUOTE, "Ann Example")


# --- transcripts: one candidate per checkable sentence ----------------------


def test_a_turn_yields_its_checkable_sentences_with_exact_offsets():
    parsed = transcript(
        (
            17,
            "Maya Lindqvist",
            "Let's start with the numbers. Sundar Pichai said on "
            "Wednesday that Google Cloud revenue grew 28% in the first quarter. Wow.",
        ),
    )
    (candidate,) = find_candidates(parsed)  # "Welcome back." is filler
    assert candidate.quote == (
        "Sundar Pichai said on Wednesday that Google Cloud revenue grew 28% in the "
        "first quarter."
    )
    assert parsed.source_text[candidate.start : candidate.end] == candidate.quote
    assert (candidate.origin, candidate.speaker, candidate.claimant) == (
        ItemKind.TURN,
        "Maya Lindqvist",
        "Sundar Pichai",
    )
    assert candidate.claim_type == ClaimType.ATTRIBUTION
    assert candidate.timestamp_seconds == 17
    assert [(q.kind, q.low) for q in candidate.quantities] == [
        (QuantityKind.PERCENT, 28)
    ]


@pytest.mark.parametrize(
    ("text", "claim_type", "quantities", "resolves_on"),
    [
        (
            "Google Cloud brought in $12.3 billion, which is more than the whole "
            "company made in all of 2004.",
            ClaimType.FINANCIAL,
            [("money", Decimal("12.3") * B)],
            None,
        ),
        (
            "Alphabet plans to spend about $75 billion on servers this year.",
            ClaimType.FORECAST,
            [("money", 75 * B)],
            "2026-12-31",
        ),
        (
            "That share could triple by 2028.",
            ClaimType.FORECAST,
            [("multiplier", 3), ("date", 20280101)],
            "2028-12-31",
        ),
        (
            "Microsoft signed a deal for 835 megawatts over twenty years.",
            ClaimType.STATISTIC,
            [("power", 835 * 10**6), ("duration", 20)],
            None,
        ),
        (
            "One in five AI pilots never reaches production.",
            ClaimType.STATISTIC,
            [("percent", 20)],
            None,
        ),
        (
            "The campus will be finished by June 2027.",
            ClaimType.FORECAST,
            [("date", 20270601)],
            "2027-06-30",
        ),
        (
            "Margins will double next quarter.",
            ClaimType.FORECAST,
            [("multiplier", 2)],
            "2026-09-30",
        ),
        (
            "In five years, half of all cars will drive themselves.",
            ClaimType.FORECAST,
            [("percent", 50)],
            "2031-05-08",
        ),
        (
            "Nvidia is the largest chipmaker in the world, ahead of TSMC.",
            ClaimType.OTHER,
            [],
            None,
        ),
    ],
)
def test_each_rule_yields_its_sentence_with_type_quantities_and_date(
    text, claim_type, quantities, resolves_on
):
    candidate = only(transcript((30, "Priya Natarajan", text)))
    assert candidate.quote == text
    assert candidate.claim_type == claim_type
    assert [(q.kind, q.low) for q in candidate.quantities] == quantities
    expected = datetime.date.fromisoformat(resolves_on) if resolves_on else None
    assert candidate.resolves_on == expected


@pytest.mark.parametrize(
    "text",
    [
        "Welcome back to Signal Check.",
        "Thanks for having me.",
        "Good to be here.",
        "I just think the vibes are off.",
        "We'll be right back.",
        "Is that sustainable?",
        "Honestly, it's complicated.",
        "That's all for this week.",
        "Everyone is building like demand will never slow down.",
        "I'll take the under on that.",
    ],
)
def test_filler_greetings_and_opinions_yield_nothing(text):
    assert find_candidates(transcript((5, "Maya Lindqvist", text))) == []


def test_a_forecast_without_an_episode_date_resolves_only_absolute_dates():
    turns = (
        (1, "Ann", "Alphabet plans to spend about $75 billion this year."),
        (9, "Ann", "OpenAI says it will have 1 billion weekly users by June 2027."),
    )
    this_year, by_june = find_candidates(transcript(*turns, published_on=None))
    assert (this_year.claim_type, this_year.resolves_on) == (ClaimType.FORECAST, None)
    assert by_june.resolves_on == datetime.date(2027, 6, 30)


def test_published_on_overrides_the_episodes_date():
    parsed = transcript((1, "Ann", "Alphabet plans to spend $75 billion this year."))
    candidate = only(parsed, published_on=datetime.date(2030, 2, 1))
    assert candidate.resolves_on == datetime.date(2030, 12, 31)


def test_min_score_sets_the_threshold():
    parsed = transcript((1, "Ann", "We hired five engineers. Thanks for having me."))
    assert find_candidates(parsed) == []
    everything = find_candidates(parsed, min_score=0)
    assert [c.quote for c in everything] == [
        "We hired five engineers.",
        "Thanks for having me.",
    ]
    hired = everything[0].checkworthiness
    assert everything[1].checkworthiness < hired < THRESHOLD
    assert [c.quote for c in find_candidates(parsed, min_score=hired)] == [
        "We hired five engineers."
    ]
    assert find_candidates(parsed, min_score=hired + 0.001) == []


def test_a_sentence_is_timed_by_the_cue_it_starts_in():
    source = "Ann: Revenue grew 40% last year. Margins hit 30% in March."
    start = source.index("Revenue")
    second = source.index("Margins")
    item = Item(
        ItemKind.TURN,
        source[start:],
        start,
        len(source),
        speaker="Ann",
        timestamp_seconds=60,
        cue_starts=((start, 60), (second - 3, 64)),
    )
    parsed = ParsedEpisode(
        format="vtt",
        title="",
        show="",
        published_on=None,
        source_text=source,
        items=(item,),
    )
    assert [c.timestamp_seconds for c in find_candidates(parsed)] == [60, 64]


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_the_signal_check_transcript_and_its_captions_yield_the_same_claims():
    def claims(name):
        parsed = parse((FIXTURES / name).read_text("utf-8"))
        found = find_candidates(parsed)
        for c in found:
            assert parsed.source_text[c.start : c.end] == c.quote
        return [
            (" ".join(c.quote.split()), c.speaker, c.claimant, c.claim_type)
            for c in found
        ]

    transcript_claims = claims("signal-check-2026-05-08.txt")
    assert transcript_claims == claims("signal-check-2026-05-08.vtt")
    assert [(quote[:30], claimant) for quote, _, claimant, _ in transcript_claims] == [
        ("Sundar Pichai said on Wednesda", "Sundar Pichai"),
        ("Google Cloud brought in $12.3 ", None),
        ("Alphabet plans to spend about ", None),
        # A share said in words: digit-less, and checkable.
        ("Most of that goes into servers", None),
        ("Data centers used 4.4% of all ", None),
        ("Microsoft signed a deal to res", None),
        ("Meanwhile Nvidia's data center", None),
        ("Satya Nadella told investors i", "Satya Nadella"),
        ("OpenAI says it will have 1 bil", None),
    ]


# --- one fact, one candidate ---------------------------------------------------


def test_a_figure_repeated_by_the_same_speaker_is_one_candidate_with_a_mention():
    parsed = transcript(
        (10, "Ranjan Roy", "They now have 12 million paying subscribers."),
        (20, "Maya Lindqvist", "Is that a lot?"),
        (25, "Ranjan Roy", "Again, 12 million paying subscribers, up from 2 million."),
    )
    (candidate,) = find_candidates(parsed)
    # The higher-scoring restatement leads (it also says "up from 2 million").
    assert candidate.quote.startswith("Again, 12 million")
    (mention,) = candidate.mentions
    assert mention.timestamp_seconds == 10
    assert parsed.source_text[mention.start : mention.end] == mention.quote
    assert mention.quote == "They now have 12 million paying subscribers."


def test_the_same_figure_from_another_speaker_or_about_another_thing_stays_apart():
    parsed = transcript(
        (10, "Ranjan Roy", "They now have 12 million paying subscribers."),
        (25, "Priya Natarajan", "They now have 12 million paying subscribers."),
        (30, "Ranjan Roy", "Revenue grew 10% last year."),
        (40, "Ranjan Roy", "Margins are around 10% now."),
    )
    assert [len(c.mentions) for c in find_candidates(parsed)] == [0, 0, 0, 0]


# --- the pieces ----------------------------------------------------------------


def test_candidates_are_frozen():
    candidate = only(transcript((1, "Ann", "Revenue grew 40% last year.")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.text = "changed"


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


def test_reported_speaker_is_the_named_person_before_or_after_said():
    assert reported_speaker("Sam Altman told reporters it would ship.") == "Sam Altman"
    assert reported_speaker("According to Lisa Su, demand is strong.") == "Lisa Su"
    assert reported_speaker("Revenue will double, Sam Altman said.") == "Sam Altman"
    assert reported_speaker("Revenue will double, said Lisa Su.") == "Lisa Su"
    assert reported_speaker("The Company said revenue fell.") is None
    assert reported_speaker("I hope that 80 times growth doesn’t continue.") is None


def test_claim_text_is_one_tidy_line():
    assert clean_text("  growth was\n about 10 times ") == "Growth was about 10 times."


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("Meanwhile Sam Altman told investors that revenue doubled.", "Sam Altman"),
        ("And Lisa Su said demand for the chips is strong.", "Lisa Su"),
        ("But Jensen Huang said the chips are sold out.", "Jensen Huang"),
        ("So Elon Musk said the data center would ship in June.", "Elon Musk"),
        ("Also Sundar Pichai said search revenue grew.", "Sundar Pichai"),
        ("Still Satya Nadella says Azure grew faster than AWS.", "Satya Nadella"),
        ("However, Tim Cook said iPhone sales fell.", "Tim Cook"),
        ("Earlier this week Dario Amodei said revenue tripled.", "Dario Amodei"),
        ("Earlier this week, Dario Amodei said revenue tripled.", "Dario Amodei"),
        ("Last year Mark Zuckerberg announced 11,000 layoffs.", "Mark Zuckerberg"),
        ("On Wednesday, Andy Jassy told staff that AWS grew.", "Andy Jassy"),
        ("Later that month Satya Nadella said so.", "Satya Nadella"),
    ],
)
def test_a_leading_connective_or_adverb_is_not_part_of_the_claimants_name(
    sentence, claimant
):
    assert reported_speaker(sentence) == claimant


def test_a_leading_connective_before_no_name_finds_no_claimant():
    assert reported_speaker("And then he said it would ship.") is None
    assert reported_speaker("Last week the company said so.") is None


def test_the_import_records_the_claimant_without_the_connective():
    parsed = parse(
        "Episode\nRecorded May 8, 2026\n\nAna Ruiz: Welcome back.\n"
        "Ranjan Roy: Meanwhile Sam Altman told investors that OpenAI had 12 "
        "million paying subscribers.\n"
    )
    (candidate,) = find_candidates(parsed)  # "Welcome back." is filler
    assert (candidate.speaker, candidate.claimant) == ("Ranjan Roy", "Sam Altman")
