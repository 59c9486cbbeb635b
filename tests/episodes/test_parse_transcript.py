"""The transcript parser on a podcast transcript and on what is not one."""

import datetime
from pathlib import Path

import pytest

from episodes.parsers import ItemKind, ParseError, detect_format, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MAYA, RANJAN, PRIYA = "Maya Lindqvist", "Ranjan Roy", "Priya Natarajan"


@pytest.fixture(scope="module")
def text() -> str:
    return (FIXTURES / "signal-check-2026-05-08.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def parsed(text):
    return parse(text)


def turn_starting(parsed, words: str):
    return next(turn for turn in parsed.turns if turn.text.startswith(words))


def test_fixture_is_detected_as_a_transcript(text):
    assert detect_format(text) == "transcript"


def test_header_gives_title_date_show_host_and_guests(parsed):
    assert parsed.format == "transcript"
    assert parsed.title == "Chips, clouds and the 2028 deadline"
    assert parsed.published_on == datetime.date(2026, 5, 8)
    assert parsed.show == "Signal Check"
    assert parsed.hosts == (MAYA,)
    assert parsed.guests == (RANJAN, PRIYA)
    assert parsed.guest == RANJAN


def test_source_text_is_the_transcript_unchanged(text, parsed):
    assert parsed.source_text == text


def test_every_turn_slices_back_exactly_and_carries_its_own_timing(parsed):
    assert len(parsed.items) == len(parsed.turns) == 20
    for turn in parsed.turns:
        assert turn.kind == ItemKind.TURN
        assert parsed.source_text[turn.start : turn.end] == turn.text
        assert turn.text == turn.text.strip()
        assert turn.cue_starts == ((turn.start, turn.timestamp_seconds),)


def test_speakers_and_timestamps_follow_the_labels(parsed):
    assert [(turn.speaker, turn.timestamp_seconds) for turn in parsed.turns[:5]] == [
        (MAYA, 4),
        (RANJAN, 12),
        (PRIYA, 14),
        (MAYA, 17),
        (RANJAN, 29),
    ]
    assert parsed.turns[-1].timestamp_seconds == 3 * 60 + 42
    assert {turn.speaker for turn in parsed.turns} == {MAYA, RANJAN, PRIYA}


def test_turn_text_excludes_the_label_and_keeps_the_sentences(parsed):
    pichai = turn_starting(parsed, "Let's start with the cloud numbers.")
    assert pichai.text == (
        "Let's start with the cloud numbers. Sundar Pichai said on Wednesday that "
        "Google Cloud revenue grew 28% in the first quarter."
    )
    assert turn_starting(parsed, "I just think the vibes are off.").speaker == RANJAN
    assert turn_starting(parsed, "We'll be right back.").text == "We'll be right back."


def test_a_line_without_a_label_continues_the_turn_before_it(parsed):
    turn = turn_starting(parsed, "And the spending is wild.")
    assert turn.speaker == PRIYA
    assert turn.text.endswith(
        "capital expenditures this year.\n"
        "Most of that goes into servers and data centers."
    )


def test_a_timestamp_without_a_name_is_a_new_turn_by_the_same_speaker(parsed):
    back = turn_starting(parsed, "And we're back.")
    assert (back.speaker, back.timestamp_seconds) == (MAYA, 150)
    assert back.text.endswith("How much power are we talking about?")


def test_short_timestamps_and_untimed_turns():
    parsed = parse(
        "Short one\n"
        "2026-05-08\n"
        "[12:31] Ann Example: First.\n"
        "(75:02) Bob O’Brien: Minutes past the hour.\n"
        "[01:02:03.450] Ann Example: Fractions are dropped.\n"
        "Dr. Jane de la Cruz: No timestamp.\n"
        "Speaker 2: Numbered speaker.\n"
    )
    assert [(t.speaker, t.timestamp_seconds) for t in parsed.turns] == [
        ("Ann Example", 12 * 60 + 31),
        ("Bob O’Brien", 75 * 60 + 2),
        ("Ann Example", 3723),
        ("Dr. Jane de la Cruz", None),
        ("Speaker 2", None),
    ]
    untimed = parsed.turns[3]
    assert untimed.cue_starts == ()
    assert untimed.timestamp_at(untimed.start + 3) is None


def test_a_label_with_a_role_in_parentheses_names_the_person():
    """Found by trying the app: "Maya Lindqvist (host):" was not a label, so
    the line went to the speaker before, label and all."""
    parsed = parse(
        "T\nMay 8, 2026\n"
        "Dr. J.R. Smith: Intel lost $18.7 billion.\n"
        "Maya Lindqvist (host): Is that right?\n"
        "Guest (Priya Natarajan): The EU Chips Act is worth €43 billion.\n"
        "Caller (Sam): Hello.\n"
        "Speaker (1): A number is no name.\n"
        "Caller (unidentified): Nor is this.\n"
    )
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Dr. J.R. Smith", "Intel lost $18.7 billion."),
        ("Maya Lindqvist", "Is that right?"),
        ("Priya Natarajan", "The EU Chips Act is worth €43 billion."),
        ("Sam", "Hello."),
        ("Speaker (1)", "A number is no name."),
        ("Caller (unidentified)", "Nor is this."),
    ]
    # The roles the labels give, as a header's Host: and Guests: lines would.
    assert (parsed.hosts, parsed.guests) == (("Maya Lindqvist",), ("Priya Natarajan",))


def test_a_sentence_with_a_colon_is_not_a_speaker_label():
    parsed = parse(
        "T\nMay 8, 2026\n"
        "Ann: Here is the thing: it doubled.\n"
        "Here is the other thing: it halved.\n"
        "Bob: OK.\n"
    )
    assert [t.speaker for t in parsed.turns] == ["Ann", "Bob"]
    assert parsed.turns[0].text == (
        "Here is the thing: it doubled.\nHere is the other thing: it halved."
    )


def test_a_title_shaped_like_a_summary_title_stays_the_title():
    text = (
        "Ranjan Roy: chips and clouds | Signal Check\n"
        "Recorded May 8, 2026\n"
        "[00:00:01] Ann: Hi.\n"
        "[00:00:05] Bob: Hello.\n"
    )
    assert detect_format(text) == "transcript"
    parsed = parse(text)
    assert parsed.title == "Ranjan Roy: chips and clouds | Signal Check"
    assert [t.speaker for t in parsed.turns] == ["Ann", "Bob"]


def test_without_title_or_date_the_first_turn_starts_the_body():
    parsed = parse("Ann: Hi.\nBob: Hello.\n")
    assert (parsed.title, parsed.show, parsed.published_on) == ("", "", None)
    assert [t.text for t in parsed.turns] == ["Hi.", "Hello."]


def test_a_host_line_that_is_a_sentence_is_the_host_speaking():
    parsed = parse("Host: Welcome back to the show.\nGuest: Thanks for having me.\n")
    assert parsed.hosts == ()
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Host", "Welcome back to the show."),
        ("Guest", "Thanks for having me."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Recorded May 8, 2026",
        "Recorded on 8 May 2026",
        "Recorded: May 8th, 2026 in New York",
        "2026-05-08",
        "May. 8, 2026",
        "Friday, May 8, 2026",
        "Date: 2026-05-08",
        "Published May 8 2026",
    ],
)
def test_date_lines_in_the_header(line):
    parsed = parse(f"A title\n{line}\nAnn: Hi.\nBob: Hello.\n")
    assert parsed.published_on == datetime.date(2026, 5, 8)
    assert parsed.title == "A title"


def test_a_line_mentioning_a_date_is_not_the_date_line():
    parsed = parse(
        "A title\nWe taped this on May 8, 2026 in London.\nAnn: Hi.\nBob: Hello.\n"
    )
    assert parsed.published_on is None
    assert parsed.subtitle == "We taped this on May 8, 2026 in London."


def test_crlf_line_endings_keep_exact_offsets(text):
    crlf = text.replace("\n", "\r\n")
    parsed = parse(crlf)
    assert len(parsed.turns) == 20
    for turn in parsed.turns:
        assert crlf[turn.start : turn.end] == turn.text
        assert not turn.text.endswith("\r")


# --- refusing what is not a transcript ------------------------------------------


def test_a_transcript_without_turns_is_refused():
    text = (FIXTURES / "no-turns.txt").read_text("utf-8")
    assert detect_format(text) is None
    with pytest.raises(ParseError) as error:
        parse(text, "transcript")
    assert str(error.value).startswith(
        "no speaker turns found; a transcript has lines like “Name: text” or "
        "“[00:12:31] Name: text”"
    )
    assert error.value.line is None


def test_a_timestamp_that_is_not_a_time_is_refused_with_its_line():
    with pytest.raises(ParseError) as error:
        parse("T\nMay 8, 2026\n[00:12:05] Ann: Hi.\n[00:12:75] Bob: Hello.\n")
    assert error.value.line == 4
    assert str(error.value) == (
        "line 4: timestamp “[00:12:75]” is not a time; write it as [hh:mm:ss] or "
        "[mm:ss]"
    )


def test_a_date_that_does_not_exist_is_refused_with_its_line():
    with pytest.raises(ParseError) as error:
        parse("T\nRecorded 2026-02-30\nAnn: Hi.\nBob: Hello.\n")
    assert error.value.line == 2
    assert "“2026-02-30” is not a real date" in str(error.value)


@pytest.mark.parametrize("date", ["99999-01-01", "someday", "8/5/26"])
def test_a_date_line_whose_date_cannot_be_read_is_refused_with_its_line(date):
    """Found by a new user: "Date: 99999-01-01" was ignored (the episode
    saved undated) where "Recorded 2026-02-30" is refused."""
    with pytest.raises(ParseError) as error:
        parse(f"T\nDate: {date}\nAnn: Hi.\nBob: Hello.\n")
    assert error.value.line == 2
    assert f"“Date: {date}” names no date that can be read" in str(error.value)


@pytest.mark.parametrize(
    "line",
    [
        "Recorded May 9, 99999",
        "Recorded May 9, 20266",
        "Recorded on 9 May 20266",
        "Aired 99999-01-01",
        "Published: Sept 3, 202",
    ],
)
def test_a_date_line_with_a_year_of_the_wrong_length_is_refused(line):
    """Found by a new user: the year's typo made the line no date at all,
    and the episode was saved undated (no date in its slug, none for the
    date filters or ClaimReview), where "Recorded February 30, 2026" is
    refused."""
    with pytest.raises(ParseError) as error:
        parse(f"T\n{line}\nAnn: Hi.\nBob: Hello.\n")
    assert error.value.line == 2
    assert f"“{line}” names no date that can be read" in str(error.value)


def test_a_recorded_line_that_is_no_date_is_not_refused():
    parsed = parse(
        "T\nRecorded at home, 2 guests\nAnn: Recorded music sales 12, 40.\nBob: Hi.\n"
    )
    assert parsed.published_on is None
    assert parsed.turns[0].text == "Recorded music sales 12, 40."


def test_a_recorded_line_without_a_date_is_still_speech_or_text():
    parsed = parse("T\nMay 8, 2026\nAnn: Recorded live at the Fillmore.\nBob: Hi.\n")
    assert parsed.turns[0].text == "Recorded live at the Fillmore."


def test_a_note_on_the_recording_is_nobodys_words():
    """ "[MUSIC]" ran on as the speaker's words, and lyrics under "[MUSIC]:"
    were the last speaker's claims. A note belongs to no turn; the speaker's
    next unlabelled line starts a new turn of theirs."""
    text = (
        "Title line\n"
        "Recorded May 8, 2026\n"
        "[MUSIC]\n"
        "\n"
        "[00:00:05] Maya Lindqvist: Welcome back. Nvidia sold four million chips.\n"
        "[MUSIC]\n"
        "And we are back.\n"
        "[00:01:00] [MUSIC]: la la la, we sold a billion\n"
        "(Laughter)\n"
        "Ranjan Roy: (laughs) That is right, it grew.\n"
        "[Maya]: A name in brackets is no note.\n"
    )
    parsed = parse(text)
    assert parsed.subtitle == ""
    assert [(item.speaker, item.text) for item in parsed.turns] == [
        ("Maya Lindqvist", "Welcome back. Nvidia sold four million chips."),
        ("Maya Lindqvist", "And we are back."),
        (
            "Ranjan Roy",
            "(laughs) That is right, it grew.\n[Maya]: A name in brackets is no note.",
        ),
    ]
    assert parsed.turns[1].timestamp_seconds == 5
    for item in parsed.turns:
        assert parsed.source_text[item.start : item.end] == item.text


@pytest.mark.parametrize(
    "line",
    [
        "[JOHN SMITH]: We grew 80% in 2025.",
        "[NARRATOR]: In 2020 the firm earned $3 billion.",
        "(Our revenue fell 40% in 2024.)",
        "(We grew a lot)",
    ],
)
def test_words_in_brackets_that_are_no_note_are_kept(line):
    # Found in review: a name in capitals used as a label, or a line in
    # parentheses, was dropped as a note on the recording.
    parsed = parse(f"T\n\nAnn: Hello there.\n{line}\nBob: Hi.\n")
    assert parsed.turns[0].text == f"Hello there.\n{line}"


def test_a_note_before_the_first_named_turn_is_no_crash():
    # Found in review: an IndexError (a 500 on upload) when the first line
    # after the header was a timed note and the next had no label.
    parsed = parse(
        "Title\n\n[00:00:01] [MUSIC]\nWelcome, revenue grew 80% in 2025.\n"
        "Ann: Hi.\nBob: Hello.\n"
    )
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (None, "Welcome, revenue grew 80% in 2025."),
        ("Ann", "Hi."),
        ("Bob", "Hello."),
    ]
