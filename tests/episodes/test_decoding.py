"""decode(): file bytes → text, with a warning for a fallback encoding."""

import codecs
import datetime
from pathlib import Path

import pytest

from episodes.parsers import ParseError, decode, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_utf8_is_read_as_is():
    decoded = decode("Zoë: 5 € — “quoted”\n".encode())
    assert (decoded.text, decoded.encoding, decoded.warnings) == (
        "Zoë: 5 € — “quoted”\n",
        "utf-8",
        (),
    )


def test_a_byte_order_mark_is_dropped_and_crlf_becomes_lf():
    data = (FIXTURES / "bom-crlf-transcript.txt").read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    decoded = decode(data)
    assert decoded.encoding == "utf-8-sig"
    assert decoded.warnings == ()
    assert not decoded.text.startswith("\ufeff")
    assert "\r" not in decoded.text
    assert decoded.text.count("\n") == data.count(b"\r\n")

    parsed = parse(decoded.text)
    assert parsed.format == "transcript"
    assert parsed.title == "Episode 12: Power"  # turn-shaped, but a date follows
    assert parsed.published_on == datetime.date(2026, 5, 8)
    assert parsed.hosts == ("Maya Lindqvist",)
    assert [turn.speaker for turn in parsed.turns] == [
        "Maya Lindqvist",
        "Priya Natarajan",
    ]
    assert (
        parsed.turns[1].text == "That share could triple by 2028.\nIt depends on chips."
    )
    for turn in parsed.turns:
        assert parsed.source_text[turn.start : turn.end] == turn.text


def test_lone_carriage_returns_become_line_feeds():
    assert decode(b"a\rb\r\nc\n").text == "a\nb\nc\n"


def test_cp1252_is_read_with_a_warning_naming_the_line():
    decoded = decode((FIXTURES / "cp1252-transcript.txt").read_bytes())
    assert decoded.encoding == "cp1252"
    assert decoded.warnings == (
        "not UTF-8 (the first byte that is not is on line 1); read as cp1252 — "
        "check accented characters and quotes",
    )
    assert decoded.text.startswith("Café society: Zoë’s €5 bet\n")
    parsed = parse(decoded.text)
    assert parsed.published_on == datetime.date(2026, 3, 12)
    assert [turn.speaker for turn in parsed.turns] == ["Zoë Ünal", "José Núñez"]
    assert parsed.turns[0].text == (
        "The café chain said revenue rose 12% to €5 million — “a record”."
    )


def test_bytes_cp1252_cannot_read_fall_back_to_latin1():
    # 0x81 has no character in cp1252; in Latin-1 it is a control character,
    # one in a hundred characters at most, as in a real file.
    decoded = decode(b"line one\nna\xefve \x81 text" + b" and more text" * 8 + b"\n")
    assert decoded.encoding == "latin-1"
    assert decoded.warnings[0].startswith(
        "not UTF-8 (the first byte that is not is on line 2)"
    )
    assert "naïve" in decoded.text


def test_utf16_with_a_byte_order_mark_is_read():
    decoded = decode("Ann: Hi.\r\nBob: Zoë.\r\n".encode("utf-16"))
    assert (decoded.text, decoded.encoding) == ("Ann: Hi.\nBob: Zoë.\n", "utf-16")


def test_replacement_characters_get_a_warning():
    decoded = decode("caf\ufffd and na\ufffdve\n".encode())
    assert decoded.warnings == (
        "the text holds 2 “\ufffd” (a character lost in an earlier conversion); "
        "check the source file",
    )


@pytest.mark.parametrize(
    "data", [b"", b"  \n\r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n \r\n"]
)
def test_an_empty_file_is_refused(data):
    with pytest.raises(ParseError) as error:
        decode(data)
    assert str(error.value) == "the file is empty; export the episode again"
    assert error.value.line is None


def test_nul_bytes_mean_binary_and_the_line_is_named():
    with pytest.raises(ParseError) as error:
        decode(b"WEBVTT\n\nsome text\n\x00\x01\x02")
    assert error.value.line == 4
    assert str(error.value).startswith(
        "line 4: the file is binary (it contains NUL bytes), not a text export; "
        "save the episode as UTF-8 text"
    )


def test_utf16_without_a_byte_order_mark_is_binary_with_a_hint():
    with pytest.raises(ParseError, match="UTF-16 text without a byte-order mark"):
        decode("Ann: Hi.\n".encode("utf-16-le"))


def test_many_control_characters_mean_binary():
    with pytest.raises(ParseError) as error:
        decode(b"Some text\n" + bytes(range(1, 9)) * 4 + b"\n")
    assert error.value.line == 2
    assert "the file looks binary (32 control characters)" in str(error.value)
    with pytest.raises(ParseError, match=r"binary \(1 control character\)"):
        decode(b"Ann: Hi.\x07\n")


def test_a_stray_control_character_in_a_long_text_is_kept():
    text = "Ann: Hi.\n" * 20 + "\x07\n"
    assert decode(text.encode()).text == text
