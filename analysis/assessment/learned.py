"""The learned stance model: a logistic regression over `features.py`, in plain Python.

The weights live in data/stance_model.json.gz, written by `manage.py train_stance`
(which needs the `train` extra: scikit-learn). Predicting needs nothing but this
module: a sum of a few hundred weights per class, then a softmax.
Certainty is not learned (FNC-1 has no certainty labels): the rules give it, for
the stance the model chose.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.assessment.features import features
from analysis.assessment.reading import Assessment
from analysis.assessment.rules import analyse, judge

MODEL_FILE = Path(__file__).parent / "data" / "stance_model.json.gz"


class ModelMissing(RuntimeError):
    """No trained weights: run `manage.py train_stance`."""


@dataclass(frozen=True)
class StanceModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    about: dict[str, Any]

    def probabilities(self, x: dict[str, float]) -> dict[str, float]:
        scores = list(self.intercept)
        for name, value in x.items():
            row = self.weights.get(name)
            if row is not None:
                for i, weight in enumerate(row):
                    scores[i] += weight * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.classes, exps, strict=True)}

    def as_json(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "weights": {k: list(v) for k, v in self.weights.items()},
            "about": self.about,
        }


def load_model(path: Path = MODEL_FILE) -> StanceModel:
    if not path.exists():
        raise ModelMissing(f"No stance model at {path}: run `manage.py train_stance`.")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    return StanceModel(
        classes=tuple(raw["classes"]),
        intercept=tuple(raw["intercept"]),
        weights={k: tuple(v) for k, v in raw["weights"].items()},
        about=raw.get("about", {}),
    )


@lru_cache(maxsize=1)
def stance_model() -> StanceModel:
    return load_model()


def assess_by_model(claim: str, text: str, model: StanceModel | None = None) -> Assessment:
    """`model` is the committed one unless given (a freshly trained one, in tests)."""
    analysis = analyse(claim, text)
    ruled = judge(analysis)
    probabilities = (model or stance_model()).probabilities(features(analysis, ruled))
    stance = max(probabilities, key=lambda label: probabilities[label])
    judged = judge(analysis, stance=stance, method="model")
    return Assessment(
        judged.stance,
        judged.certainty,
        probabilities[stance],
        judged.passage,
        judged.cues,
        judged.relevance,
        "model",
    )
