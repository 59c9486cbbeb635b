"""Check-worthiness: which sentences clear the threshold, and the reasons given."""

import pytest

from claims.extraction.scoring import (
    AGAINST,
    FEATURE_NAMES,
    FOR,
    THRESHOLD,
    features,
    score,
    score_many,
)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        # amounts and numbers, in digits and in words
        ("Anthropic raised $2.5 billion in new funding.", "a money amount"),
        ("They spent five billion dollars on chips.", "a money amount"),
        ("Margins were 45% last year.", "a percentage"),
        ("One in five adults uses a chatbot at work.", "a percentage"),
        ("A quarter of all new code is written by AI.", "a percentage"),
        ("A third of the staff left.", "a percentage"),
        ("Usage grew 80 times in a year.", "a growth multiple"),
        ("They planned for 10x growth.", "a growth multiple"),
        ("Their revenue doubled.", "a growth multiple"),
        ("Inference costs halved.", "a growth multiple"),
        ("The company has 12 million paying subscribers.", "a count"),
        ("The campus draws 3 gigawatts.", "a power figure"),
        ("OpenAI had 2 data centers in 2024.", "a number"),
        # comparisons
        ("That's more than the whole company made in all of 2023.", "a comparison"),
        ("Claude runs faster than GPT-5 on the benchmark.", "a comparison"),
        ("Nvidia is the largest chipmaker in the world.", "a superlative or record"),
        # forecasts and deadlines
        ("Revenue will double by 2028.", "a forecast with a date"),
        ("The plant will be finished by June 2027.", "a forecast with a date"),
        ("Sales are expected to triple next year.", "a forecast with a date"),
        # reported speech and deals
        (
            "Dario Amade said on Wednesday that the company planned for 10x growth.",
            "reported speech",
        ),
        ("Microsoft acquired Activision.", "a deal"),
        ("Anthropic signed a multi-year compute contract with SpaceX.", "a deal"),
        ("SpaceX agreed to lease a data center to Anthropic.", "a deal"),
    ],
)
def test_checkable_sentences_clear_the_threshold_with_their_reason(sentence, reason):
    value, reasons = score(sentence)
    assert value >= THRESHOLD, (value, reasons)
    assert reason in reasons


@pytest.mark.parametrize(
    "sentence",
    [
        "I just think the vibes are off.",
        "We'll be right back.",
        "Thanks for having me.",
        "Welcome to the show.",
        "Yeah, exactly.",
        "So what do you make of that?",
        "It's going to be huge.",
        "Honestly, I don't know how anyone keeps up with all of it.",
        "Sam Altman said on Wednesday that the vibes are off.",
        "I was skeptical at first, but I came around.",
        "The AI industry’s landscape is becoming increasingly competitive and dynamic.",
        "This partnership could provide SpaceX with a new revenue source as it "
        "looks to IPO.",
        "Anthropic’s ability to deliver compute has improved due to a new data "
        "center partnership.",
        "The growth rate could make AI companies significantly larger than "
        "anticipated.",
        "Technology executives should focus on the value of their spending rather "
        "than the amount.",
    ],
)
def test_filler_greetings_opinions_and_vague_statements_stay_below(sentence):
    value, reasons = score(sentence)
    assert value < THRESHOLD, (value, reasons)


def test_scores_stay_between_zero_and_one_and_reasons_come_strongest_first():
    value, reasons = score(
        "Dario Amade, the chief executive of Anthropic, said on Wednesday that his "
        "company had planned for growing about 10 times as big this year."
    )
    assert 0 < value <= 1
    assert reasons[:3] == [
        "a growth multiple",
        "a forecast with a date",
        "reported speech",
    ]


def test_an_opinion_marker_lowers_a_figure_and_says_so():
    plain, _ = score("Revenue grew 40% last year.")
    hedged, reasons = score("I think revenue grew 40% last year.")
    assert hedged < plain
    assert reasons[-1] == "an opinion marker (lowers)"


def test_greetings_say_why_they_score_low():
    value, reasons = score("Welcome to the show.")
    assert value < 0.1
    assert reasons == ["filler or a greeting (lowers)"]


def test_reporting_the_speakers_own_words_is_not_reported_speech():
    sentence = "Ranjan Roy said that revenue grew 40% last year."
    assert "reported speech" in score(sentence)[1]
    assert "reported speech" not in score(sentence, speaker="Ranjan Roy")[1]
    assert "reported speech" not in score("As I said, revenue grew 40%.")[1]


def test_the_documented_score_table_is_the_one_used():
    # One money amount: 1 - 0.9 × (1 - 0.55) = 0.595.
    assert score("It cost $5 billion.") == (0.595, ["a money amount"])
    # Comparison and date: 1 - 0.9 × 0.7 × 0.75 = 0.5275.
    value, reasons = score("That is more than it made in all of 2023.")
    assert reasons == ["a comparison", "a date"]
    assert value == pytest.approx(0.5275, abs=0.001)


def test_the_batch_variant_scores_each_sentence_like_score():
    sentences = ["It cost $5 billion.", "Thanks for having me."]
    assert score_many(sentences) == [score(s) for s in sentences]


def test_features_name_every_rule_for_a_model_to_reuse():
    values = features("Revenue will double by 2028, the CFO said.")
    assert set(FEATURE_NAMES) == set(FOR) | set(AGAINST)
    assert set(values) == {*FEATURE_NAMES, "quantities", "rule_score"}
    assert values["multiplier"] == values["dated_forecast"] == values["reported"] == 1
    assert values["opinion"] == 0
    assert (
        values["rule_score"] == score("Revenue will double by 2028, the CFO said.")[0]
    )


def test_a_sentences_dates_are_read_once_for_its_amounts_and_its_forecast(
    monkeypatch,
):
    """Counted, not timed: amounts and forecasts both need the dates of a
    sentence, and ``signals`` reads them once for both."""
    import datetime

    from claims.extraction import dates, quantities, scoring
    from claims.extraction.scoring import signals

    sentence = "Revenue will double to $5 billion by March 2028, up 40% since 2025."
    today = datetime.date(2026, 5, 8)
    before = signals(sentence, published_on=today)
    calls = []
    real = dates.absolute_dates

    def counting(text):
        calls.append(text)
        return real(text)

    for module in (dates, quantities, scoring):
        monkeypatch.setattr(module, "absolute_dates", counting)
    assert signals(sentence, published_on=today) == before
    assert calls == [sentence]
    assert before.forecast.period.text == "March 2028"
    assert "date" in {q.kind for q in before.quantities}
