"""Forecasts and plans: which sentences are forecasts and when they resolve."""

import datetime

import pytest

from claims.extraction.dates import add_months, periods
from claims.extraction.forecasts import find_forecast

EPISODE = datetime.date(2026, 5, 8)  # the sample's date: a Friday in Q2


def resolves(sentence: str, published_on=EPISODE) -> datetime.date | None:
    forecast = find_forecast(sentence, published_on)
    assert forecast is not None, f"not a forecast: {sentence}"
    return forecast.resolves_on


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Revenue doubles by 2028.", "2028-12-31"),
        ("They have planned for 10x growth this year.", "2026-12-31"),
        ("The campus will be finished by June 2027.", "2027-06-30"),
        ("We expect to be profitable next year.", "2027-12-31"),
        ("Margins will recover next quarter.", "2026-09-30"),
        ("It ships by the end of next quarter.", "2026-09-30"),
        ("The chip will ship this quarter.", "2026-06-30"),
        ("In five years every car will drive itself.", "2031-05-08"),
        ("They plan to break even within two years.", "2028-05-08"),
        ("The fab will open in 18 months.", "2027-11-08"),
        ("Five years from now, this will look cheap.", "2031-05-08"),
        ("The deal should close by June.", "2026-06-30"),
        ("The deal should close by March.", "2027-03-31"),
        ("Nvidia is on track to ship it by Q3 2027.", "2027-09-30"),
        ("They will deliver in the second half of 2027.", "2027-12-31"),
        ("Prices will fall by the end of the decade.", "2029-12-31"),
        ("The model will launch next month.", "2026-06-30"),
        ("The update is due next week.", "2026-05-17"),
        ("It is set to double by June 30, 2027.", "2027-06-30"),
    ],
)
def test_a_forecast_resolves_at_the_end_of_its_period(sentence, day):
    assert resolves(sentence) == datetime.date.fromisoformat(day)


def test_dario_amodeis_plan_in_the_sample_resolves_at_the_end_of_2026():
    sentence = (
        "Dario Amade, the chief executive of Anthropic, said on Wednesday that his "
        "artificial intelligence company had planned for growing about 10 times as "
        "big this year."
    )
    assert resolves(sentence) == datetime.date(2026, 12, 31)


def test_the_latest_future_period_is_the_deadline_and_past_ones_are_context():
    sentence = "Revenue doubled in 2024 and will double again by 2028."
    assert resolves(sentence) == datetime.date(2028, 12, 31)
    assert resolves("It will be bigger than in 2024.") is None


def test_without_an_episode_date_only_absolute_dates_resolve():
    assert resolves("Revenue doubles by 2028.", None) == datetime.date(2028, 12, 31)
    assert resolves("Done by June 2027.", None) == datetime.date(2027, 6, 30)
    assert resolves("They will grow 10x this year.", None) is None
    assert resolves("In five years it will be everywhere.", None) is None


def test_a_forecast_without_a_period_is_still_one_with_no_date():
    forecast = find_forecast("Revenue will double.", EPISODE)
    assert forecast is not None
    assert (forecast.marker, forecast.resolves_on) == ("will", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Revenue grew 10 times this year.",  # past, with a period
        "Revenue had doubled by June.",  # past tense, with a deadline
        "The company was founded in 2015.",
        "By 2020 it had doubled.",  # a deadline already over
        "I will say that the vibes are off.",
        "I would say it was a good quarter.",
        "GPT-4 shipped in 2023.",
        "They are growing fast.",
    ],
)
def test_statements_about_the_past_or_present_are_not_forecasts(sentence):
    assert find_forecast(sentence, EPISODE) is None


def test_periods_read_absolute_dates_in_every_usual_form():
    found = periods("June 30, 2027, 30 June 2027, 2027-06-30, Q3 2027 and H1 2028")
    assert [(p.text, p.first, p.last) for p in found] == [
        ("June 30, 2027", datetime.date(2027, 6, 30), datetime.date(2027, 6, 30)),
        ("30 June 2027", datetime.date(2027, 6, 30), datetime.date(2027, 6, 30)),
        ("2027-06-30", datetime.date(2027, 6, 30), datetime.date(2027, 6, 30)),
        ("Q3 2027", datetime.date(2027, 7, 1), datetime.date(2027, 9, 30)),
        ("H1 2028", datetime.date(2028, 1, 1), datetime.date(2028, 6, 30)),
    ]


def test_a_year_alone_is_a_period_only_after_a_deadline_word_or_in():
    assert [p.text for p in periods("by 2028")] == ["2028"]
    assert [p.deadline for p in periods("by 2028")] == [True]
    assert [p.deadline for p in periods("in 2028")] == [False]
    assert periods("a 2028 target and the 2020s") == []


def test_an_impossible_date_is_skipped():
    assert periods("February 30, 2027") == []


def test_adding_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2026, 11, 8), 3) == datetime.date(2027, 2, 8)
