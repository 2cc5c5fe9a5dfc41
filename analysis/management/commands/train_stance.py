"""`python manage.py train_stance [--out DIR] [--emergent FILE]`: retrain the stance model and
the IDF table from FNC-1's training stories and Emergent's training claims.

Needs the `train` extra (`pip install -e '.[train]'`) and the FNC-1 training data in
FACTCHECK_FNC1_DIR; Emergent's train.jsonl is read from beside it when it is there. Writes
idf.json.gz and stance_model.json.gz into DIR (default analysis/assessment/data: commit
both). Evaluation (`make eval`) then compares the model with the rules.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.assessment.emergent import (
    EmergentSplit,
    emergent_file,
    load_emergent,
    split_emergent,
)
from analysis.assessment.evaluation import load_own_set
from analysis.assessment.fnc import FncDataMissing, load_fnc, split_fnc
from analysis.assessment.learned import MODEL_FILE
from analysis.assessment.passages import IDF_TABLE


class Command(BaseCommand):
    help = "Retrain the stance model and the IDF table from FNC-1 and Emergent training data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, default=MODEL_FILE.parent, metavar="DIR",
            help="Where to write idf.json.gz and stance_model.json.gz (default: the committed).",
        )  # fmt: skip
        parser.add_argument(
            "--emergent", type=Path, default=None, metavar="FILE",
            help="Emergent's train.jsonl (default: emergent/train.jsonl beside the FNC-1 folder).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if importlib.util.find_spec("sklearn") is None:
            raise CommandError("Training needs scikit-learn: pip install -e '.[train]'")
        from analysis.assessment.training import own_examples, save, train, training_examples

        try:
            fnc = split_fnc(load_fnc(settings.FACTCHECK_FNC1_DIR))
        except (FncDataMissing, ValueError) as exc:
            raise CommandError(str(exc)) from None
        emergent = self.emergent(options["emergent"])
        examples = training_examples(fnc, emergent) + own_examples(load_own_set(split="dev"))
        self.stdout.write(f"Training on {len(examples)} pairs; {len(fnc.holdout)} held out.")
        out: Path = options["out"]
        if not out.is_dir():
            raise CommandError(f"No such folder: {out}")
        bodies = sorted({p.body for p in fnc.train})
        trained = train(examples, bodies, self.stdout.write, idf_path=out / IDF_TABLE.name)
        save(trained.model, out / MODEL_FILE.name)
        chosen = trained.validation["chosen"]
        self.stdout.write(
            f"Saved {len(trained.model.weights)} features × {len(trained.model.classes)} classes "
            f"to {out}; strength {chosen}, validation macro-F1 "
            f"{trained.validation['macro_f1_by_strength'][chosen]:.4f}"
        )

    def emergent(self, path: Path | None) -> EmergentSplit | None:
        path = path or emergent_file(Path(settings.FACTCHECK_FNC1_DIR))
        if not path.is_file():
            self.stdout.write(f"Emergent skipped: no {path}.")
            return None
        try:
            return split_emergent(load_emergent(path))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read Emergent data: {exc}") from None
