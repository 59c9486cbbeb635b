"""Quantities found in sentences: kind, normalised range, unit and approximation."""

from decimal import Decimal

import pytest

from claims.extraction.quantities import find_quantities
from claims.models import QuantityKind

B = 10**9


def only(text: str):
    (quantity,) = find_quantities(text)
    return quantity


def test_speech_to_text_range_takes_the_scale_of_its_high_end():
    q = only("a 5 to $6,000,000,000 data center that’s fully built")
    assert (q.kind, q.low, q.high, q.unit, q.approx) == (
        QuantityKind.MONEY,
        5 * B,
        6 * B,
        "USD",
        False,
    )
    assert q.text == "5 to $6,000,000,000"


def test_growth_multiple_is_a_multiplier():
    q = only("I hope that 80 times growth doesn’t continue")
    assert (q.kind, q.low, q.high, q.unit, q.approx) == (
        QuantityKind.MULTIPLIER,
        80,
        80,
        "x",
        False,
    )
    assert q.text == "80 times"


def test_about_makes_a_multiplier_approximate():
    q = only("had planned for growing about 10 times as big this year.")
    assert (q.kind, q.low, q.high, q.unit, q.approx) == (
        QuantityKind.MULTIPLIER,
        10,
        10,
        "x",
        True,
    )
    assert q.text == "about 10 times"


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit"),
    [
        (
            "It raised $2.5 billion.",
            "money",
            Decimal("2.5") * B,
            Decimal("2.5") * B,
            "USD",
        ),
        ("a $5–6B deal", "money", 5 * B, 6 * B, "USD"),
        ("a $5-6B deal", "money", 5 * B, 6 * B, "USD"),
        ("between $64 and $72 billion", "money", 64 * B, 72 * B, "USD"),
        ("US$40m in fees", "money", 40 * 10**6, 40 * 10**6, "USD"),
        ("€3 bn of debt", "money", 3 * B, 3 * B, "EUR"),
        ("five billion dollars", "money", 5 * B, 5 * B, "USD"),
        ("from $500 to $2,000 a seat", "money", 500, 2000, "USD"),
        ("margins of 45%", "percent", 45, 45, "%"),
        ("it was 3.5%.", "percent", Decimal("3.5"), Decimal("3.5"), "%"),
        ("between 5 and 7 percent", "percent", 5, 7, "%"),
        ("twenty-five per cent", "percent", 25, 25, "%"),
        ("a 10x improvement", "multiplier", 10, 10, "x"),
        ("2.5x faster", "multiplier", Decimal("2.5"), Decimal("2.5"), "x"),
        ("a tenfold rise", "multiplier", 10, 10, "x"),
        ("revenue doubled", "multiplier", 2, 2, "x"),
        ("12 million users", "count", 12 * 10**6, 12 * 10**6, ""),
        ("5,000 employees", "count", 5000, 5000, ""),
    ],
)
def test_forms_of_amounts_normalise_to_one_range(text, kind, low, high, unit):
    q = only(text)
    assert (q.kind, q.low, q.high, q.unit) == (kind, low, high, unit)


def test_bounds_leave_the_open_end_empty():
    more = only("more than $5 billion")
    assert (more.low, more.high) == (5 * B, None)
    up_to = only("up to 20% of it")
    assert (up_to.low, up_to.high) == (None, 20)


def test_tilde_marks_an_amount_approximate():
    q = only("~$3M")
    assert (q.low, q.approx) == (3 * 10**6, True)


def test_several_quantities_come_in_text_order():
    found = find_quantities(
        "Revenue grew 45% to $2.5 billion, about 3 times last year."
    )
    assert [q.text for q in found] == ["45%", "$2.5 billion", "about 3 times"]


@pytest.mark.parametrize(
    "text",
    [
        "The AI industry’s landscape is becoming increasingly competitive and dynamic.",
        "This teaming up of SpaceX and Anthropic is going to be answer one of "
        "Anthropic’s biggest problems.",
        "I’ve become definitely more skeptical in the last two weeks.",
        "GPT-4 shipped in 2023 on H100s.",
        "We meet three times a week.",
        "They doubled down on it.",
        "It is 5m away.",
        "",
    ],
)
def test_sentences_without_quantities_give_none(text):
    assert find_quantities(text) == []
