"""Embedding matching benchmark: the cost of the `.[ml]` extra's index against the lexical index
measured in the same run, and the thresholds each method's scores call for.

    .venv-ml/bin/python bench/match_embedding_bench.py [--claims 1000 --claims 10000]
                                                       [--articles 30]
                                                       [--part speed] [--part thresholds]

Speed: building an index of N claims, and searching it with one ~800-word article (the floor
beside them: the same articles split into sentences and words by regular expressions).
Claims are FNC-1's distinct headlines topped up with claims.datagen's generated claims;
articles are FNC-1 bodies of 700–900 words, read from settings.FACTCHECK_FNC1_DIR, or,
without that data, the labelled set's texts run together to that length. The model's load
(importing torch included) happens once per process and is timed on its own.

Thresholds: every text of analysis/assessment/data/labelled.jsonl is searched against an
index of all its claims; a pair "speaks to" its claim unless labelled unrelated. On the dev
split, `suggest_at` is the threshold with the best F1 and `strong_at` the lowest threshold
above every unrelated pair's score (the rule docs/matching.md gives for both methods); the
test split is measured at the thresholds chosen on dev and at each method's defaults.

Results are printed and written to bench/results/match_embedding.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from itertools import product
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MIN_WORDS, MAX_WORDS = 700, 900
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"\w+")
PARTS = ("speed", "thresholds")
GRID = [step / 100 for step in range(1, 100)]


def configure() -> None:
    """Django is set up for settings and claims.datagen's word lists; no database is touched."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def fnc_corpus() -> tuple[list[str], list[str]]:
    """FNC-1's distinct headlines, and its bodies of article length."""
    from django.conf import settings

    from analysis.assessment.fnc import load_fnc

    pairs = load_fnc(Path(settings.FACTCHECK_FNC1_DIR))
    headlines = sorted({pair.headline for pair in pairs})
    bodies = {pair.body_id: pair.body for pair in pairs}
    articles = [body for _, body in sorted(bodies.items()) if article_length(body)]
    return headlines, articles


def labelled_corpus() -> tuple[list[str], list[str]]:
    """The labelled set's claims, and its texts run together to article length."""
    from analysis.assessment.evaluation import load_own_set

    labelled = load_own_set()
    articles, parts = [], []
    for pair in labelled:
        parts.append(pair.text)
        if len(" ".join(parts).split()) >= MIN_WORDS:
            articles.append("\n".join(parts))
            parts = []
    return sorted({pair.claim for pair in labelled}), [a for a in articles if article_length(a)]


def article_length(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS


def load_corpus() -> tuple[str, list[str], list[str]]:
    from analysis.assessment.fnc import FncDataMissing

    try:
        return ("FNC-1", *fnc_corpus())
    except FncDataMissing as exc:
        print(f"{exc}; using the labelled set instead")
        return ("labelled set", *labelled_corpus())


def claim_texts(real: Sequence[str], count: int) -> list[Any]:
    """`count` distinct claims: the real ones first, then claims.datagen's kind of claim."""
    from analysis.matching import ClaimText
    from claims.demo.generate import ACTIONS, ACTORS, OBJECTS, PLACES

    made = [
        f"{actor.capitalize()} {action} {thing} {place}"
        for actor, action, thing, place in product(ACTORS, ACTIONS, OBJECTS, PLACES)
    ]
    random.Random(1).shuffle(made)
    texts = list(dict.fromkeys([*real[:count], *made]))[:count]
    return [ClaimText(number, text) for number, text in enumerate(texts, start=1)]


def split_and_tokenise(article: str) -> Any:
    """The floor: sentences by punctuation, lower-cased words by a regular expression."""
    return [WORD.findall(sentence.lower()) for sentence in SENTENCE_END.split(article)]


def mean_ms(work: Callable[[str], Any], articles: Sequence[str]) -> float:
    for article in articles[:3]:  # caches filled, code paths warm
        work(article)
    took = []
    for article in articles:
        start = time.perf_counter()
        work(article)
        took.append(time.perf_counter() - start)
    return statistics.fmean(took) * 1000


def time_method(method: str, claims: Sequence[Any], articles: Sequence[str]) -> dict[str, float]:
    from analysis.matching import build_index
    from analysis.matching.embedding import forget_claim_vectors

    forget_claim_vectors()  # the first build embeds every claim
    took = []
    for _ in range(2):  # the second build finds the embedding index's claim vectors cached
        start = time.perf_counter()
        index = build_index(claims, method=method)
        took.append(time.perf_counter() - start)
    return {
        f"{method}_build_s": round(took[0], 3),
        f"{method}_rebuild_s": round(took[1], 3),
        f"{method}_search_ms": round(mean_ms(index.search, articles), 2),
    }


def speed(sizes: Sequence[int], article_count: int) -> dict[str, Any]:
    import torch

    from analysis.matching.embedding import load_model

    source, real_claims, articles = load_corpus()
    articles = articles[:article_count]
    figures: dict[str, Any] = {"corpus": source, "articles": len(articles)}
    start = time.perf_counter()
    load_model()
    figures["model_load_s"] = round(time.perf_counter() - start, 2)
    figures["torch_threads"] = torch.get_num_threads()
    figures["floor_ms"] = round(mean_ms(split_and_tokenise, articles), 2)
    for size in sizes:
        claims = claim_texts(real_claims, size)
        row = time_method("lexical", claims, articles) | time_method("embedding", claims, articles)
        row["build_ratio"] = round(row["embedding_build_s"] / row["lexical_build_s"], 1)
        row["search_ratio"] = round(row["embedding_search_ms"] / row["lexical_search_ms"], 1)
        figures[str(size)] = row
    figures["median_words"] = statistics.median(len(a.split()) for a in articles)
    return figures


def labelled_scores(method: str) -> tuple[dict[str, tuple[list[float], list[bool]]], Any]:
    """Per split, each labelled pair's score for its own claim, and whether the text speaks
    to it; the index holds every distinct claim of the file, as in docs/matching.md."""
    from analysis.assessment.evaluation import load_own_set
    from analysis.matching import ClaimText, build_index

    pairs = load_own_set()
    ids = {text: number for number, text in enumerate(sorted({p.claim for p in pairs}), 1)}
    index = build_index([ClaimText(number, text) for text, number in ids.items()], method=method)
    by_split: dict[str, tuple[list[float], list[bool]]] = {}
    for pair in pairs:
        found = {m.claim_id: m.score for m in index.search(pair.text, limit=len(ids))}
        scores, gold = by_split.setdefault(pair.split, ([], []))
        scores.append(found.get(ids[pair.claim], 0.0))
        gold.append(pair.stance != "unrelated")
    return by_split, index


def at_threshold(scores: Sequence[float], gold: Sequence[bool], threshold: float) -> dict:
    chosen = [score >= threshold for score in scores]
    hits = sum(c and g for c, g in zip(chosen, gold, strict=True))
    precision = hits / sum(chosen) if any(chosen) else 1.0
    recall = hits / sum(gold) if any(gold) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "threshold": threshold,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def choose(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """suggest_at: the best F1 (the lowest such threshold); strong_at: the lowest threshold
    above every unrelated pair's score, so that no higher one lets a false match through."""
    table = [at_threshold(scores, gold, t) for t in GRID]
    suggest = max(table, key=lambda row: (row["f1"], -row["threshold"]))["threshold"]
    highest_unrelated = max((s for s, g in zip(scores, gold, strict=True) if not g), default=0)
    strong = min((t for t in GRID if t > highest_unrelated), default=GRID[-1])
    return suggest, strong


def thresholds() -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for method in ("lexical", "embedding"):
        by_split, index = labelled_scores(method)
        (dev_scores, dev_gold), (test_scores, test_gold) = by_split["dev"], by_split["test"]
        suggest, strong = choose(dev_scores, dev_gold)
        figures[method] = {
            "pairs": {"dev": len(dev_gold), "test": len(test_gold)},
            "speaks_to": {"dev": sum(dev_gold), "test": sum(test_gold)},
            "chosen_on_dev": {"suggest_at": suggest, "strong_at": strong},
            "dev": [at_threshold(dev_scores, dev_gold, t) for t in (suggest, strong)],
            "test": [at_threshold(test_scores, test_gold, t) for t in (suggest, strong)],
            "test at defaults": [
                at_threshold(test_scores, test_gold, t) for t in (index.suggest_at, index.strong_at)
            ],
        }
    return figures


def report_speed(figures: dict[str, Any], sizes: Sequence[int]) -> None:
    print(
        f"\n{figures['articles']} {figures['corpus']} articles (median "
        f"{figures['median_words']:.0f} words); model load {figures['model_load_s']} s; "
        f"torch on {figures['torch_threads']} threads; "
        f"split and tokenise {figures['floor_ms']} ms per article"
    )
    print("{:>8}{:>12}{:>12}{:>8}{:>12}{:>12}{:>12}{:>8}".format(
        "claims", "lex build", "emb build", "×", "emb rebuild", "lex search", "emb search", "×"
    ))  # fmt: skip
    for size in sizes:
        r = figures[str(size)]
        print(
            f"{size:>8}{r['lexical_build_s']:>11.2f}s{r['embedding_build_s']:>11.2f}s"
            f"{r['build_ratio']:>8}{r['embedding_rebuild_s']:>11.2f}s"
            f"{r['lexical_search_ms']:>10.1f}ms{r['embedding_search_ms']:>10.1f}ms"
            f"{r['search_ratio']:>8}"
        )


def report_thresholds(figures: dict[str, Any]) -> None:
    print("\nmethod     split             threshold  precision  recall   F1")
    for method, found in figures.items():
        for split in ("dev", "test", "test at defaults"):
            for row in found[split]:
                print(
                    f"{method:<11}{split:<18}{row['threshold']:>9.2f}{row['precision']:>11.3f}"
                    f"{row['recall']:>8.3f}{row['f1']:>7.3f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, action="append", help="index sizes (1000, 10000)")
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument(
        "--part", choices=PARTS, action="append", help="speed, thresholds (default: both)"
    )
    args = parser.parse_args()
    sizes, parts = args.claims or [1000, 10_000], args.part or PARTS
    configure()
    body: dict[str, Any] = {}
    if "speed" in parts:
        body["speed"] = speed(sizes, args.articles)
        report_speed(body["speed"], sizes)
    if "thresholds" in parts:
        body["thresholds"] = thresholds()
        report_thresholds(body["thresholds"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "match_embedding.json").write_text(json.dumps(body, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'match_embedding.json'}")


if __name__ == "__main__":
    main()
