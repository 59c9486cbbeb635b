"""The summary-page parser on the sample and on what is not a summary page."""

import datetime
from pathlib import Path

import pytest

from episodes.parsers import ItemKind, ParseError, detect_format, parse

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "seeds"
    / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
)


@pytest.fixture(scope="module")
def text() -> str:
    return SAMPLE.read_text("utf-8")


@pytest.fixture(scope="module")
def parsed(text):
    return parse(text)


def page(body: str) -> str:
    """A minimal summary page around ``body``."""
    return (
        "Ann Example: budgets, growth | Some Show\n"
        "A subtitle.\n"
        "Add us on Google by Editorial Team Jan. 2, 2025Key takeaways\n"
        "- A takeaway.\n"
        "A heading\n" + body
    )


def test_sample_is_detected_as_a_summary_page(text):
    assert detect_format(text) == "summary"


def test_sample_header_gives_title_guest_topics_show_and_date(parsed):
    assert parsed.format == "summary"
    assert parsed.title.startswith("Ranjan Roy: SpaceX’s partnership with Anthropic")
    assert parsed.title.endswith("the crucial need for model efficiency")
    assert parsed.guest == "Ranjan Roy"
    assert parsed.show == "Big Technology"
    assert parsed.published_on == datetime.date(2026, 5, 8)
    assert parsed.topics == (
        "SpaceX’s partnership with Anthropic boosts AI compute capabilities",
        "growing skepticism about tech transformation",
        "the crucial need for model efficiency",
    )
    assert parsed.subtitle == (
        "SpaceX's new role in AI computing could redefine the competitive "
        "landscape against OpenAI."
    )
    assert parsed.hosts == ()


def test_sample_takeaways_guest_intro_and_sections(parsed):
    assert len(parsed.takeaways) == 13
    assert parsed.takeaways[-1].text == (
        "Strategic partnerships are reshaping the AI sector’s competitive dynamics."
    )
    assert parsed.guest_intro.startswith("Ranjan Roy is the founder of Margins.")
    assert len(parsed.sections) == 9
    assert (
        parsed.sections[0].heading == "The surprising SpaceX and Anthropic partnership"
    )
    assert parsed.sections[-1].heading == (
        "Intensifying AI race with SpaceX and Anthropic collaboration"
    )


def test_sample_has_eleven_quotes_all_spoken_by_ranjan_roy(parsed):
    # The sample holds 11 "-" / quote / "— Ranjan Roy" blocks.
    assert len(parsed.quotes) == 11
    assert {quote.speaker for quote in parsed.quotes} == {"Ranjan Roy"}
    assert len(parsed.bullets) == 61


def test_every_item_slices_back_to_its_text_exactly(text, parsed):
    for item in (*parsed.items, *parsed.takeaways):
        assert text[item.start : item.end] == item.text
        assert item.text == item.text.strip()
    for section in parsed.sections:
        assert text[section.start : section.end] == section.heading


def test_quote_offsets_survive_curly_apostrophes_and_ellipsis(text, parsed):
    quote = next(q for q in parsed.quotes if "5 to $6,000,000,000" in q.text)
    assert quote.text == (
        "The data center that they are gonna be able to lease from Elon Musk is a "
        "5 to $6,000,000,000 data center that’s fully built right… this changes "
        "that significantly."
    )
    assert text[quote.start : quote.end] == quote.text
    assert quote.section == "Anthropic’s improved compute capabilities"
    dario = next(q for q in parsed.quotes if q.text.startswith("Dario Amade"))
    assert text[dario.start : dario.end].endswith("about 10 times as big this year.")


def test_crlf_line_endings_keep_exact_offsets(text):
    crlf = text.replace("\n", "\r\n")
    parsed = parse(crlf)
    assert len(parsed.quotes) == 11
    for item in parsed.items:
        assert crlf[item.start : item.end] == item.text
        assert "\r" not in item.text


def test_a_quote_may_span_several_lines():
    text = page("-\nFirst line of it\nsecond line.\n— Ann Example\n")
    (quote,) = parse(text).quotes
    assert quote.text == "First line of it\nsecond line."
    assert text[quote.start : quote.end] == quote.text
    assert quote.kind == ItemKind.QUOTE


def test_prose_is_not_recognised():
    with pytest.raises(ParseError, match="unrecognised format"):
        parse("It was a bright cold day in April, and the clocks were striking.\n")


def test_page_without_a_date_is_refused():
    text = page("-\nA quote.\n— Ann Example\n").replace("Jan. 2, 2025", "")
    with pytest.raises(ParseError, match="no publication date"):
        parse(text)


def test_page_without_quotes_is_refused():
    with pytest.raises(ParseError, match="no quotes found"):
        parse(page("- Only a bullet.\n"))


def test_quote_without_its_speaker_line_is_refused_with_the_line_number():
    with pytest.raises(ParseError, match=r"line 6: a quote opens"):
        parse(page("-\nA quote with no speaker.\n- A bullet.\n"))


def test_unknown_format_name_is_refused(text):
    with pytest.raises(ParseError, match="unknown format"):
        parse(text, fmt="pdf")
