"""The CLEF-2019 evaluation script: its metrics, its data and its protocol."""

import dataclasses
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts/evaluate_checkworthiness.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("evaluate_checkworthiness", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up by name while the class is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


evaluation = _load_script()


def test_average_precision_is_the_mean_precision_at_each_relevant_rank():
    assert evaluation.average_precision([1, 0, 1], [3, 2, 1]) == pytest.approx(
        (1 + 2 / 3) / 2
    )
    assert evaluation.average_precision([0, 0, 1], [3, 2, 1]) == pytest.approx(1 / 3)


def test_average_precision_ranks_by_score_not_by_position():
    # Ranked by score: 1 (0.9), 0 (0.5), 1 (0.4), 0 (0.1).
    labels = [0, 1, 0, 1]
    scores = [0.1, 0.9, 0.5, 0.4]
    assert evaluation.average_precision(labels, scores) == pytest.approx(
        (1 + 2 / 3) / 2
    )


def test_a_perfect_ranking_has_average_precision_one_and_no_positives_zero():
    assert evaluation.average_precision([0, 1, 1, 0], [0, 5, 4, 1]) == 1.0
    assert evaluation.average_precision([0, 0, 0], [3, 2, 1]) == 0.0


def test_ties_keep_transcript_order():
    assert evaluation.ranked_labels([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.9]) == [1, 0, 1, 0]
    assert evaluation.average_precision([1, 0, 0], [0.5, 0.5, 0.5]) == 1.0
    assert evaluation.average_precision([0, 0, 1], [0.5, 0.5, 0.5]) == pytest.approx(
        1 / 3
    )


def test_precision_at_k_divides_by_k():
    labels = [1, 0, 1, 0]
    scores = [4, 3, 2, 1]
    assert evaluation.precision_at(labels, scores, 1) == 1.0
    assert evaluation.precision_at(labels, scores, 2) == 0.5
    assert evaluation.precision_at(labels, scores, 3) == pytest.approx(2 / 3)
    # Fewer sentences than k: the missing places count as misses, as in CLEF.
    assert evaluation.precision_at(labels, scores, 10) == 0.2


def test_metrics_report_ap_and_precision_at_10_and_20():
    labels = [1] * 5 + [0] * 25
    scores = list(range(30, 0, -1))
    assert evaluation.metrics(labels, scores) == {"AP": 1.0, "P@10": 0.5, "P@20": 0.25}


def test_the_copied_training_set_is_whole():
    from claims.extraction.model.train import load_transcripts

    transcripts = load_transcripts(evaluation.DATA_DIR)
    assert len(transcripts) == 19
    assert sum(len(t) for t in transcripts) == 16421
    assert sum(sum(t.labels) for t in transcripts) == 440
    first = next(t for t in transcripts if t.name == "20160926_1pres")
    assert (len(first), sum(first.labels)) == (1403, 37)
    assert first.speakers[0] == "HOLT"


SMALL = ("20181010_medicare.tsv", "20190108_oval_office.tsv")


@pytest.fixture
def two_small_files(tmp_path):
    for name in SMALL:
        shutil.copy(evaluation.DATA_DIR / name, tmp_path)
    return tmp_path


def test_the_script_runs_every_system_on_two_small_files(two_small_files, capsys):
    assert (
        evaluation.main(["--data", str(two_small_files), "--threshold", "--per-file"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("2 transcripts, 115 sentences, 20 check-worthy")
    for system in evaluation.SYSTEMS:
        row = re.search(rf"^\| {system} \| (0\.\d+|1\.000) \|", out, re.MULTILINE)
        assert row, system
    assert "| 0.50 |" in out
    assert "Shipped ÷ rules" in out


def test_an_unknown_system_is_refused(two_small_files):
    with pytest.raises(SystemExit):
        evaluation.main(["--data", str(two_small_files), "--systems", "oracle"])


def test_leave_one_out_never_sees_the_held_out_labels(two_small_files):
    from claims.extraction.model.train import load_transcripts, prepare

    prepared = [prepare(t) for t in load_transcripts(two_small_files)]
    flipped = [
        dataclasses.replace(
            p,
            transcript=dataclasses.replace(
                p.transcript, labels=tuple(1 - x for x in p.transcript.labels)
            ),
        )
        for p in prepared
    ]
    # Each file is ranked by a model of the other only: flip the labels of
    # the ranked file and its scores stay the same.
    scores = evaluation.model_scores(prepared)
    mixed = evaluation.model_scores([prepared[0], flipped[1]])
    assert scores[1] == mixed[1]
    assert scores[0] != mixed[0]


def test_the_rules_and_random_rows_are_the_documented_ones():
    # If scoring.py changes, rerun scripts/evaluate_checkworthiness.py
    # --systems random,rules and update the table in docs/extraction.md.
    from claims.extraction.model.train import load_transcripts, prepare

    prepared = [prepare(t) for t in load_transcripts(evaluation.DATA_DIR)]
    for system, documented in (("random", RANDOM_ROW), ("rules", RULES_ROW)):
        means, _ = evaluation.evaluate(prepared, system)
        assert (
            round(means["AP"], 3),
            round(means["P@10"], 2),
            round(means["P@20"], 2),
        ) == documented, system


RANDOM_ROW = (0.066, 0.05, 0.05)
RULES_ROW = (0.200, 0.25, 0.18)
