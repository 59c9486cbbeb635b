"""The importer refuses, at once and with a line that says why, files no
real episode looks like: too many turns, speakers, a passage too long, one
claim said too often. And its grouping of restatements stays linear."""

from __future__ import annotations

import pytest

from claims.extraction.dedupe import MAX_COMPARISONS, group_restatements
from claims.ingest import ImportRefused, plan, plan_import

HEADER = "Limits test\nRecorded May 8, 2026\nShow: Signal Check\n\n"


def transcript(lines: list[str]) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_too_many_turns_are_refused(monkeypatch):
    monkeypatch.setattr(plan, "MAX_ITEMS", 50)
    data = transcript([f"Ana: Point {i} grew 5% in 2025." for i in range(51)])
    with pytest.raises(ImportRefused, match="51 turns, captions or bullets"):
        plan_import(data, name="turns.txt")
    # At the limit it plans.
    plan_import(transcript([f"Ana: Point {i}." for i in range(46)]), name="ok.txt")


def test_too_many_speakers_are_refused(monkeypatch):
    monkeypatch.setattr(plan, "MAX_SPEAKERS", 10)
    data = transcript([f"Speaker {i}: Revenue grew 5% in 2025." for i in range(11)])
    with pytest.raises(ImportRefused, match="11 different speakers, over 10"):
        plan_import(data, name="speakers.txt")


def test_a_passage_too_long_is_refused_with_its_line(monkeypatch):
    monkeypatch.setattr(plan, "MAX_ITEM_CHARS", 1000)
    data = transcript(["Ana: Short.", "Ben: " + "word " * 300])
    with pytest.raises(ImportRefused, match=r"^line 6: one passage is 1,499"):
        plan_import(data, name="long.txt")


def test_too_many_sentences_are_refused_even_in_few_turns(monkeypatch):
    monkeypatch.setattr(plan, "MAX_SENTENCES", 40)
    turn = " ".join(f"Unit {i} grew {i}% in 2025." for i in range(10))
    with pytest.raises(ImportRefused, match="more than 40 sentences"):
        plan_import(transcript([f"Ana: {turn}"] * 5), name="sentences.txt")
    # At the limit it plans.
    plan_import(transcript([f"Ana: {turn}"] * 4), name="ok.txt")


def test_too_much_text_is_refused_even_in_few_sentences(monkeypatch):
    monkeypatch.setattr(plan, "MAX_TEXT_CHARS", 2000)
    sentence = "Revenue grew 5% to $10 million, " + "and costs fell, " * 30 + "ok."
    with pytest.raises(ImportRefused, match=r"holds 2,\d\d\d characters .* over 2,000"):
        plan_import(transcript([f"Ana: {sentence}"] * 5), name="text.txt")
    # At the limit it plans.
    plan_import(transcript([f"Ana: {sentence}"] * 3), name="ok.txt")


def test_counting_sentences_stops_past_the_limit():
    """The count before scoring reads no further than the limit: a file of a
    million sentences costs what one of the limit does (counted, not
    timed)."""
    from claims.extraction.candidates import count_passages
    from episodes.parsers import parse

    lines = ["Ana: Hello.", "Ben: " + "It grew. " * 4999]
    parsed = parse(transcript(lines).decode())
    assert count_passages(parsed, up_to=100_000) == 5000
    assert count_passages(parsed, up_to=30) == 31


def test_a_claim_said_too_often_is_refused(monkeypatch):
    monkeypatch.setattr(plan, "MAX_MENTIONS", 5)
    data = transcript(["Ana: The data center cost $6 billion in 2025."] * 7)
    with pytest.raises(ImportRefused, match="is said 7 times, over 5"):
        plan_import(data, name="repeats.txt")


def test_the_command_refuses_with_one_line_and_writes_nothing(
    monkeypatch, tmp_path, db, capsys
):
    from django.core.management import call_command

    from episodes.models import Episode

    monkeypatch.setattr(plan, "MAX_ITEMS", 5)
    path = tmp_path / "turns.txt"
    path.write_bytes(transcript([f"Ana: Point {i} grew 5%." for i in range(6)]))
    with pytest.raises(SystemExit):
        call_command("import_episode", str(path))
    assert "6 turns, captions or bullets" in capsys.readouterr().err
    assert not Episode.objects.exists()


def test_grouping_restatements_compares_each_candidate_a_bounded_number_of_times(
    monkeypatch,
):
    """One speaker saying thousands of different things with the same figure:
    each candidate is compared with at most MAX_COMPARISONS earlier facts per
    amount, not with all of them (counted, not timed; it was quadratic)."""
    from claims.extraction import dedupe
    from claims.extraction.candidates import find_candidates
    from episodes.parsers import parse

    text = HEADER + "".join(
        f"Ana: Project{i} alpha{i} beta{i} gamma{i} cost $6 billion.\n"
        for i in range(3000)
    )
    found = find_candidates(parse(text))
    calls = 0
    real_overlap = dedupe.overlap

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real_overlap(a, b)

    monkeypatch.setattr(dedupe, "overlap", counting)
    groups = group_restatements(found)
    keys = max(
        len({(q.kind, q.unit, q.low, q.high) for q in c.quantities}) for c in found
    )
    assert calls <= len(found) * keys * MAX_COMPARISONS
    assert calls > 0  # the same speaker and amount: they were compared
    # Different facts stay claims of their own.
    assert len(groups) == len(found) == 3000


def test_a_show_name_too_long_is_blamed_on_the_show_not_the_speakers():
    data = transcript(["Ana: Revenue grew 5% in 2025.", "Ben: It did."])
    with pytest.raises(ImportRefused, match="^the show's name “SSSS.*--show"):
        plan_import(data, name="show.txt", show_name="S" * 600)
    long_show = ("Limits test\nRecorded May 8, 2026\nShow: " + "S" * 300 + "\n\n"
                 "Ana: Revenue grew 5% in 2025.\nBen: It did.\n").encode()  # fmt: skip
    with pytest.raises(ImportRefused, match="^the file's show “SSSS"):
        plan_import(long_show, name="show.txt")
    long_speaker = transcript(["A" * 300 + ": Revenue grew 5% in 2025.", "Ben: It."])
    with pytest.raises(ImportRefused, match="check the file's speaker names"):
        plan_import(long_speaker, name="speaker.txt")


def test_an_amount_past_what_a_claim_stores_imports_the_claim_without_it(
    tmp_path, db, capsys
):
    """The new-user review's file: a 25-digit amount passed the dry run and
    failed the import with a database traceback."""
    from django.core.management import call_command

    from claims.models import Claim, Quantity

    path = tmp_path / "debt.txt"
    path.write_text(
        "T2\nRecorded 2026-01-02\n"
        "Bob: The national debt will reach 1,000,000,000,000,000,000,000,000 "
        "dollars, the report says.\n"
        "Alice: Revenue grew 80 times to $5 billion last year, the company said.\n"
    )
    call_command("import_episode", str(path), show="Fuzz Show")
    debt = Claim.objects.get(text__contains="national debt")
    assert not debt.quantities.exists()
    assert Quantity.objects.filter(claim__text__contains="80 times").count() == 2


def test_a_caption_past_999_hours_is_refused_with_one_line(tmp_path, db, capsys):
    from django.core.management import call_command

    from episodes.models import Episode

    path = tmp_path / "late.vtt"
    path.write_text(
        "WEBVTT\n\n600000:00:01.000 --> 600000:00:02.000\n"
        "<v Bob>The unemployment rate fell to 3.5% in 2023, says the BLS.\n"
    )
    with pytest.raises(SystemExit):
        call_command("import_episode", str(path), show="Fuzz Show")
    error = capsys.readouterr().err
    assert "line 3: the cue ends at 600000:00:02.000, past 999 hours" in error
    assert "Traceback" not in error
    assert not Episode.objects.exists()
