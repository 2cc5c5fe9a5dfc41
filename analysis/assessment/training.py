"""Training the stance model: `manage.py train_stance`.

Needs the `train` extra (scikit-learn). Steps, all on what evaluation does not hold out
(FNC-1's training stories, Emergent's training claims; see `training_examples`):
1. the IDF table that passage ranking uses, from the training bodies;
2. features for every pair (features.py);
3. a logistic regression with balanced class weights, its strength chosen by macro-F1
   (the figure that rewards getting `refutes` right, not only `unrelated`) on a
   validation slice of whole stories (groups), never of single pairs;
4. weights rounded and the smallest dropped, written as gzipped JSON.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from analysis.assessment import passages
from analysis.assessment.emergent import EmergentPair, EmergentSplit, without_headlines
from analysis.assessment.evaluation import LabelledPair, claim_key
from analysis.assessment.features import features
from analysis.assessment.fnc import FncPair, FncSplit, story_keys, text_key
from analysis.assessment.learned import MODEL_FILE, StanceModel
from analysis.assessment.metrics import score_labels
from analysis.assessment.passages import idf_table
from analysis.assessment.reading import STANCES
from analysis.assessment.rules import analyse, judge
from analysis.text import content_stems

STRENGTHS = (0.01, 0.03)
# Emergent's headlines count this many times over: 1,600 of them beside 40,000 FNC-1 pairs
# would hardly move the weights, and a claim's own headlines are what the desk reads most.
EMERGENT_WEIGHT = 5.0
# Our own labelled dev pairs (never test): written like the passages the desk reads.
OWN_WEIGHT = 10.0
VALIDATION_PERCENT = 15
MIN_DOCUMENT_FREQUENCY = 2
KEEP_WEIGHT = 0.002  # weights smaller than this change no prediction worth keeping


@dataclass(frozen=True)
class Example:
    claim: str
    text: str
    stance: str
    group: str  # the story or claim it belongs to: validation holds out whole groups


@dataclass(frozen=True)
class Trained:
    model: StanceModel
    validation: dict[str, Any]


def write_idf_table(bodies: Sequence[str], path: Path) -> int:
    frequencies: Counter[str] = Counter()
    for body in bodies:
        frequencies.update(set(content_stems(body)))
    kept = {s: n for s, n in sorted(frequencies.items()) if n >= MIN_DOCUMENT_FREQUENCY}
    with _gzip_text(path) as handle:
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


def fnc_examples(pairs: Sequence[FncPair]) -> list[Example]:
    groups = story_keys(pairs)
    return [
        Example(p.headline, p.body, p.stance, group) for p, group in zip(pairs, groups, strict=True)
    ]


def emergent_examples(pairs: Sequence[EmergentPair]) -> list[Example]:
    return [Example(p.claim, p.headline, p.stance, f"emergent:{p.claim_id}") for p in pairs]


def training_examples(fnc: FncSplit, emergent: EmergentSplit | None) -> list[Example]:
    """FNC-1's training pairs and Emergent's training headlines, leaving out any headline
    that the other data set holds out, so no headline is on both sides of either test."""
    if emergent is None:
        return fnc_examples(fnc.train)
    held = emergent.headlines("holdout")
    fnc_train = [p for p in fnc.train if text_key(p.headline) not in held]
    fnc_held = {text_key(p.headline) for p in fnc.holdout}
    return fnc_examples(fnc_train) + emergent_examples(without_headlines(emergent.train, fnc_held))


def featurise(examples: Sequence[Example], workers: int = 2) -> list[dict[str, float]]:
    work = [(e.claim, e.text) for e in examples]
    if workers <= 1:
        return [pair_features(pair) for pair in work]
    with get_context("fork").Pool(workers) as pool:
        return pool.map(pair_features, work, chunksize=200)


def in_validation(group: str) -> bool:
    return zlib.crc32(f"factcheck-validation:{group}".encode()) % 100 < VALIDATION_PERCENT


def sample_weight(group: str) -> float:
    if group.startswith("own:"):
        return OWN_WEIGHT
    return EMERGENT_WEIGHT if group.startswith("emergent:") else 1.0


def own_examples(pairs: Sequence[LabelledPair]) -> list[Example]:
    """The dev part of our own set, grouped by claim; the test part is never trained on."""
    return [
        Example(p.claim, p.text, p.stance, f"own:{claim_key(p.claim)}")
        for p in pairs
        if p.split == "dev"
    ]


def fit(
    x: list[dict[str, float]], y: list[str], strength: float, weights: list[float]
) -> tuple[Any, Callable[[list[dict[str, float]]], list[str]]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    classifier = LogisticRegression(C=strength, class_weight="balanced", max_iter=3000)
    classifier.fit(vectoriser.fit_transform(x), y, sample_weight=weights)

    def predict(rows: list[dict[str, float]]) -> list[str]:
        return [str(label) for label in classifier.predict(vectoriser.transform(rows))]

    return (vectoriser, classifier), predict


def choose_strength(
    x: list[dict[str, float]], y: list[str], groups: list[str], log: Callable[[str], None]
) -> tuple[float, dict[str, Any]]:
    fit_rows = [i for i, g in enumerate(groups) if not in_validation(g)]
    check_rows = [i for i, g in enumerate(groups) if in_validation(g)]
    results = {}
    for strength in STRENGTHS:
        weights = [sample_weight(groups[i]) for i in fit_rows]
        _, predict = fit([x[i] for i in fit_rows], [y[i] for i in fit_rows], strength, weights)
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
    examples: Sequence[Example],
    bodies: Sequence[str],
    log: Callable[[str], None],
    *,
    workers: int = 2,
    idf_path: Path | None = None,
) -> Trained:
    """A model from `examples`, reading passages with an IDF table of `bodies` written to
    `idf_path` (the committed table by default)."""
    table = idf_path or passages.IDF_TABLE
    log(f"IDF table: {write_idf_table(list(bodies), table)} stems from {len(bodies)} bodies")
    with idf_table_at(table):
        x = featurise(examples, workers)
    y = [e.stance for e in examples]
    log(f"Features for {len(x)} pairs")
    strength, validation = choose_strength(x, y, [e.group for e in examples], log)
    fitted, _ = fit(x, y, strength, [sample_weight(e.group) for e in examples])
    about = {
        "trained_on": "FNC-1 training stories and Emergent training claims (split by claim)",
        "pairs": len(x),
        "groups": len({e.group for e in examples}),
        "stances": dict(sorted(Counter(y).items())),
        "strength": strength,
    }
    return Trained(export(fitted, about), validation)


@contextmanager
def idf_table_at(path: Path) -> Iterator[None]:
    """Passages ranked with the table at `path` for the duration (training into a scratch
    folder must not read the committed table)."""
    committed = passages.IDF_TABLE
    passages.IDF_TABLE = path
    idf_table.cache_clear()
    try:
        yield
    finally:
        passages.IDF_TABLE = committed
        idf_table.cache_clear()
