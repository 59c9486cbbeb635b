"""Training the check-worthiness model on CLEF-2019 (needs scikit-learn).

``manage.py train_checkworthiness`` calls ``train_and_save``; the evaluation
script (``scripts/evaluate_checkworthiness.py``) calls ``fit`` and
``margins`` to measure the same recipe by leave-one-transcript-out
cross-validation. Only this
module imports scikit-learn; scoring reads the saved arrays with numpy.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from claims.extraction.model import Model, score_turns
from claims.extraction.model.features import (
    DENSE_NAMES,
    Passage,
    episode_rows,
    passage,
    terms,
)
from claims.extraction.scoring import signals

# The recipe, chosen by leave-one-transcript-out CV on the 19 training files
# (docs/extraction.md has the sweep): L2-regularised logistic regression,
# classes balanced, over TF-IDF word 1-2-grams and the dense features, the
# latter multiplied by ``dense_scale`` (a larger scale regularises them less).
PARAMS = {"C": 0.3, "dense_scale": 3.0, "min_df": 2}
# The cut on the model's margin that becomes a score of 0.5 (the default
# threshold): chosen on the LOTO predictions (docs/extraction.md, Threshold).
THRESHOLD_MARGIN = 0.5
SOURCE = (
    "CLEF-2019 CheckThat! Task 1 training set (19 transcripts; Atanasova et al., "
    "CLEF 2019 Working Notes, CEUR-WS vol. 2380); 'free for general research use'"
)


@dataclass(frozen=True)
class Transcript:
    name: str
    sentences: tuple[str, ...]
    speakers: tuple[str, ...]
    labels: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.labels)


def load_transcript(path: Path) -> Transcript:
    """One CLEF TSV: line number, speaker, sentence, label (1 = check-worthy)."""
    sentences, speakers, labels = [], [], []
    with open(path, encoding="utf-8", newline="") as file:
        for row in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row:
                continue
            _, speaker, sentence, label = row
            sentences.append(sentence)
            speakers.append(speaker)
            labels.append(int(label))
    return Transcript(path.stem, tuple(sentences), tuple(speakers), tuple(labels))


def load_transcripts(data_dir: Path) -> list[Transcript]:
    return [load_transcript(path) for path in sorted(data_dir.glob("*.tsv"))]


def turns_of(transcript: Transcript) -> list[list[Passage]]:
    """The transcript's sentences as speaker turns (runs of one speaker)."""
    passages = [
        passage(signals(sentence, speaker=speaker))
        for sentence, speaker in zip(
            transcript.sentences, transcript.speakers, strict=True
        )
    ]
    turns, index = [], 0
    for _, run in groupby(transcript.speakers):
        count = len(list(run))
        turns.append(passages[index : index + count])
        index += count
    return turns


@dataclass(frozen=True)
class Prepared:
    transcript: Transcript
    turns: list[list[Passage]]
    terms: list[list[str]]
    dense: list[list[float]]


def prepare(transcript: Transcript) -> Prepared:
    turns = turns_of(transcript)
    flat = [item for turn in turns for item in turn]
    dense = [row for rows in episode_rows(turns) for row in rows]
    return Prepared(transcript, turns, [terms(p.sentence) for p in flat], dense)


def fit(prepared: Sequence[Prepared], params: dict | None = None) -> Model:
    """Fit the recipe on ``prepared`` transcripts; the arrays ``Model`` scores with."""
    return fit_estimator(prepared, params)[0]


def design_matrix(vectoriser, prepared: Sequence[Prepared], scale: float):
    """scikit-learn's input for ``prepared``: TF-IDF columns, then dense ones."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    docs = [t for p in prepared for t in p.terms]
    dense = np.array([row for p in prepared for row in p.dense], dtype=np.float64)
    return hstack([vectoriser.transform(docs), csr_matrix(dense * scale)]).tocsr()


def fit_estimator(prepared: Sequence[Prepared], params: dict | None = None):
    """(``Model``, the fitted vectoriser, the fitted estimator, the params)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    params = {**PARAMS, **(params or {})}
    docs = [t for p in prepared for t in p.terms]
    labels = [label for p in prepared for label in p.transcript.labels]
    dense = np.array([row for p in prepared for row in p.dense], dtype=np.float64)
    vectoriser = TfidfVectorizer(
        analyzer=lambda doc: doc, sublinear_tf=True, min_df=params["min_df"]
    )
    words = vectoriser.fit_transform(docs)
    scale = params["dense_scale"]
    matrix = hstack([words, csr_matrix(dense * scale)]).tocsr()
    model = LogisticRegression(
        C=params["C"], class_weight="balanced", max_iter=5000, solver="lbfgs"
    )
    model.fit(matrix, labels)
    vocabulary = vectoriser.get_feature_names_out()
    n_terms = len(vocabulary)
    coef = model.coef_[0]
    fitted = Model(
        terms=tuple(str(term) for term in vocabulary),
        idf=vectoriser.idf_.astype(np.float64),
        term_weights=coef[:n_terms].astype(np.float64),
        dense_weights=(coef[n_terms:] * scale).astype(np.float64),
        dense_names=DENSE_NAMES,
        intercept=float(model.intercept_[0]),
        threshold_margin=THRESHOLD_MARGIN,
        header={"params": params, "source": SOURCE},
    )
    return fitted, vectoriser, model, params


def margins(model: Model, prepared: Prepared) -> list[float]:
    """The shipped scoring code's margins for one transcript, in order."""
    return [m for m, _ in score_turns(model, prepared.turns, raw=True)]


def train_and_save(data_dir: Path, path: Path) -> Model:
    """Fit on every transcript in ``data_dir`` and write the model to ``path``."""
    model = fit([prepare(t) for t in load_transcripts(data_dir)])
    model.save(path)
    return model


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0
