"""The benchmark the performance command calls runs and counts what it times."""

from claims.extraction.benchmark import run, run_scoring, synthetic_episode


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
