"""How many claims any score of their evidence can call true at 0.80: issue 11's ceiling.

    .venv/bin/python bench/firmness_ceiling.py [--data FILE]

Issue 11 asks the firmness level to call at least 15% of the archive's claims confirmed or
corroborated, at a precision of 0.80. The level reaches 0.80 over 10.4%. This measures
whether anything in the archive's evidence could do better: each claim is scored by models
*learned* to tell true claims from the rest, out of fold (the folds of `evaluate_firmness`),
and the judged claims, ranked by score, are read at the top 10%, 12.5%, … 25%.

- **evidence**: logistic regression and gradient-boosted trees over counts of the
  publishers for, against and observing; their learned reliabilities (track records learned
  on the other folds, each training claim's own word left out); firm support; and the
  firmness score, support and refutation;
- **headline words**: logistic regression over the words of every headline, each marked
  with its stance;
- **both**;
- **in sample** (optimistic bound): the evidence model fitted on all claims and read on the
  same claims.

The thresholds of each ranking are not chosen inside the folds, which flatters these rows:
they are a ceiling, not a method. Journalists' stances; needs the `train` extra (in `dev`).
Writes bench/results/firmness_ceiling.json; about a minute.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SHARES = (0.10, 0.125, 0.15, 0.175, 0.20, 0.25)
TRUSTED = 0.6  # the reliability a confirming publisher must have (claims.firmness_input)


def configure() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def evidence_features(case: Any, records: dict[Any, Any], setup: Any) -> list[float]:
    """What the firmness level sees of a claim, as numbers."""
    from claims.evaluation import inputs_of, journalists
    from claims.firmness import firmness_of

    items = inputs_of(case, journalists, records, setup)
    by_stance: dict[str, dict[str, float]] = {"supports": {}, "refutes": {}, "discusses": {}}
    firm = set()
    for item in items:
        by_stance.setdefault(item.stance, {})[item.publisher] = item.reliability
        if item.stance == "supports" and item.certainty == "certain":
            firm.add(item.publisher)
    support, refutation = by_stance["supports"], by_stance["refutes"]
    result = firmness_of(items, setup.rules)
    return [
        math.log1p(len(items)),
        math.log1p(len(support)),
        math.log1p(len(refutation)),
        math.log1p(len(by_stance["discusses"])),
        len(support) / max(len(items), 1),
        sum(support.values()) - sum(refutation.values()),
        max(support.values(), default=0.0),
        sum(r >= TRUSTED for r in support.values()),
        sum(support[p] >= TRUSTED for p in firm),
        result.score / 100,
        result.support,
        result.refutation,
    ]


def headline_words(case: Any) -> str:
    return " ".join(f"{piece.stance}__ {piece.text}" for piece in case.journalists)


def features_of(cases: Sequence[Any], learned_on: Sequence[Any], setup: Any) -> list[list[float]]:
    """Each case's features, with records learned on `learned_on`, less the case's own
    words where it is among them (no claim is judged by its own verdict)."""
    from claims.evaluation import journalists, records_from, records_without

    records = records_from(learned_on, journalists)
    among = {case.id for case in learned_on}
    return [
        evidence_features(
            case,
            records_without(records, case, journalists) if case.id in among else records,
            setup,
        )
        for case in cases
    ]


Fit = Callable[[Any, Any, Any], Any]  # (train x, train y, judged x) → scores


def logistic(x_train: Any, y_train: Any, x_judged: Any) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
    return model.fit(x_train, y_train).predict_proba(x_judged)[:, 1]


def trees(x_train: Any, y_train: Any, x_judged: Any) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_depth=3, max_iter=100, class_weight="balanced")
    return model.fit(x_train, y_train).predict_proba(x_judged)[:, 1]


def words(train: list[str], y_train: Any, judged: list[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(C=3, class_weight="balanced", max_iter=2000)
    model.fit(vectoriser.fit_transform(train), y_train)
    return model.predict_proba(vectoriser.transform(judged))[:, 1]


def out_of_fold(cases: Sequence[Any], setup: Any) -> dict[str, dict[str, float]]:
    """Every score, each fold judged by what was learned on the other four."""
    import numpy as np

    from claims.evaluation import folds_of

    scored: dict[str, dict[str, float]] = {}
    folds = folds_of(cases)
    for fold in folds:
        train = [case for other in folds if other is not fold for case in other]
        y = np.array([case.truth == "true" for case in train])
        x_train, x_judged = features_of(train, train, setup), features_of(fold, train, setup)
        text = words([headline_words(c) for c in train], y, [headline_words(c) for c in fold])
        evidence = logistic(x_train, y, x_judged)
        rows = {"evidence (regression)": evidence, "evidence (trees)": trees(x_train, y, x_judged)}
        rows |= {"headline words": text, "both": (evidence + text) / 2}
        for name, scores in rows.items():
            scored.setdefault(name, {}).update(zip((c.id for c in fold), scores, strict=True))
    return scored


def in_sample(cases: Sequence[Any], setup: Any) -> dict[str, float]:
    import numpy as np

    x = features_of(cases, cases, setup)
    y = np.array([case.truth == "true" for case in cases])
    return dict(zip((c.id for c in cases), logistic(x, y, x), strict=True))


def precision_at(cases: Sequence[Any], scores: dict[str, float]) -> dict[str, float]:
    truth = {case.id: case.truth == "true" for case in cases}
    ranked = sorted(scores, key=lambda claim: -scores[claim])
    top = {share: ranked[: round(share * len(ranked))] for share in SHARES}
    return {
        f"{share:.1%}": round(sum(truth[c] for c in ids) / len(ids), 3)
        for share, ids in top.items()
    }


def level_row(cases: Sequence[Any], setup: Any) -> str:
    from claims.evaluation import cross_validate, journalists

    precision, count = cross_validate(cases, setup, journalists).said("true")
    return f"{precision:.3f} over {count} claims ({count / len(cases):.1%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path)
    configure()
    from claims.evaluation import load_cases
    from claims.management.commands.evaluate_firmness import ARCHIVE, setups

    archive = parser.parse_args().data or ARCHIVE
    if not archive.is_file():
        parser.exit(2, f"firmness_ceiling: no archive at {archive}: nothing to measure\n")
    cases = load_cases(archive)
    setup = next(s for s in setups() if s.name == "reworked, with track records")
    rows = out_of_fold(cases, setup) | {"evidence, in sample (optimistic)": in_sample(cases, setup)}
    results = {name: precision_at(cases, scores) for name, scores in rows.items()}
    print(f"{len(cases)} claims, {sum(c.truth == 'true' for c in cases)} true")
    print(f"firmness level, confirmed+corroborated: {level_row(cases, setup)}")
    print("precision of the top claims by score:")
    print("| score | " + " | ".join(f"{s:.1%}" for s in SHARES) + " |")
    for name, figures in results.items():
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in figures.values()) + " |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "firmness_ceiling.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
