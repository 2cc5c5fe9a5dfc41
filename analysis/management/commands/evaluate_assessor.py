"""`python manage.py evaluate_assessor [--set own|fnc|all] [--split dev|test|all]
[--method rules ...] [--limit N] [--json FILE]`

Stance and certainty figures of each assessment method on our own labelled set, and stance
figures on FNC-1's hold-out beside the published scores and trivial baselines; pairs per
second for each. `make eval` runs it and keeps the figures in bench/results/eval.json.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis.assessment.emergent import emergent_file, load_emergent, split_emergent
from analysis.assessment.evaluation import (
    METHODS,
    OWN_SET_PATH,
    PUBLISHED_FNC,
    SPLITS,
    FncResult,
    LabelledPair,
    OwnSetResult,
    Predict,
    Timing,
    describe_fnc_split,
    evaluate_emergent,
    evaluate_fnc,
    evaluate_own_set,
    fnc_baselines,
    load_own_set,
)
from analysis.assessment.fnc import FncDataMissing, FncPair, load_fnc, split_fnc
from analysis.assessment.metrics import Scores

STRONGEST_2017_MACRO_F1 = 0.60
CONFUSION_CORNER = "gold \\ given"


def positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number of at least 1")
    return value


def scores_table(scores: Scores, indent: str = "    ") -> list[str]:
    lines = [f"{indent}{'':<11}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>7}{'given':>7}"]
    for label, c in scores.classes.items():
        lines.append(
            f"{indent}{label:<11}{c.precision:>10.3f}{c.recall:>8.3f}{c.f1:>7.3f}"
            f"{c.support:>7}{c.predicted:>7}"
        )
    return lines


def confusion_table(scores: Scores, indent: str = "    ") -> list[str]:
    width = max(len(label) for label in scores.labels) + 2
    header = "".join(f"{label:>{width}}" for label in scores.labels)
    lines = [f"{indent}{CONFUSION_CORNER:<13}{header}"]
    for gold, row in scores.confusion.items():
        cells = "".join(f"{row[given]:>{width}}" for given in scores.labels)
        lines.append(f"{indent}{gold:<13}{cells}")
    return lines


def speed_line(timing: Timing) -> str:
    figures = timing.as_dict()
    return (
        f"{figures['pairs_per_second']:,.0f} pairs/s ({figures['ms_per_pair']:.2f} ms a pair, "
        f"p95 {figures['p95_ms']:.2f} ms)"
    )


def own_summary_line(part: str, result: OwnSetResult) -> str:
    stance, certainty = result.stance, result.certainty
    return (
        f"  {part} ({stance.total} pairs): stance accuracy {stance.accuracy:.3f}, "
        f"macro-F1 {stance.macro_f1:.3f}; certainty accuracy {certainty.accuracy:.3f}, "
        f"macro-F1 {certainty.macro_f1:.3f}"
    )


def own_detail_lines(part: str, result: OwnSetResult) -> list[str]:
    stance, certainty = result.stance, result.certainty
    return [
        f"  Own set, {part} ({stance.total} pairs)",
        f"  stance: accuracy {stance.accuracy:.3f}, macro-F1 {stance.macro_f1:.3f}",
        *scores_table(stance),
        *confusion_table(stance),
        f"  certainty: accuracy {certainty.accuracy:.3f}, macro-F1 {certainty.macro_f1:.3f}",
        *scores_table(certainty),
        *confusion_table(certainty),
        f"  speed: {speed_line(result.timing)}",
    ]


def fnc_detail_lines(result: FncResult) -> list[str]:
    published = "; ".join(
        f"{p.name} {p.weighted_score:.2f}% on {p.measured_on}" for p in PUBLISHED_FNC
    )
    lines = [
        f"  FNC-1 hold-out ({result.stance.total} pairs)",
        f"  weighted score {result.weighted_score:.2f}%   ({published})",
        f"  macro-F1 over the four stances {result.stance.macro_f1:.3f} (the strongest 2017 "
        f"systems about {STRONGEST_2017_MACRO_F1:.2f}); F1 of refutes (disagree) "
        f"{result.refutes_f1:.3f}",
        *scores_table(result.stance),
        *confusion_table(result.stance),
    ]
    if result.timing is not None:
        lines.append(f"  speed: {speed_line(result.timing)}")
    return lines


def fnc_comparison_lines(rows: dict[str, FncResult]) -> list[str]:
    width = max(len(name) for name in rows) + 2
    lines = [f"  {'':<{width}}{'weighted':>9}{'macro-F1':>10}{'F1 refutes':>12}"]
    lines += [
        f"  {p.name + ' (' + p.measured_on + ')':<{width}}{p.weighted_score:>8.2f}%"
        for p in PUBLISHED_FNC
    ]
    for name, result in rows.items():
        lines.append(
            f"  {name:<{width}}{result.weighted_score:>8.2f}%{result.stance.macro_f1:>10.3f}"
            f"{result.refutes_f1:>12.3f}"
        )
    return lines


class Command(BaseCommand):
    help = (
        "Measure the assessment methods: stance and certainty on our own labelled set, "
        "stance on FNC-1's hold-out beside published scores and trivial baselines, and speed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set",
            dest="which",
            choices=("own", "fnc", "emergent", "all"),
            default="all",
            help="Which data (default all: FNC-1 and Emergent are skipped, with a note, when "
            "they are missing).",
        )
        parser.add_argument(
            "--split",
            choices=(*SPLITS, "all"),
            default="test",
            help="Own set part shown in full (default test, with dev on one line beside it; "
            "dev shows dev alone, for tuning without seeing test).",
        )
        parser.add_argument(
            "--method",
            action="append",
            choices=sorted(METHODS),
            help="Assessment method; repeat to compare several (default: rules).",
        )
        parser.add_argument(
            "--limit", type=positive_int, metavar="N", help="Measure only N FNC-1 pairs."
        )
        parser.add_argument(
            "--json", type=Path, metavar="FILE", help="Also write every figure to FILE."
        )
        parser.add_argument(
            "--labelled",
            type=Path,
            default=OWN_SET_PATH,
            metavar="FILE",
            help="The own labelled set (JSONL; default the committed one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = list(dict.fromkeys(options["method"] or ["rules"]))
        methods = {name: self.built(name) for name in names}
        figures: dict[str, Any] = {"methods": {name: {} for name in names}}
        if options["which"] in ("own", "all"):
            figures["own_set"] = self.own_set(methods, figures["methods"], options)
        if options["which"] in ("fnc", "all"):
            figures["fnc"] = self.fnc(methods, figures["methods"], options)
        if options["which"] in ("emergent", "all"):
            figures["emergent"] = self.emergent(methods, figures["methods"], options)
        if options["json"] is not None:
            self.write_json(options["json"], figures)

    def built(self, name: str) -> Predict:
        try:
            return METHODS[name]()
        except (ImportError, OSError) as exc:
            raise CommandError(f"The method {name!r} cannot be loaded: {exc}") from None

    def own_set(
        self, methods: dict[str, Predict], per_method: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        path, shown = options["labelled"], options["split"]
        pairs = self.own_pairs(path, required=options["which"] == "own")
        if pairs is None:
            return {"path": str(path), "skipped": "no file"}
        parts = {part: [p for p in pairs if part in ("all", p.split)] for part in (*SPLITS, "all")}
        beside = {"test": ["dev"], "dev": [], "all": ["dev", "test"]}[shown]
        for name, predict in methods.items():
            self.stdout.write(f"\n== {name} ==")
            per_method[name]["own"] = self.own_parts(parts, shown, beside, predict)
        counts = {part: len(parts[part]) for part in SPLITS}
        return {"path": str(path), "shown": shown, "pairs": counts}

    def own_pairs(self, path: Path, *, required: bool) -> list[LabelledPair] | None:
        if not path.is_file() and not required:
            self.stdout.write(f"Own set skipped: no labelled set at {path}.")
            return None
        try:
            return load_own_set(path)
        except OSError as exc:
            raise CommandError(f"Cannot read the labelled set at {path}: {exc.strerror}.") from None
        except ValueError as exc:
            raise CommandError(f"Bad labelled set: {exc}") from None

    def own_parts(
        self,
        parts: dict[str, list[LabelledPair]],
        shown: str,
        beside: Sequence[str],
        predict: Predict,
    ) -> dict[str, Any]:
        if not parts[shown]:
            raise CommandError(f"The labelled set has no {shown} pairs.")
        result = evaluate_own_set(parts[shown], predict, part=shown)
        self.stdout.write("\n".join(own_detail_lines(shown, result)))
        figures = {shown: result.as_dict()}
        for part in beside:
            if parts[part]:
                other = evaluate_own_set(parts[part], predict, part=part)
                self.stdout.write(own_summary_line(part, other))
                figures[part] = other.as_dict()
        return figures

    def fnc(
        self, methods: dict[str, Predict], per_method: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        directory = Path(settings.FACTCHECK_FNC1_DIR)
        pairs = self.fnc_pairs(directory, required=options["which"] == "fnc")
        if pairs is None:
            return {"directory": str(directory), "skipped": "no data"}
        split = split_fnc(pairs)
        holdout = split.holdout[: options["limit"]] if options["limit"] else split.holdout
        self.write_split(split.describe(), len(holdout))
        rows: dict[str, FncResult] = {}
        for name, predict in methods.items():
            self.stdout.write(f"\n== {name} on FNC-1 ==")
            rows[name] = evaluate_fnc(holdout, predict)
            self.stdout.write("\n".join(fnc_detail_lines(rows[name])))
            per_method[name]["fnc"] = rows[name].as_dict()
        baselines = fnc_baselines(split, holdout)
        self.stdout.write("\nFNC-1 hold-out: methods, trivial baselines and published scores")
        self.stdout.write("\n".join(fnc_comparison_lines({**rows, **baselines})))
        return {
            "directory": str(directory),
            "split": describe_fnc_split(split, holdout),
            "published": [vars(p) for p in PUBLISHED_FNC],
            "baselines": {name: result.as_dict() for name, result in baselines.items()},
        }

    def fnc_pairs(self, directory: Path, *, required: bool) -> list[FncPair] | None:
        try:
            return load_fnc(directory)
        except FncDataMissing as exc:
            if required:
                raise CommandError(f"{exc}.") from None
            self.stdout.write(f"\nFNC-1 skipped: {exc}.")
            return None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read FNC-1 data in {directory}: {exc}") from None

    def emergent(
        self, methods: dict[str, Predict], per_method: dict[str, Any], options: dict[str, Any]
    ) -> dict[str, Any]:
        path = emergent_file(Path(settings.FACTCHECK_FNC1_DIR))
        if not path.is_file():
            if options["which"] == "emergent":
                raise CommandError(f"Emergent data not found: no {path}.")
            self.stdout.write(f"\nEmergent skipped: no {path}.")
            return {"path": str(path), "skipped": "no data"}
        try:
            split = split_emergent(load_emergent(path))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read Emergent data: {exc}") from None
        self.stdout.write(
            f"\nEmergent hold-out by claim: {len(split.holdout)} headlines of "
            f"{len({p.claim_id for p in split.holdout})} claims (training part "
            f"{len(split.train)} headlines; published anchor 0.733 accuracy)"
        )
        for name, predict in methods.items():
            result = evaluate_emergent(split.holdout, predict)
            self.stdout.write(
                f"  {name}: accuracy {result.stance.accuracy:.3f}, macro-F1 "
                f"{result.stance.macro_f1:.3f}; {speed_line(result.timing)}"
            )
            per_method[name]["emergent"] = result.as_dict()
        return {"path": str(path), "holdout": len(split.holdout), "train": len(split.train)}

    def write_split(self, split: dict[str, Any], measured: int) -> None:
        train, holdout = split["train"], split["holdout"]
        self.stdout.write(
            f"\nFNC-1 split by claim ({split['holdout_percent_of_stories']}% of stories held "
            f"out by a stable hash; no headline or body text on both sides): training part "
            f"{train['pairs']:,} pairs, {train['headlines']:,} headlines, {train['bodies']:,} "
            f"bodies; hold-out {holdout['pairs']:,} pairs, {holdout['headlines']:,} headlines, "
            f"{holdout['bodies']:,} bodies; measured {measured:,} hold-out pairs."
        )

    def write_json(self, path: Path, figures: dict[str, Any]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        self.stdout.write(f"\nFigures written to {path}")
