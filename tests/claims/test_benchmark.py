"""The benchmark the performance command calls runs and counts what it times."""

from claims.extraction.benchmark import (
    pathological_files,
    run,
    run_scoring,
    synthetic_episode,
)


def test_the_synthetic_transcript_has_the_sentences_asked_for_with_offsets():
    parsed = synthetic_episode(300)
    assert sum(1 for _ in parsed.items) >= 50
    for item in parsed.items:
        assert parsed.source_text[item.start : item.end] == item.text


def test_run_reports_sentences_time_and_candidates():
    result = run(300, rounds=1)
    assert result.sentences >= 300
    assert result.seconds > 0
    assert 0 < result.candidates < result.sentences
    assert "sentences/s" in str(result)
    assert run_scoring(100, rounds=1).sentences == 100


def test_the_pathological_files_fit_the_size_limit_and_two_fit_every_other():
    """What ``benchmark --pathological`` imports: each file under the 5 MB
    limit, so a bound other than size decides; the largest files just inside
    every bound are within them all (checked without extraction); the
    sentence-packed file is refused for its sentences, the long sentences
    for their text."""
    import pytest
    from django.conf import settings

    from claims.extraction.candidates import count_passages
    from claims.ingest import ImportRefused, plan
    from episodes.parsers import parse

    files = pathological_files()
    for text in files.values():
        assert len(text.encode()) <= settings.CLAIMDESK_MAX_SOURCE_BYTES
    for shape in ("just inside the limits", "just inside, long sentences"):
        parsed = parse(files[shape])
        plan._check_bounds(parsed)
        plan._check_sentences(parsed)
        assert len({item.speaker for item in parsed.items}) == plan.MAX_SPEAKERS - 1
    dense = parse(files["just inside the limits"])
    assert count_passages(dense, up_to=plan.MAX_SENTENCES) == 19_000
    long = parse(files["just inside, long sentences"])
    assert sum(len(item.text) for item in long.items) > plan.MAX_TEXT_CHARS - 20_000
    for shape, reason in (
        ("70,000+ short sentences", "more than 20,000 sentences"),
        ("19,000 long sentences", "characters of speech and text, over 2,000,000"),
    ):
        with pytest.raises(ImportRefused, match=reason):
            plan.plan_import(files[shape].encode(), name="f.txt", show_name="Bench")
