"""`python manage.py evaluate_firmness [--data FILE] [--folds 5] [--json FILE] [--curve]
[--method NAME]`

Firmness against how real stories ended (claims/evaluation.py): 5-fold cross-validation by
claim on a desk's archive (`../shared/emergent/train.jsonl` by default), publishers' track
records learned on four folds and the fifth judged; today's model (before the rework) and
always answering "unknown" beside it; once with the journalists' stances, once with every
label read by the assessor (`--method`, by default as the service reads:
FACTCHECK_ASSESS_METHOD). `make eval` runs it (docs/evaluation.md). `--curve` adds how
precise "confirmed or corroborated" stays as the bar for it is lowered (journalists' stances).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analysis.assessment import METHODS, assess
from claims.evaluation import (
    Case,
    Setup,
    always_unknown,
    automatic,
    cross_validate,
    journalists,
    load_cases,
    tradeoff,
)
from claims.firmness import DEFAULT_RULES, LEGACY_RULES

ARCHIVE = settings.BASE_DIR.parent / "shared" / "emergent" / "train.jsonl"
LEARNED_ON_THE_ARCHIVE = (
    "Note: the stance model was trained on most of Emergent's claims, so on that archive its "
    "automatic labels are flattered; bench/firmness_readers.py reads each claim with a model "
    "that never saw it."
)
COLUMNS = (
    ("accuracy", "accuracy"),
    ("macro_f1", "macro-F1"),
    ("true_precision", "c+c prec."),
    ("true_count", "c+c n"),
    ("true_share", "c+c share"),
    ("refuted_precision", "ref. prec."),
    ("refuted_count", "ref. n"),
)


def setups() -> list[Setup]:
    prior = settings.FACTCHECK_DEFAULT_RELIABILITY
    return [
        Setup("today's model", rules=LEGACY_RULES, prior=prior, weight=None),
        Setup(
            "reworked, with track records",
            rules=DEFAULT_RULES,
            prior=prior,
            weight=settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT,
            unsettled=settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT,
        ),
    ]


def table(rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    head = f"  {'':<32}" + "".join(f"{title:>11}" for _, title in COLUMNS)
    lines = [head]
    for name, scores in rows:
        lines.append(f"  {name:<32}" + "".join(f"{scores[key]:>11}" for key, _ in COLUMNS))
    return lines


class Command(BaseCommand):
    help = "Cross-validate the firmness level against how the archive's claims ended."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--data", default=str(ARCHIVE), help="The archive (JSON lines).")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--json", help="Also write the figures to this file.")
        parser.add_argument(
            "--method",
            choices=METHODS,
            help="How the automatic labels are read (default: FACTCHECK_ASSESS_METHOD).",
        )
        parser.add_argument(
            "--curve",
            action="store_true",
            help="Also the precision of confirmed+corroborated against the share of claims.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["data"])
        if not path.is_file():
            raise CommandError(f"No archive at {path}: firmness is not evaluated.")
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        method = options["method"] or settings.FACTCHECK_ASSESS_METHOD
        if method != "rules":
            self.stdout.write(LEARNED_ON_THE_ARCHIVE)
        cases = load_cases(path, partial(assess, method=method))
        figures: dict[str, Any] = {
            "claims": len(cases),
            "folds": options["folds"],
            "method": method,
        }
        for labels in (journalists, automatic):
            rows = [("always unknown", always_unknown(cases).as_dict())]
            for setup in setups():
                scores = cross_validate(cases, setup, labels, options["folds"])
                rows.append((setup.name, scores.as_dict()))
            figures[labels.__name__] = dict(rows)
            self.stdout.write(f"Firmness on {len(cases)} claims, labels: {labels.__name__}")
            self.stdout.write("\n".join(table(rows)))
        if options["curve"]:
            figures["tradeoff"] = self.curve(cases, options["folds"])
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(figures, indent=2) + "\n")

    def curve(self, cases: list[Case], folds: int) -> list[dict[str, Any]]:
        points = tradeoff(cases, setups()[1], journalists, folds)
        self.stdout.write("Confirmed+corroborated as the bar moves (journalists' stances):")
        self.stdout.write(f"  {'publishers':>10}{'trust':>7}{'claims':>8}{'share':>7}{'prec.':>7}")
        for p in points:
            self.stdout.write(
                f"  {p.groups:>10}{p.trust:>7}{p.count:>8}{p.share:>7}{p.precision:>7.3f}"
            )
        return [asdict(p) for p in points]
