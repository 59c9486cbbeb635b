"""Lines a hostile file can hold, read in one pass (found in review: each
of these patterns tried every split of a run of spaces or of "<", a minute
or more for a file well inside the import limits). Each test would hang the
suite, not fail it, if its pattern went back to trying every split."""

from __future__ import annotations

from claims.extraction.scoring import signals
from episodes.parsers import parse

SPACES = " " * 100_000


def test_a_header_line_with_a_run_of_spaces():
    parsed = parse(f"T\nShow: Signal{SPACES}Check\n\nAnn: Hi.\nBob: Hello.\n")
    assert parsed.show == "Signal Check"


def test_a_summary_title_and_attribution_with_a_run_of_spaces():
    title = f"Ranjan Roy: SpaceX and Anthropic |{SPACES}Big Technology"
    text = (
        f"{title}\nMay 8, 2026\n\nKey takeaways\n-\nWe grew 80 times.\n"
        f"—{SPACES}Ranjan Roy\n"
    )
    parsed = parse(text, "summary")
    assert (parsed.show, parsed.guest) == ("Big Technology", "Ranjan Roy")
    assert [q.speaker for q in parsed.quotes] == ["Ranjan Roy"]


def test_a_caption_with_a_run_of_angle_brackets():
    text = "1\n00:00:01,000 --> 00:00:02,000\nAnn: Revenue grew " + "<" * 50_000 + "\n"
    (turn,) = parse(text, "srt").turns
    assert turn.text.startswith("Revenue grew <<<")


def test_a_sentence_with_a_run_of_spaces_is_scored():
    found = signals(f"Revenue has{SPACES}x and it did not grow 5%.")
    assert found is not None
