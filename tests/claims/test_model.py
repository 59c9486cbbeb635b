"""The trained check-worthiness model: shipped in the package, safe to load,
scoring with reasons, rebuilt byte for byte by its command."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from claims.extraction.candidates import find_candidates
from claims.extraction.model import PATH, Model, rank, shipped
from claims.extraction.model.features import DENSE_NAMES, passage
from claims.extraction.model.train import train_and_save
from claims.extraction.scoring import THRESHOLD, signals
from episodes.parsers import parse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "clef2019"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "seeds" / "big-technology-2026-05-08-ranjan-roy-spacex-anthropic.txt"
SMALL = ("20181010_medicare.tsv", "20190108_oval_office.tsv")


def scored(*sentences: str) -> list[tuple[float, list[str]]]:
    """Each sentence said on its own, as one turn each."""
    return rank([[passage(signals(s))] for s in sentences])


def test_the_model_ships_in_the_package_as_a_small_file_of_plain_arrays():
    assert PATH.parent == ROOT / "claims" / "extraction" / "model"
    assert PATH.stat().st_size < 1_000_000
    with np.load(PATH, allow_pickle=False) as data:
        assert {name for name in data.files} == {
            "header",
            "terms",
            "idf",
            "term_weights",
            "dense_weights",
        }
        assert all(data[name].dtype != object for name in data.files)
    model = shipped()
    assert model is shipped()  # read once per process
    assert model.dense_names == DENSE_NAMES
    assert len(model.terms) == len(model.idf) == len(model.term_weights)
    assert "CLEF-2019" in model.header["source"]


def test_the_model_scores_a_known_claim_above_a_known_non_claim():
    claim, chatter = scored(
        "We have lost 70,000 factories since China entered the World Trade "
        "Organization.",
        "Thank you very much, it's great to be here tonight.",
    )
    assert claim[0] >= THRESHOLD > chatter[0]
    assert claim[0] > chatter[0]


def test_each_score_comes_with_the_strongest_reasons_behind_it():
    ((value, reasons),) = scored("Epic Games sued Apple over the App Store rules.")
    assert value >= THRESHOLD
    assert reasons, "a score without reasons"
    assert any(r.startswith(("a deed", "the words")) for r in reasons), reasons
    ((_, reasons),) = scored("I think it cost $5 billion.")
    assert "an opinion marker (lowers)" in reasons


def test_summary_quotes_are_kept_whatever_their_score():
    parsed = parse(SAMPLE.read_text("utf-8"))
    quotes = [c for c in find_candidates(parsed) if c.origin == "quote"]
    assert len(quotes) == sum(1 for item in parsed.items if item.kind == "quote")
    assert min(c.checkworthiness for c in quotes) < THRESHOLD


FIGURE_FLAGS = frozenset(
    "money percent multiplier count power other_amount number vague_amount"
    " duration date".split()
)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("signal-check-2026-05-08.txt", 8),
        ("signal-check-2026-05-08.vtt", 8),
        ("signal-check-2026-05-08.srt", 8),
        ("bom-crlf-transcript.txt", 2),
        (SAMPLE.name, 2),
    ],
)
def test_every_figure_claim_the_rules_keep_is_still_stored_at_the_default(name, count):
    path = SAMPLE if name == SAMPLE.name else FIXTURES / name
    parsed = parse(path.read_bytes().decode("utf-8-sig"))
    stored = {c.quote for c in find_candidates(parsed)}
    rule_kept = []
    for item in (*parsed.items, *parsed.takeaways):
        for candidate in find_candidates(
            parse_one(parsed, item), min_score=0.0, published_on=parsed.published_on
        ):
            found = signals(candidate.quote, speaker=item.speaker)
            if found.flags & FIGURE_FLAGS and rule_score(found) >= THRESHOLD:
                rule_kept.append(candidate.quote)
    assert len(rule_kept) == count
    assert [q for q in rule_kept if q not in stored] == []


def parse_one(parsed, item):
    from dataclasses import replace

    return replace(parsed, items=(item,), takeaways=())


def rule_score(found) -> float:
    from claims.extraction.scoring import score_signals

    return score_signals(found)[0]


def test_training_is_deterministic_and_the_file_loads_back(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in SMALL:
        shutil.copy(DATA / name, data)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    train_and_save(data, first)
    out = io.StringIO()
    call_command(
        "train_checkworthiness",
        "--data",
        str(data),
        "--output",
        str(second),
        stdout=out,
    )
    assert out.getvalue().startswith(f"wrote {second}")
    assert first.read_bytes() == second.read_bytes()
    assert zipfile.is_zipfile(first)
    model = Model.read(first)
    assert rank([[passage(signals("It cost $5 billion."))]], model=model)


def test_scoring_without_scikit_learn_gives_scikit_learns_margins():
    from claims.extraction.model import train

    prepared = [train.prepare(train.load_transcript(DATA / name)) for name in SMALL]
    model, vectoriser, estimator, params = train.fit_estimator(prepared[:1])
    expected = estimator.decision_function(
        train.design_matrix(vectoriser, prepared[1:], params["dense_scale"])
    )
    assert train.margins(model, prepared[1]) == pytest.approx(expected.tolist())
