"""Format detection picks the right parser, and every parser's offsets hold."""

from pathlib import Path

import pytest

from episodes.parsers import FORMATS, ParseError, decode, detect_format, parse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "seeds" / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"

FILES = {
    SAMPLE: "summary",
    FIXTURES / "signal-check-2026-05-08.txt": "transcript",
    FIXTURES / "signal-check-2026-05-08.vtt": "vtt",
    FIXTURES / "signal-check-2026-05-08.srt": "srt",
    FIXTURES / "bom-crlf-transcript.txt": "transcript",
    FIXTURES / "cp1252-transcript.txt": "transcript",
}


def test_formats_are_tried_most_specific_first():
    assert list(FORMATS) == ["vtt", "srt", "summary", "transcript"]


@pytest.mark.parametrize("path", list(FILES), ids=lambda path: path.name)
def test_each_file_is_detected_as_its_format(path):
    assert detect_format(decode(path.read_bytes()).text) == FILES[path]


@pytest.mark.parametrize("path", list(FILES), ids=lambda path: path.name)
def test_every_item_of_every_format_slices_its_source_text(path):
    parsed = parse(decode(path.read_bytes()).text)
    assert parsed.format == FILES[path]
    assert parsed.items
    for item in parsed.items:
        assert parsed.source_text[item.start : item.end] == item.text
        for offset, _ in item.cue_starts:
            assert item.start <= offset < item.end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A summary page's first line, with its "Key takeaways" mark.
        (
            "Ann Example: budgets | Some Show\nJan. 2, 2025Key takeaways\n- A.\n",
            "summary",
        ),
        # A summary page's first line, with a "-" quote.
        ("Ann Example: budgets | Some Show\n-\nA quote.\n— Ann Example\n", "summary"),
        # The same first line heading a transcript: its turns decide, even
        # when someone mentions the key takeaways.
        (
            "Ann Example: budgets | Some Show\nMay 8, 2026\n"
            "Ann: Here are the key takeaways\nBob: Go on.\n",
            "transcript",
        ),
        (
            "Ann Example: budgets | Some Show\nMay 8, 2026\nAnn: Hi.\nBob: Yo.\n",
            "transcript",
        ),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hi.\n", "vtt"),
        ("WEBVTT - Episode 12\n", "vtt"),
        ("\ufeffWEBVTT\n", "vtt"),
        ("1\n00:00:01,000 --> 00:00:04,000\nAnn: Hi.\n", "srt"),
        ("\n\n00:00:01,000 --> 00:00:04,000\nAnn: Hi.\n", "srt"),
        # A transcript whose turns carry timestamps is not SRT.
        ("[00:00:01] Ann: Hi.\n[00:00:04] Bob: Hello.\n", "transcript"),
        # One labelled line is not a transcript; nor is prose with a colon.
        ("A title\nAnn: Hi.\nThe rest is prose, line after line.\n", None),
        ("It was a bright cold day in April: the clocks were striking.\n", None),
        ("WEBVTTX\n", None),
    ],
)
def test_detection_does_not_misfire(text, expected):
    assert detect_format(text) == expected


def test_an_unrecognised_file_gets_a_message_listing_the_formats():
    with pytest.raises(ParseError) as error:
        parse("It was a bright cold day in April.\n")
    message = str(error.value)
    assert message.startswith("unrecognised format: expected a summary page")
    for shape in ("“[00:12:31] Name: text”", "“WEBVTT”", "SRT captions"):
        assert shape in message


def test_a_file_of_one_turn_is_told_why_it_is_no_transcript():
    """Found by the third new-user run: "Bob: Hi." got the list of formats,
    which describes it, and no reason."""
    with pytest.raises(ParseError) as error:
        parse("Bob: Hi.\n")
    assert str(error.value).endswith(
        "(this file has one “Name: text” line: a transcript needs at least two turns)"
    )
    with pytest.raises(ParseError) as error:
        parse("It was a bright cold day in April.\n")
    assert "one “Name: text” line" not in str(error.value)


def test_forcing_the_wrong_format_says_what_that_format_needs():
    srt = (FIXTURES / "signal-check-2026-05-08.srt").read_text("utf-8")
    with pytest.raises(ParseError, match="starts with “WEBVTT”"):
        parse(srt, "vtt")
    vtt = (FIXTURES / "signal-check-2026-05-08.vtt").read_text("utf-8")
    with pytest.raises(ParseError, match="expected a cue number, found “WEBVTT”"):
        parse(vtt, "srt")
    with pytest.raises(ParseError, match="unknown format “docx”"):
        parse(vtt, "docx")


def test_a_long_first_turn_does_not_hide_the_transcript():
    """Detection looked at the first 50,000 characters: a first turn of
    60,000 (under the 100,000 a passage may have) left one labelled line in
    view, and the file was "unrecognised"."""
    words = "and the data center grew again " * 2_000
    text = f"Ann: {words}\nBob: Hello.\nAnn: Bye.\n"
    assert len(text) > 60_000
    assert detect_format(text) == "transcript"


def test_detection_reads_a_bounded_part_of_any_file():
    from episodes.parsers.transcript import _line_heads

    # A million blank lines, then turns: only the first lines are looked at.
    assert detect_format("\n" * 1_000_000 + "Ann: Hi.\nBob: Yo.\n") is None
    heads = _line_heads("x" * 5_000_000 + "\nAnn: Hi.\n", 200)
    assert heads == "x" * 1_000 + "\nAnn: Hi."
