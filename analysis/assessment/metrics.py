"""Scores for labelled predictions: accuracy, per-class precision/recall/F1, macro-F1, the
confusion matrix, and the Fake News Challenge's weighted score.

Pure Python: the default install has no numpy or scikit-learn, and these are a few sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# FNC-1's scorer gives 0.25 for telling related from unrelated and 0.75 more for the exact
# related label; an unrelated pair can only earn the first 0.25.
FNC_RELATED_CREDIT = 0.25
FNC_EXACT_CREDIT = 0.75


@dataclass(frozen=True)
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold pairs with this label
    predicted: int  # pairs given this label

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "predicted": self.predicted,
        }


@dataclass(frozen=True)
class Scores:
    labels: tuple[str, ...]
    total: int
    accuracy: float
    macro_f1: float  # unweighted mean of the per-class F1 over `labels`
    classes: dict[str, ClassScores]
    confusion: dict[str, dict[str, int]]  # confusion[gold][predicted]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "classes": {label: scores.as_dict() for label, scores in self.classes.items()},
            "confusion": self.confusion,
        }


def _ratio(part: int, whole: int) -> float:
    # A class never predicted (or never present) scores 0 rather than dividing by zero.
    return part / whole if whole else 0.0


def _class_scores(label: str, confusion: dict[str, dict[str, int]]) -> ClassScores:
    hits = confusion[label][label]
    support = sum(confusion[label].values())
    predicted = sum(row[label] for row in confusion.values())
    precision, recall = _ratio(hits, predicted), _ratio(hits, support)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassScores(label, precision, recall, f1, support, predicted)


def score_labels(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Scores:
    """Compare predictions with gold labels; every label in either list must be in `labels`."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions.")
    unknown = (set(gold) | set(predicted)) - set(labels)
    if unknown:
        raise ValueError(f"Labels outside {list(labels)}: {sorted(unknown)}.")
    counts = Counter(zip(gold, predicted, strict=True))
    confusion = {g: {p: counts[(g, p)] for p in labels} for g in labels}
    classes = {label: _class_scores(label, confusion) for label in labels}
    hits = sum(confusion[label][label] for label in labels)
    return Scores(
        labels=tuple(labels),
        total=len(gold),
        accuracy=_ratio(hits, len(gold)),
        macro_f1=sum(c.f1 for c in classes.values()) / len(labels) if labels else 0.0,
        classes=classes,
        confusion=confusion,
    )


def fnc_pair_credit(gold: str, predicted: str, *, unrelated: str = "unrelated") -> float:
    """What FNC-1's official scorer gives one pair."""
    credit = 0.0
    if (gold == unrelated) == (predicted == unrelated):
        credit += FNC_RELATED_CREDIT
    if gold != unrelated and predicted == gold:
        credit += FNC_EXACT_CREDIT
    return credit


def fnc_weighted_score(
    gold: Sequence[str], predicted: Sequence[str], *, unrelated: str = "unrelated"
) -> float:
    """FNC-1's weighted score as a percentage of the best possible score on these pairs."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions.")
    best = sum(fnc_pair_credit(g, g, unrelated=unrelated) for g in gold)
    got = sum(
        fnc_pair_credit(g, p, unrelated=unrelated) for g, p in zip(gold, predicted, strict=True)
    )
    return 100 * got / best if best else 0.0
