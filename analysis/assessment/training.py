"""Training the stance model from FNC-1's training part: `manage.py train_stance`.

Needs the `train` extra (scikit-learn). Steps, all on the bodies that evaluation
does not hold out (analysis.assessment.fnc.split_fnc):
1. the IDF table that passage ranking uses, from those bodies;
2. features for every pair (features.py);
3. a logistic regression with balanced class weights, its strength chosen on a
   validation slice of the training bodies by macro-F1 (the figure that rewards
   getting `refutes` right, not only `unrelated`);
4. weights rounded and the smallest dropped, written as gzipped JSON.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from analysis.assessment import passages
from analysis.assessment.features import features
from analysis.assessment.fnc import FncPair
from analysis.assessment.learned import MODEL_FILE, StanceModel
from analysis.assessment.metrics import score_labels
from analysis.assessment.passages import idf_table
from analysis.assessment.reading import STANCES
from analysis.assessment.rules import analyse, judge
from analysis.text import content_stems

STRENGTHS = (0.03, 0.1, 0.3, 1.0)
VALIDATION_PERCENT = 15
MIN_DOCUMENT_FREQUENCY = 2
KEEP_WEIGHT = 0.002  # weights smaller than this change no prediction worth keeping


@dataclass(frozen=True)
class Trained:
    model: StanceModel
    validation: dict[str, Any]


def write_idf_table(bodies: Sequence[str], path: Path | None = None) -> int:
    frequencies: Counter[str] = Counter()
    for body in bodies:
        frequencies.update(set(content_stems(body)))
    kept = {s: n for s, n in sorted(frequencies.items()) if n >= MIN_DOCUMENT_FREQUENCY}
    with _gzip_text(path or passages.IDF_TABLE) as handle:
        json.dump({"documents": len(bodies), "frequencies": kept}, handle, separators=(",", ":"))
    idf_table.cache_clear()
    return len(kept)


def _gzip_text(path: Path) -> io.TextIOWrapper:
    """Gzipped UTF-8 with no timestamp inside, so retraining on the same data gives the
    same bytes and git sees no change."""
    raw = gzip.GzipFile(path, "wb", compresslevel=9, mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8")


def pair_features(pair: tuple[str, str]) -> dict[str, float]:
    analysis = analyse(*pair)
    return features(analysis, judge(analysis))


def featurise(pairs: Sequence[FncPair], workers: int = 2) -> list[dict[str, float]]:
    work = [(p.headline, p.body) for p in pairs]
    if workers <= 1:
        return [pair_features(pair) for pair in work]
    with get_context("fork").Pool(workers) as pool:
        return pool.map(pair_features, work, chunksize=200)


def in_validation(body_id: int) -> bool:
    return zlib.crc32(f"factcheck-validation:{body_id}".encode()) % 100 < VALIDATION_PERCENT


def fit(
    x: list[dict[str, float]], y: list[str], strength: float
) -> tuple[Any, Callable[[list[dict[str, float]]], list[str]]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    classifier = LogisticRegression(C=strength, class_weight="balanced", max_iter=3000)
    classifier.fit(vectoriser.fit_transform(x), y)

    def predict(rows: list[dict[str, float]]) -> list[str]:
        return [str(label) for label in classifier.predict(vectoriser.transform(rows))]

    return (vectoriser, classifier), predict


def choose_strength(
    x: list[dict[str, float]], y: list[str], bodies: list[int], log: Callable[[str], None]
) -> tuple[float, dict[str, Any]]:
    fit_rows = [i for i, b in enumerate(bodies) if not in_validation(b)]
    check_rows = [i for i, b in enumerate(bodies) if in_validation(b)]
    results = {}
    for strength in STRENGTHS:
        _, predict = fit([x[i] for i in fit_rows], [y[i] for i in fit_rows], strength)
        scores = score_labels(
            [y[i] for i in check_rows], predict([x[i] for i in check_rows]), STANCES
        )
        results[strength] = scores.macro_f1
        log(f"  C={strength}: validation macro-F1 {scores.macro_f1:.4f}")
    best = max(results, key=lambda s: results[s])
    return best, {"macro_f1_by_strength": results, "chosen": best, "pairs": len(check_rows)}


def export(fitted: Any, about: dict[str, Any]) -> StanceModel:
    vectoriser, classifier = fitted
    classes = [str(c) for c in classifier.classes_]
    weights = {}
    for name, column in vectoriser.vocabulary_.items():
        row = tuple(round(float(classifier.coef_[k][column]), 4) for k in range(len(classes)))
        if max(abs(w) for w in row) >= KEEP_WEIGHT:
            weights[name] = row
    intercept = tuple(round(float(v), 4) for v in classifier.intercept_)
    return StanceModel(tuple(classes), intercept, weights, about)


def save(model: StanceModel, path: Path | None = None) -> None:
    with _gzip_text(path or MODEL_FILE) as handle:
        json.dump(model.as_json(), handle, separators=(",", ":"), sort_keys=True)


def train(
    train_pairs: Sequence[FncPair], log: Callable[[str], None], *, workers: int = 2
) -> Trained:
    bodies = {p.body_id: p.body for p in train_pairs}
    log(f"IDF table: {write_idf_table(list(bodies.values()))} stems from {len(bodies)} bodies")
    x = featurise(train_pairs, workers)
    y = [p.stance for p in train_pairs]
    log(f"Features for {len(x)} pairs")
    strength, validation = choose_strength(x, y, [p.body_id for p in train_pairs], log)
    fitted, _ = fit(x, y, strength)
    about = {
        "trained_on": "FNC-1 training data, bodies not held out for evaluation",
        "pairs": len(x),
        "bodies": len(bodies),
        "stances": dict(Counter(y)),
        "strength": strength,
    }
    return Trained(export(fitted, about), validation)
