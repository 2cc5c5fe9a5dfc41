"""`python manage.py train_stance`: retrain the stance model and the IDF table from FNC-1.

Needs the `train` extra (`pip install -e '.[train]'`) and the FNC-1 training data in
FACTCHECK_FNC1_DIR. Writes analysis/assessment/data/idf.json.gz and stance_model.json.gz;
commit both. Evaluation (`make eval`) then compares the model with the rules.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analysis.assessment.fnc import FncDataMissing, load_fnc, split_fnc


class Command(BaseCommand):
    help = "Retrain the stance model and the IDF table from FNC-1's training bodies."

    def handle(self, *args: Any, **options: Any) -> None:
        if importlib.util.find_spec("sklearn") is None:
            raise CommandError("Training needs scikit-learn: pip install -e '.[train]'")
        from analysis.assessment.training import save, train

        try:
            pairs = load_fnc(settings.FACTCHECK_FNC1_DIR)
        except (FncDataMissing, ValueError) as exc:
            raise CommandError(str(exc)) from None
        split = split_fnc(pairs)
        self.stdout.write(f"Training on {len(split.train)} pairs; {len(split.holdout)} held out.")
        trained = train(split.train, self.stdout.write)
        save(trained.model)
        self.stdout.write(
            f"Saved {len(trained.model.weights)} features × {len(trained.model.classes)} classes; "
            f"strength {trained.validation['chosen']}, validation macro-F1 "
            f"{trained.validation['macro_f1_by_strength'][trained.validation['chosen']]:.4f}"
        )
