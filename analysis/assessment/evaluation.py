"""Measuring an assessor: stance and certainty against our own labelled set, stance against
FNC-1's hold-out, trivial baselines on the same pairs, and the speed of each method.

An assessor is measured through a predict function `(claim, text) -> (stance, certainty)`,
so the rules and any learned model are measured side by side by the same code. Pure Python,
no Django: `manage.py evaluate_assessor` prints and stores what this computes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.assessment import METHODS as ASSESS_METHODS
from analysis.assessment.emergent import EMERGENT_STANCES, EmergentPair
from analysis.assessment.fnc import (
    FncPair,
    FncSplit,
    describe_pairs,
    fit_overlap_threshold,
    overlap_stances,
)
from analysis.assessment.metrics import Scores, fnc_weighted_score, score_labels
from analysis.assessment.reading import CERTAINTIES, STANCES

Predict = Callable[[str, str], tuple[str, str]]

OWN_SET_PATH = Path(__file__).resolve().parent / "data" / "labelled.jsonl"
OWN_SET_FIELDS = ("id", "subject", "claim", "text", "stance", "certainty", "split", "note")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class PublishedScore:
    name: str
    weighted_score: float  # percent
    measured_on: str


PUBLISHED_FNC = (
    PublishedScore("official FNC-1 baseline", 79.53, "its own hold-out split"),
    PublishedScore("2017 winner", 82.02, "the competition test set"),
)


@dataclass(frozen=True)
class LabelledPair:
    id: str
    subject: str
    claim: str
    text: str
    stance: str
    certainty: str
    split: str
    note: str = ""


def predictor(method: str) -> Callable[[], Predict]:
    def build() -> Predict:
        from analysis.assessment import assess

        def predict(claim: str, text: str) -> tuple[str, str]:
            assessment = assess(claim, text, method=method)
            return assessment.stance, assessment.certainty

        return predict

    return build


# Each method is built only when asked for, so a method's weights load only when measured.
METHODS: dict[str, Callable[[], Predict]] = {name: predictor(name) for name in ASSESS_METHODS}


def json_object(raw: str, where: str) -> dict[str, Any]:
    """One line of a JSON-lines file as an object; ValueError naming `where` otherwise."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: not JSON ({exc.msg}).") from None
    if not isinstance(row, dict):
        raise ValueError(f"{where}: not a JSON object.")
    return row


def _labelled_pair(raw: str, where: str) -> LabelledPair:
    row = json_object(raw, where)
    missing = [name for name in OWN_SET_FIELDS[:-1] if not isinstance(row.get(name), str)]
    if missing:
        raise ValueError(f"{where}: missing or not text: {', '.join(missing)}.")
    for name, allowed in (("stance", STANCES), ("certainty", CERTAINTIES), ("split", SPLITS)):
        if row[name] not in allowed:
            raise ValueError(f"{where}: {name} {row[name]!r} is not one of {', '.join(allowed)}.")
    return LabelledPair(**{name: str(row.get(name, "")) for name in OWN_SET_FIELDS})


def load_own_set(path: Path = OWN_SET_PATH, *, split: str = "all") -> list[LabelledPair]:
    """The labelled pairs of `split` (dev, test or all), checked line by line."""
    if split not in (*SPLITS, "all"):
        raise ValueError(f"Unknown split {split!r}: use dev, test or all.")
    pairs: list[LabelledPair] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            pair = _labelled_pair(raw, f"{path.name} line {number}")
            if pair.id in seen:
                raise ValueError(f"{path.name} line {number}: id {pair.id!r} appears twice.")
            seen.add(pair.id)
            pairs.append(pair)
    _check_split_by_claim(pairs, path.name)
    return [pair for pair in pairs if split in ("all", pair.split)]


def claim_key(claim: str) -> str:
    return " ".join(claim.lower().split()).rstrip(".")


def _check_split_by_claim(pairs: Sequence[LabelledPair], name: str) -> None:
    """A claim's pairs are all dev or all test: a method tuned on a claim's dev pairs would
    otherwise be measured on the same claim."""
    parts: dict[str, set[str]] = {}
    for pair in pairs:
        parts.setdefault(claim_key(pair.claim), set()).add(pair.split)
    both = sorted(claim for claim, splits in parts.items() if len(splits) > 1)
    if both:
        raise ValueError(f"{name}: {len(both)} claims are in both dev and test, e.g. {both[0]!r}.")


@dataclass(frozen=True)
class Timing:
    pairs: int
    seconds: float
    p95_seconds: float = 0.0  # the 95th percentile of one pair's time

    @property
    def pairs_per_second(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        per_pair = 1000 * self.seconds / self.pairs if self.pairs else 0.0
        return {
            "pairs": self.pairs,
            "pairs_per_second": round(self.pairs_per_second, 1),
            "ms_per_pair": round(per_pair, 3),
            "p95_ms": round(1000 * self.p95_seconds, 3),
        }


def predict_all(
    predict: Predict, pairs: Sequence[tuple[str, str]]
) -> tuple[list[tuple[str, str]], Timing]:
    """Every pair's prediction, and the time the predict function took for each."""
    if pairs:
        predict(*pairs[0])  # untimed: a method's first call may load its tables
    predictions, took = [], []
    for claim, text in pairs:
        start = time.perf_counter()
        predictions.append(predict(claim, text))
        took.append(time.perf_counter() - start)
    p95 = sorted(took)[max(int(len(took) * 0.95) - 1, 0)] if took else 0.0
    return predictions, Timing(len(pairs), sum(took), p95)


@dataclass(frozen=True)
class OwnSetResult:
    part: str  # dev | test | all
    stance: Scores
    certainty: Scores
    timing: Timing

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.stance.total,
            "stance": self.stance.as_dict(),
            "certainty": self.certainty.as_dict(),
            "speed": self.timing.as_dict(),
        }


def evaluate_own_set(pairs: Sequence[LabelledPair], predict: Predict, *, part: str) -> OwnSetResult:
    predictions, timing = predict_all(predict, [(pair.claim, pair.text) for pair in pairs])
    return OwnSetResult(
        part=part,
        stance=score_labels([p.stance for p in pairs], [s for s, _ in predictions], STANCES),
        certainty=score_labels(
            [p.certainty for p in pairs], [c for _, c in predictions], CERTAINTIES
        ),
        timing=timing,
    )


@dataclass(frozen=True)
class FncResult:
    stance: Scores
    weighted_score: float  # percent of the best possible on these pairs
    timing: Timing | None = None  # None for the baselines, which no predict function makes

    @property
    def refutes_f1(self) -> float:
        """F1 of `refutes`, FNC's `disagree`: the rare class the weighted score hardly sees."""
        return self.stance.classes["refutes"].f1

    def as_dict(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "weighted_score": round(self.weighted_score, 2),
            "macro_f1": round(self.stance.macro_f1, 4),
            "refutes_f1": round(self.refutes_f1, 4),
            "stance": self.stance.as_dict(),
        }
        if self.timing is not None:
            figures["speed"] = self.timing.as_dict()
        return figures


def score_fnc(
    gold: Sequence[str], predicted: Sequence[str], timing: Timing | None = None
) -> FncResult:
    return FncResult(
        stance=score_labels(gold, predicted, STANCES),
        weighted_score=fnc_weighted_score(gold, predicted),
        timing=timing,
    )


def evaluate_fnc(pairs: Sequence[FncPair], predict: Predict) -> FncResult:
    """Stance only: FNC-1 labels no certainty."""
    predictions, timing = predict_all(predict, [(pair.headline, pair.body) for pair in pairs])
    return score_fnc([pair.stance for pair in pairs], [s for s, _ in predictions], timing)


def fnc_baselines(split: FncSplit, holdout: Sequence[FncPair]) -> dict[str, FncResult]:
    """What no stance work at all scores on `holdout`. The overlap threshold is fitted on the
    training part only, so the hold-out stays unseen."""
    gold = [pair.stance for pair in holdout]
    threshold = fit_overlap_threshold(split.train)
    return {
        f"word overlap ≥ {threshold:.2f}: discusses, else unrelated": score_fnc(
            gold, overlap_stances(holdout, threshold)
        ),
        "true relatedness, discusses for every related pair": score_fnc(
            gold, ["unrelated" if g == "unrelated" else "discusses" for g in gold]
        ),
        "always unrelated": score_fnc(gold, ["unrelated"] * len(gold)),
    }


def describe_fnc_split(split: FncSplit, holdout: Sequence[FncPair]) -> dict[str, Any]:
    """The split's sizes, and those of the hold-out pairs actually measured (after --limit)."""
    return {**split.describe(), "measured": describe_pairs(holdout)}


@dataclass(frozen=True)
class EmergentResult:
    stance: Scores  # over Emergent's three stances; `unrelated` given counts as wrong
    timing: Timing

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.stance.total,
            "accuracy": round(self.stance.accuracy, 4),
            "macro_f1": round(self.stance.macro_f1, 4),
            "stance": self.stance.as_dict(),
            "speed": self.timing.as_dict(),
        }


def evaluate_emergent(pairs: Sequence[EmergentPair], predict: Predict) -> EmergentResult:
    """Each headline read against its claim, stance only (Emergent labels no certainty)."""
    predictions, timing = predict_all(predict, [(pair.claim, pair.headline) for pair in pairs])
    gold = [pair.stance for pair in pairs]
    given = [stance for stance, _ in predictions]
    full = score_labels(gold, given, STANCES)
    three = {label: full.classes[label] for label in EMERGENT_STANCES}
    macro = sum(scores.f1 for scores in three.values()) / len(three)
    stance = Scores(EMERGENT_STANCES, full.total, full.accuracy, macro, three, full.confusion)
    return EmergentResult(stance, timing)
