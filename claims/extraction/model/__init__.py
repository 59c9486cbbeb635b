"""The trained check-worthiness model: loaded once per process, scored in batch.

``checkworthiness.npz`` (next to this file) holds the model as plain arrays:
its vocabulary, the inverse document frequencies and the weights of a
logistic regression over TF-IDF word 1-2-grams and the dense features of
``features`` (rule flags and context), with a JSON header. It is read with
``numpy.load(allow_pickle=False)``: no pickle, so loading it runs no code.
``manage.py train_checkworthiness`` rebuilds it (``train``); scikit-learn is
needed only there, never to score.

Scoring is pure Python over dictionaries (a sentence has a few dozen terms),
which is faster than building sparse matrices for a few hundred sentences.
"""

from __future__ import annotations

import io
import json
import math
import operator
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from claims.extraction.model.features import (
    DENSE_NAMES,
    DENSE_REASONS,
    Passage,
    episode_rows,
    terms,
)
from claims.extraction.scoring import AGAINST

PATH = Path(__file__).with_name("checkworthiness.npz")
# How many contributions a reviewer is shown: the strongest first.
REASONS_SHOWN = 4


@dataclass(frozen=True)
class Model:
    terms: tuple[str, ...]
    idf: Any  # numpy arrays, one value per term / dense feature
    term_weights: Any
    dense_weights: Any
    dense_names: tuple[str, ...]
    intercept: float
    # The margin that maps to a score of 0.5, the default threshold.
    threshold_margin: float
    header: dict = field(default_factory=dict)

    @property
    def lookup(self) -> dict[str, tuple[float, float]]:
        return _lookup(self)

    def save(self, path: Path) -> None:
        """Write the arrays as an .npz that is the same bytes on every run."""
        import numpy as np

        header = {
            **self.header,
            "format": 1,
            "intercept": self.intercept,
            "threshold_margin": self.threshold_margin,
            "dense_names": list(self.dense_names),
        }
        arrays = {
            "header": np.frombuffer(
                json.dumps(header, sort_keys=True).encode(), dtype=np.uint8
            ),
            "terms": np.frombuffer("\n".join(self.terms).encode(), dtype=np.uint8),
            # float32 halves the file; the scores move by less than 1e-6.
            "idf": np.asarray(self.idf, dtype=np.float32),
            "term_weights": np.asarray(self.term_weights, dtype=np.float32),
            "dense_weights": np.asarray(self.dense_weights, dtype=np.float64),
        }
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                # A fixed date: rebuilding the model gives identical bytes.
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue())

    @classmethod
    def read(cls, path: Path) -> Model:
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            header = json.loads(data["header"].tobytes().decode())
            return cls(
                terms=tuple(data["terms"].tobytes().decode().split("\n")),
                idf=data["idf"].astype(np.float64),
                term_weights=data["term_weights"].astype(np.float64),
                dense_weights=data["dense_weights"],
                dense_names=tuple(header["dense_names"]),
                intercept=header["intercept"],
                threshold_margin=header["threshold_margin"],
                header=header,
            )


_LOOKUPS: dict[int, dict[str, tuple[float, float]]] = {}


def _lookup(model: Model) -> dict[str, tuple[float, float]]:
    key = id(model)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = {
            term: (float(idf), float(weight))
            for term, idf, weight in zip(
                model.terms, model.idf, model.term_weights, strict=True
            )
        }
    return _LOOKUPS[key]


@cache
def shipped() -> Model:
    """The model in the package, read on first use and kept for the process."""
    model = Model.read(PATH)
    if model.dense_names != DENSE_NAMES:
        raise RuntimeError(
            f"{PATH} was trained on other features; rebuild it with "
            "`manage.py train_checkworthiness`."
        )
    return model


def _margin(
    model: Model,
    lookup: dict[str, tuple[float, float]],
    dense_weights: Sequence[float],
    item: Passage,
    row: Sequence[float],
    explain: bool,
) -> tuple[float, list[tuple[float, str]]]:
    """The model's margin: intercept + weights · (L2-normalised sublinear
    TF-IDF of the terms, then the dense row), as scikit-learn computes it."""
    found = terms(item.sentence)
    counts = Counter(found) if len(set(found)) < len(found) else None
    weighted, norm, dot = [], 0.0, 0.0
    get = lookup.get
    for term in counts or found:
        entry = get(term)
        if entry is None:
            continue
        value = entry[0] if counts is None else (1 + math.log(counts[term])) * entry[0]
        norm += value * value
        dot += value * entry[1]
        if explain:
            weighted.append((value * entry[1], term))
    norm = math.sqrt(norm) or 1.0
    margin = model.intercept + dot / norm + sum(map(operator.mul, dense_weights, row))
    if not explain:
        return margin, []
    contributions = [(part / norm, f"the words “{term}”") for part, term in weighted]
    contributions += [
        (weight * x, name)
        for name, weight, x in zip(model.dense_names, dense_weights, row, strict=True)
        if x
    ]
    return margin, contributions


# Context every sentence has in some measure: true, but no reason a reviewer
# can check, so never shown as one.
_UNSHOWN = frozenset(
    "words speaker_share turn_length position_in_turn first_in_turn last_in_turn"
    " rule_score".split()
)


def _reasons(contributions: list[tuple[float, str]], item: Passage) -> list[str]:
    positive = sorted(
        (c for c in contributions if c[0] > 0 and c[1] not in _UNSHOWN),
        key=lambda c: (-c[0], c[1]),
    )
    shown = [DENSE_REASONS.get(name, name) for _, name in positive[:REASONS_SHOWN]]
    lowering = [
        AGAINST[name][0] for name in sorted(AGAINST) if name in item.found.flags
    ]
    return shown + lowering


def score_turns(
    model: Model,
    turns: Sequence[Sequence[Passage]],
    *,
    raw: bool = False,
    explain_at: float = 0.0,
    explain_turns: frozenset[int] = frozenset(),
) -> list[tuple[float, list]]:
    """(score 0..1, reasons) of every sentence of ``turns``, in order.

    The score is the logistic of the model's margin, shifted so that the
    chosen cut (``threshold_margin``) is 0.5. Reasons are worked out only for
    scores of at least ``explain_at`` and for the turns in ``explain_turns``
    (the importer drops the rest unread). With ``raw``: (margin, []).
    """
    lookup = model.lookup
    dense_weights = [float(w) for w in model.dense_weights]
    results = []
    for index, (turn, rows) in enumerate(zip(turns, episode_rows(turns), strict=True)):
        for item, row in zip(turn, rows, strict=True):
            margin, _ = _margin(model, lookup, dense_weights, item, row, False)
            if raw:
                results.append((margin, []))
                continue
            shifted = margin - model.threshold_margin
            value = round(1 / (1 + math.exp(-shifted)) if shifted > -700 else 0.0, 3)
            reasons = []
            if value >= explain_at or index in explain_turns:
                _, contributions = _margin(
                    model, lookup, dense_weights, item, row, True
                )
                reasons = _reasons(contributions, item)
            results.append((value, reasons))
    return results


def rank(
    turns: Sequence[Sequence[Passage]],
    *,
    model: Model | None = None,
    explain_at: float = 0.0,
    explain_turns: frozenset[int] = frozenset(),
) -> list[tuple[float, list[str]]]:
    """The score the importer stores and ranks by, with its reasons.

    The model's score, but never below the rules' score when the rules clear
    the default threshold: every sentence the rules keep (a figure, a deal,
    a deed …) is still kept, and the model adds the sentences it finds
    check-worthy with no such cue. docs/extraction.md measures both.
    ``explain_at`` and ``explain_turns``: as for ``score_turns``.
    """
    from claims.extraction.scoring import THRESHOLD

    scored = score_turns(
        model or shipped(),
        turns,
        explain_at=explain_at,
        explain_turns=explain_turns,
    )
    flat = [item for turn in turns for item in turn]
    out = []
    for item, (value, reasons) in zip(flat, scored, strict=True):
        if item.rule_score >= THRESHOLD and item.rule_score > value:
            # The rules' own reasons: they are why the sentence is kept.
            value, reasons = item.rule_score, list(item.rule_reasons)
        out.append((value, reasons))
    return out
