"""Link offers against labelled pairs: precision and recall of the offers a body would get.

    .venv/bin/python bench/link_offers_bench.py [--method rules --method model]

Claims are FNC-1's held-out headlines (split by claim, analysis.assessment.fnc); each
held-out body is searched against all of them as a new source version would be. An offer
is a strong lexical match (the service's threshold) that the assessor does not read as
unrelated. Gold: a headline and body FNC-1 labels related; a headline of another story is
unrelated; pairs within one story that FNC-1 never labelled are left out. Words alone
(no assessor) are measured beside it. Writes bench/results/link_offers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def configure() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def gold_pairs(holdout: list[Any]) -> tuple[dict[tuple[str, str], bool], dict[str, str]]:
    """Related or not for every labelled (headline, body) pair, and each body's text."""
    from analysis.assessment.fnc import story_keys, text_key

    stories = dict(zip((text_key(p.body) for p in holdout), story_keys(holdout), strict=True))
    headline_story = {
        text_key(p.headline): stories[text_key(p.body)] for p in holdout if p.stance != "unrelated"
    }
    gold: dict[tuple[str, str], bool] = {}
    bodies = {text_key(p.body): p.body for p in holdout}
    for headline, story in headline_story.items():
        for body in bodies:
            if stories[body] != story:
                gold[(headline, body)] = False
    for p in holdout:
        if p.stance != "unrelated":
            gold[(text_key(p.headline), text_key(p.body))] = True
    return gold, bodies


def scores(offered: set[tuple[str, str]], gold: dict[tuple[str, str], bool]) -> dict[str, Any]:
    judged = {pair for pair in offered if pair in gold}
    right = sum(gold[pair] for pair in judged)
    related = sum(gold.values())
    return {
        "offers": len(judged),
        "precision": round(right / len(judged), 3) if judged else 0.0,
        "recall": round(right / related, 3) if related else 0.0,
    }


def run(methods: list[str]) -> dict[str, Any]:
    from django.conf import settings

    from analysis.assessment import assess
    from analysis.assessment.fnc import load_fnc, split_fnc, text_key
    from analysis.matching import ClaimText, build_index

    holdout = split_fnc(load_fnc(Path(settings.FACTCHECK_FNC1_DIR))).holdout
    gold, bodies = gold_pairs(holdout)
    headlines = sorted({h for h, _ in gold})
    originals = {text_key(p.headline): p.headline for p in holdout}
    index = build_index([ClaimText(i, originals[h]) for i, h in enumerate(headlines)])
    strong: set[tuple[str, str]] = set()
    for key, body in bodies.items():
        for match in index.search(body, limit=20, min_score=index.strong_at):
            strong.add((headlines[match.claim_id], key))
    results = {"words alone": scores(strong, gold)}
    for method in methods:
        kept = {
            (h, b)
            for h, b in strong
            if assess(originals[h], bodies[b], method=method).stance != "unrelated"
        }
        results[f"words + {method} assessor"] = scores(kept, gold)
    return {"claims": len(headlines), "bodies": len(bodies), "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--method", action="append", help="repeat to compare (default: rules)")
    args = parser.parse_args()
    configure()
    body = run(args.method or ["rules"])
    print(f"{body['claims']} claims, {body['bodies']} bodies (FNC-1 hold-out by claim)")
    for name, figures in body["results"].items():
        print(
            f"{name:<26} offers {figures['offers']:>5}  precision {figures['precision']:.3f}"
            f"  recall {figures['recall']:.3f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "link_offers.json").write_text(json.dumps(body, indent=2) + "\n")


if __name__ == "__main__":
    main()
