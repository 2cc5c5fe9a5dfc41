"""Firmness with every label read automatically, by each reader, the learned ones out of fold.

    .venv/bin/python bench/firmness_readers.py [--method rules --method model]

`manage.py evaluate_firmness` judges the firmness level on Emergent's archive of 240 claims.
The committed stance model was trained on 198 of those claims' headlines, so reading the
archive with it would flatter the learned readers. Here every claim's headlines are read by
a model that never saw that claim: five models, each trained as `train_stance` trains (FNC-1's
training stories, our dev set, Emergent's training claims) without the claims of one fold,
with the committed model's strength. The firmness figures are then cross-validated exactly
as `evaluate_firmness` does. The rules learn nothing, so their figures are the command's.

Needs the `train` extra and the FNC-1 and Emergent data; about ten minutes on two cores.
Writes bench/results/firmness_readers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FOLDS = 5


def configure() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def fold_of(claim_id: str) -> int:
    return zlib.crc32(f"firmness-readers:{claim_id}".encode()) % FOLDS


def fold_models() -> list[Any]:
    """One stance model per fold, trained without that fold's Emergent claims."""
    from django.conf import settings

    from analysis.assessment import training
    from analysis.assessment.emergent import emergent_file, load_emergent, split_emergent
    from analysis.assessment.evaluation import load_own_set
    from analysis.assessment.fnc import load_fnc, split_fnc
    from analysis.assessment.learned import stance_model

    fnc = split_fnc(load_fnc(settings.FACTCHECK_FNC1_DIR))
    emergent = split_emergent(load_emergent(emergent_file(Path(settings.FACTCHECK_FNC1_DIR))))
    examples = training.training_examples(fnc, emergent)
    examples += training.own_examples(load_own_set(split="dev"))
    print(f"features for {len(examples)} training pairs…", flush=True)
    x = training.featurise(examples)
    strength = stance_model().about["strength"]
    models = []
    for fold in range(FOLDS):
        kept = [i for i, e in enumerate(examples) if not _in_fold(e.group, fold)]
        fitted, _ = training.fit(
            [x[i] for i in kept],
            [examples[i].stance for i in kept],
            strength,
            [training.sample_weight(examples[i].group) for i in kept],
        )
        models.append(training.export(fitted, {"fold": fold}))
        print(f"  fold {fold}: trained on {len(kept)} pairs", flush=True)
    return models


def _in_fold(group: str, fold: int) -> bool:
    return group.startswith("emergent:") and fold_of(group.removeprefix("emergent:")) == fold


def reader(method: str, models: list[Any], fold_of_claim: dict[str, int]) -> Callable[..., Any]:
    from analysis.assessment import assess
    from analysis.assessment.learned import assess_by_model

    if method == "rules":
        return lambda claim, text: assess(claim, text, method=method)
    return lambda claim, text: assess_by_model(claim, text, models[fold_of_claim[claim]])


def figures(method: str, read: Callable[..., Any], archive: Path) -> dict[str, Any]:
    from claims.evaluation import automatic, cross_validate, load_cases
    from claims.management.commands.evaluate_firmness import setups

    cases = load_cases(archive, read)
    return {setup.name: cross_validate(cases, setup, automatic).as_dict() for setup in setups()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", action="append", choices=("rules", "model"))
    methods = parser.parse_args().method or ["rules", "model"]
    configure()
    from claims.management.commands.evaluate_firmness import ARCHIVE, table

    if not ARCHIVE.is_file():
        parser.exit(2, f"firmness_readers: no archive at {ARCHIVE}: nothing to measure\n")

    claims = [json.loads(line) for line in ARCHIVE.read_text(encoding="utf-8").splitlines() if line]
    fold_of_claim = {claim["text"]: fold_of(str(claim["id"])) for claim in claims}
    models = fold_models() if set(methods) - {"rules"} else []
    results = {}
    for method in methods:
        results[method] = figures(method, reader(method, models, fold_of_claim), ARCHIVE)
    rows = [(method, results[method]["reworked, with track records"]) for method in methods]
    print("\n".join(table(rows)))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "firmness_readers.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
