"""The CLEF-2018 evaluation script: its metrics, its data and its protocol."""

import importlib.util
import sys
from dataclasses import replace
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


def test_cross_validation_folds_are_contiguous_blocks_covering_each_sentence_once():
    folds = evaluation.contiguous_folds(10, 3)
    held_out = [block for _, block in folds]
    assert held_out == [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]]
    for fit_on, block in folds:
        assert sorted(fit_on + block) == list(range(10))


def test_the_copied_debates_are_whole():
    first = evaluation.load_debate("1st")
    vp = evaluation.load_debate("VP")
    assert (len(first), sum(first.labels)) == (1403, 37)
    assert (len(vp), sum(vp.labels)) == (1358, 28)
    assert first.speakers[0] == "HOLT"
    assert first.sentences[0] == (
        "Good evening from Hofstra University in Hempstead, New York."
    )


def test_the_random_baseline_is_the_same_on_every_run():
    vp = evaluation.load_debate("VP")
    first, _ = evaluation.random_system(vp, vp)
    again, _ = evaluation.random_system(vp, vp)
    assert len(first) == evaluation.RANDOM_SEEDS
    assert first == again


def test_the_shipped_scorers_figures_are_the_documented_ones():
    # If scoring.py changes, rerun scripts/evaluate_checkworthiness.py and update
    # the table in docs/extraction.md (and the figures in scoring.py's docstring).
    for name, documented in (("1st", (0.097, 0.2, 0.1)), ("VP", (0.086, 0.1, 0.1))):
        debate = evaluation.load_debate(name)
        found = evaluation.metrics(debate.labels, evaluation.shipped_scores(debate))
        assert (
            round(found["AP"], 3),
            round(found["P@10"], 2),
            round(found["P@20"], 2),
        ) == documented, name


def test_the_trained_systems_never_look_at_the_scored_debates_labels():
    # scikit-learn comes with the `research` extra, which `make test` installs.
    train = evaluation.load_debate("1st")
    test = evaluation.load_debate("VP")
    flipped = replace(test, labels=tuple(1 - label for label in test.labels))
    for system in (evaluation.svm_system, evaluation.lr_system):
        scores, choice = system(train, test)
        scores_flipped, choice_flipped = system(train, flipped)
        assert choice == choice_flipped
        assert scores == scores_flipped


def test_the_figure_flags_are_names_the_scorer_uses():
    from claims.extraction.scoring import FOR

    assert evaluation.FIGURE_FLAGS.issubset(FOR)
