"""Quantities found in sentences: kind, normalised range, unit and approximation."""

from decimal import Decimal

import pytest

from claims.extraction.quantities import find_quantities
from claims.models import QuantityKind

B = 10**9
M = 10**6


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
        ("12 million paying subscribers", "count", 12 * 10**6, 12 * 10**6, ""),
        ("5,000 employees", "count", 5000, 5000, ""),
        ("a million users", "count", 10**6, 10**6, ""),
        # "half a million" is half of it, not "a million" after a stray word.
        ("half a million people signed", "count", 500_000, 500_000, ""),
        ("Half a million people signed", "count", 500_000, 500_000, ""),
        ("half a billion dollars", "money", B // 2, B // 2, "USD"),
        ("five hundred employees", "count", 500, 500, ""),
        # words and digits alike
        ("a billion dollars", "money", B, B, "USD"),
        ("two hundred million dollars", "money", 2 * 10**8, 2 * 10**8, "USD"),
        ("£40 million", "money", 4 * 10**7, 4 * 10**7, "GBP"),
        ("forty percent", "percent", 40, 40, "%"),
        ("a quarter of users", "percent", 25, 25, "%"),
        ("one in five adults", "percent", 20, 20, "%"),
        ("One in five adults", "percent", 20, 20, "%"),
        ("9 out of 10 doctors", "percent", 90, 90, "%"),
        ("a third of", "percent", Decimal("33.3333"), Decimal("33.3333"), "%"),
        (
            "two thirds of voters",
            "percent",
            Decimal("66.6667"),
            Decimal("66.6667"),
            "%",
        ),
        ("half of all companies", "percent", 50, 50, "%"),
        ("revenue halved", "multiplier", Decimal("0.5"), Decimal("0.5"), "x"),
        ("revenue doubles by", "multiplier", 2, 2, "x"),
        ("sales will double", "multiplier", 2, 2, "x"),
        ("it tripled", "multiplier", 3, 3, "x"),
        ("twice as fast", "multiplier", 2, 2, "x"),
        ("80-fold", "multiplier", 80, 80, "x"),
        ("10X growth", "multiplier", 10, 10, "x"),
        # power, in watts
        ("3 gigawatts of power", "power", 3 * B, 3 * B, "W"),
        ("500 megawatts", "power", 5 * 10**8, 5 * 10**8, "W"),
        ("a 500-megawatt plant", "power", 5 * 10**8, 5 * 10**8, "W"),
        ("1.2 GW", "power", Decimal("1.2") * B, Decimal("1.2") * B, "W"),
        ("2 to 3 GW", "power", 2 * B, 3 * B, "W"),
        ("five gigawatts", "power", 5 * B, 5 * B, "W"),
        ("5 TWh a year", "other", 5 * 10**12, 5 * 10**12, "Wh"),
        # durations, in the calendar unit said
        ("five to seven years", "duration", 5, 7, "year"),
        ("a 20-year lease", "duration", 20, 20, "year"),
        ("18 months to build", "duration", 18, 18, "month"),
        ("it took two decades", "duration", 20, 20, "year"),
        # dates, as YYYYMMDD
        ("finished by June 2027", "date", 20270601, 20270630, "date"),
        ("finished by 2028", "date", 20280101, 20281231, "date"),
        ("on June 30, 2027", "date", 20270630, 20270630, "date"),
        ("on 30 June 2027", "date", 20270630, 20270630, "date"),
        ("due 2027-06-30", "date", 20270630, 20270630, "date"),
        ("in Q3 2027", "date", 20270701, 20270930, "date"),
        ("the second half of 2026", "date", 20260701, 20261231, "date"),
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


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("about 10 times", 10),
        ("roughly $3 billion", 3 * B),
        ("something like 40 percent", 40),
        ("around 500 megawatts", 5 * 10**8),
        ("about a quarter of them", 25),
    ],
)
def test_about_roughly_and_something_like_mark_an_amount_approximate(text, low):
    q = only(text)
    assert (q.low, q.approx) == (low, True)


def test_ranges_keep_both_ends_and_bounds_apply_to_words_too():
    assert (only("between 5 and 7 years").low, only("between 5 and 7 years").high) == (
        5,
        7,
    )
    more = only("more than half of them")
    assert (more.kind, more.low, more.high) == ("percent", 50, None)


def test_a_duration_keeps_the_words_said():
    q = only("It takes five to seven years to build a fab.")
    assert q.text == "five to seven years"


def test_tilde_marks_an_amount_approximate():
    q = only("~$3M")
    assert (q.low, q.approx) == (3 * 10**6, True)


def test_several_quantities_come_in_text_order():
    found = find_quantities(
        "Revenue grew 45% to $2.5 billion, about 3 times last year."
    )
    assert [q.text for q in found] == ["45%", "$2.5 billion", "about 3 times"]


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit"),
    [
        ("Revenue grew in 2024 to 5 billion dollars, the company said.",
         QuantityKind.MONEY, 5 * B, 5 * B, "USD"),
        ("The budget was cut in 2025 to $3 million from $5 million.",
         QuantityKind.MONEY, 3 * 10**6, 3 * 10**6, "USD"),
        ("Its share rose in 2023 to 45 percent.",
         QuantityKind.PERCENT, 45, 45, "%"),
        # A range that makes sense as one stays one.
        ("Tickets cost 2000 to 3000 dollars.",
         QuantityKind.MONEY, 2000, 3000, "USD"),
    ],
)  # fmt: skip
def test_a_year_said_before_an_amount_is_not_its_low_end(text, kind, low, high, unit):
    """Found by trying the app: "in 2024 to 5 billion dollars" was stored as
    money from 2,024 to 5,000,000,000 USD."""
    q = find_quantities(text)[0]
    assert (q.kind, q.low, q.high, q.unit) == (kind, low, high, unit)
    assert q.text.startswith("20") == (low == 2000)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Users grew 3 times to 9 million.",
         [(QuantityKind.MULTIPLIER, 3, 3, "x"),
          (QuantityKind.COUNT, 9 * M, 9 * M, "")]),
        ("Sales rose 5 times to 20,000 units.",
         [(QuantityKind.MULTIPLIER, 5, 5, "x"),
          (QuantityKind.COUNT, 20000, 20000, "")]),
        ("up 10x to 1 million users",
         [(QuantityKind.MULTIPLIER, 10, 10, "x"), (QuantityKind.COUNT, M, M, "")]),
        ("Its share rose 5 percent to 6 million.",
         [(QuantityKind.PERCENT, 5, 5, "%"), (QuantityKind.COUNT, 6 * M, 6 * M, "")]),
        # Ranges say the unit after the second end, or at both.
        ("It grew 2 to 3 times.", [(QuantityKind.MULTIPLIER, 2, 3, "x")]),
        ("It grew 3x to 9x.", [(QuantityKind.MULTIPLIER, 3, 9, "x")]),
    ],
)  # fmt: skip
def test_an_amount_with_its_unit_then_another_is_not_a_range(text, found):
    """Found by trying the app: "grew 3 times to 9 million" was one
    multiplier from 3 to 9,000,000 x."""
    assert [(q.kind, q.low, q.high, q.unit) for q in find_quantities(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "The AI industry’s landscape is becoming increasingly competitive and dynamic.",
        "This teaming up of SpaceX and Anthropic is going to be answer one of "
        "Anthropic’s biggest problems.",
        "I’ve become definitely more skeptical in the last two weeks.",
        "GPT-4 shipped in 2023 on H100s.",
        "We meet three times a week.",
        # time windows and points in time are periods, not durations
        "We talked in the last two weeks.",
        "It will ship within two years.",
        "That was five years ago.",
        "In five years it will be everywhere.",
        "She is a 30-year-old founder.",
        "One day we will get there.",
        "We are open seven days a week.",
        # vague amounts and parts of periods are no figures
        "Dozens of companies have signed up.",
        "In the second half of the game they scored.",
        "This quarter was strong.",
        "They doubled down on it.",
        "It is 5m away.",
        "",
    ],
)
def test_sentences_without_quantities_give_none(text):
    assert find_quantities(text) == []


@pytest.mark.django_db
def test_a_quantity_with_low_above_high_gets_one_message(claim):
    from claims.forms import QuantityForm
    from claims.models import Quantity

    form = QuantityForm(
        {"kind": "count", "text": "1 to 100", "low": "100", "high": "1", "unit": ""},
        instance=Quantity(claim=claim),
    )
    assert not form.is_valid()
    assert form.errors == {
        "high": ["Low is greater than high; swap them or correct one."]
    }


@pytest.mark.parametrize(
    "text",
    [
        "The national debt will reach 1,000,000,000,000,000,000,000,000 dollars.",
        "It costs $" + "9" * 400 + ", they said.",
        "Sales grew 10" + "0" * 30 + " times.",
    ],
)
def test_an_amount_past_what_a_claim_stores_is_not_a_quantity(text):
    """numeric(30, 6) holds less than 10^24: such an amount passed the
    extraction and the dry run, then failed the import at the database."""
    assert find_quantities(text) == []


def test_the_largest_amount_is_the_models_own_bound():
    from claims.extraction.quantities import LARGEST
    from claims.models import Quantity

    for name in ("low", "high"):
        field = Quantity._meta.get_field(name)
        assert Decimal(10) ** (field.max_digits - field.decimal_places) == LARGEST
    below = "The debt will reach 999,999,999,999,999,999,999,999 dollars."
    assert [q.low for q in find_quantities(below)] == [LARGEST - 1]
