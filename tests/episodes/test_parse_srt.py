"""SRT captions: "Name:" prefixes become speakers, cues become rendered turns."""

from pathlib import Path

import pytest

from episodes.parsers import ParseError, detect_format, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAYA, RANJAN, PRIYA = "Maya Lindqvist", "Ranjan Roy", "Priya Natarajan"


@pytest.fixture(scope="module")
def text() -> str:
    return (FIXTURES / "signal-check-2026-05-08.srt").read_text("utf-8")


@pytest.fixture(scope="module")
def parsed(text):
    return parse(text)


def refusal(text: str) -> ParseError:
    with pytest.raises(ParseError) as error:
        parse(text, "srt")
    return error.value


def test_fixture_is_detected_as_srt(text):
    assert detect_format(text) == "srt"


def test_srt_has_no_title_show_or_date(parsed):
    assert parsed.format == "srt"
    assert (parsed.title, parsed.show, parsed.published_on) == ("", "", None)
    assert (parsed.hosts, parsed.guests, parsed.guest) == ((), (), None)


def test_same_rendered_transcript_and_turns_as_the_webvtt_version(parsed):
    webvtt = parse((FIXTURES / "signal-check-2026-05-08.vtt").read_text("utf-8"))
    assert parsed.source_text == webvtt.source_text
    assert parsed.items == webvtt.items


def test_every_turn_slices_back_exactly(parsed):
    assert len(parsed.turns) == 19
    for turn in parsed.turns:
        assert parsed.source_text[turn.start : turn.end] == turn.text
        assert turn.cue_starts[0] == (turn.start, turn.timestamp_seconds)
    assert "-->" not in parsed.source_text


def test_prefixes_give_speakers_and_unprefixed_cues_continue_them(parsed):
    assert [(t.speaker, t.timestamp_seconds) for t in parsed.turns[:4]] == [
        (MAYA, 4),
        (RANJAN, 12),
        (PRIYA, 12),
        (MAYA, 17),
    ]
    pichai = parsed.turns[3]
    assert pichai.text == (
        "Let's start with the cloud numbers. Sundar Pichai said on Wednesday that "
        "Google Cloud revenue grew 28% in the first quarter."
    )
    assert [seconds for _, seconds in pichai.cue_starts] == [17, 22]
    filler = next(t for t in parsed.turns if "vibes" in t.text)
    assert (filler.speaker, filler.timestamp_seconds) == (RANJAN, 61)


def test_dialogue_marks_tags_and_a_cue_before_any_name():
    parsed = parse(
        "1\n00:00:01,000 --> 00:00:02,500\n<i>Theme music</i>\n\n"
        "2\n00:00:02,500 --> 00:00:05,000\n- Ann Example: Hello.\n- Bob: Hi, Ann.\n\n"
        "3\n00:00:05.000 --> 00:00:09,000\n{\\an8}>> Ann Example: Dots work too.\n"
    )
    assert [(t.speaker, t.text, t.timestamp_seconds) for t in parsed.turns] == [
        (None, "Theme music", 1),
        ("Ann Example", "Hello.", 2),
        ("Bob", "Hi, Ann.", 2),
        ("Ann Example", "Dots work too.", 5),
    ]


def test_a_missing_blank_line_or_a_blank_line_inside_a_cue_still_reads(text, parsed):
    assert parse(text.replace("that\n\n5\n", "that\n5\n")) == parsed
    gap = parse(text.replace("Is that sustainable?", "Is that\n\nsustainable?"))
    assert any(turn.text == "Is that sustainable?" for turn in gap.turns)


def test_crlf_line_endings_and_a_byte_order_mark_read_the_same(text, parsed):
    assert parse("\ufeff" + text.replace("\n", "\r\n")) == parsed


# --- refusing broken captions ---------------------------------------------------


def test_a_cue_number_that_is_not_a_number_is_refused_with_its_line():
    error = refusal((FIXTURES / "bad-index.srt").read_text("utf-8"))
    assert error.line == 26
    assert str(error).startswith(
        "line 26: cue number “7a” is not a number; each SRT cue is a number, a "
        "timing line like 00:00:01,000 --> 00:00:04,000, then its text"
    )


def test_a_malformed_timing_line_is_refused_with_its_line(text):
    error = refusal(
        text.replace("00:00:17,000 --> 00:00:22,000", "00:00:0 --> 00:00:04,000")
    )
    assert error.line == 15
    assert str(error) == (
        "line 15: timing line “00:00:0 --> 00:00:04,000” is malformed; expected "
        "HH:MM:SS,mmm --> HH:MM:SS,mmm"
    )


def test_a_cue_that_ends_before_it_starts_is_refused():
    error = refusal((FIXTURES / "end-before-start.srt").read_text("utf-8"))
    assert error.line == 15
    assert str(error) == (
        "line 15: the cue ends (00:00:07,000) before it starts (00:00:17,000); fix "
        "the timing line “00:00:17,000 --> 00:00:07,000” or export the captions "
        "again"
    )


def test_a_file_cut_off_after_a_cue_number_is_refused():
    error = refusal((FIXTURES / "cut-off.srt").read_text("utf-8"))
    assert error.line == 109
    assert str(error).startswith("line 109: cue 27 has no timing line after its")
    assert "looks cut off" in str(error)


def test_a_file_cut_off_after_a_timing_line_is_refused(text):
    error = refusal(text[: text.index("\n27\n") + len("\n27\n00:03:42,000 --> ")])
    assert error.line == 110
    assert "timing line “00:03:42,000 -->” is malformed" in str(error)
    assert str(error).endswith("the file ends here and looks cut off")

    error = refusal(text[: text.index("\n27\n") + len("\n27\n00:03:42,000 --> ") + 12])
    assert error.line == 110
    assert "ends in the middle of a cue" in str(error)


def test_a_cue_without_a_timing_line_is_refused(text):
    error = refusal(text.replace("00:00:17,000 --> 00:00:22,000\n", ""))
    assert error.line == 15
    assert str(error).startswith(
        "line 15: cue 4 has no timing line: “Maya Lindqvist: Let's start with the "
        "cloud numbers. Sundar …” is not one"
    )


def test_text_before_the_first_cue_is_refused():
    error = refusal("Episode 12\n\n1\n00:00:01,000 --> 00:00:02,000\nAnn: Hi.\n")
    assert error.line == 1
    assert str(error).startswith("line 1: expected a cue number, found “Episode 12”")


def test_a_cue_block_pasted_twice_is_read_once():
    """Found by a new user: a duplicated cue (same number, timing and text)
    doubled its words in the transcript ("…5 percent. The GDP grew 5
    percent.")."""
    cue = "2\n00:00:04,000 --> 00:00:08,000\nThe GDP grew 5 percent.\n"
    text = (
        "1\n00:00:00,000 --> 00:00:04,000\nHello and welcome.\n\n"
        + cue
        + "\n"
        + cue
        + "\n3\n00:00:08,000 --> 00:00:12,000\nThe GDP grew 5 percent.\n"
    )
    parsed = parse(text, "srt")
    # The repeat at another time is speech said twice; the pasted block is not.
    assert parsed.source_text.count("The GDP grew 5 percent.") == 2
    assert parsed.turns[0].text == (
        "Hello and welcome. The GDP grew 5 percent. The GDP grew 5 percent."
    )
    assert [second for _, second in parsed.turns[0].cue_starts] == [0, 4, 8]
