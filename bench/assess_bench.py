"""Assessment benchmark: claim–document pairs per second through `assess()` on one core, on
news-article-length documents, against the bare cost of splitting the same documents into
sentences and words (what any assessor must do at least), measured in the same run.

    .venv/bin/python bench/assess_bench.py [--pairs 500] [--rounds 3] [--method rules]

Documents are FNC-1 bodies of 400–1,000 words with one of their own headlines as the claim,
read at run time from settings.FACTCHECK_FNC1_DIR; without that data, our labelled set's
texts are run together into documents of that length. Writes bench/results/assess.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MIN_WORDS, MAX_WORDS = 400, 1000
WARM_UP = 50
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"\w+")

Pair = tuple[str, str]  # claim, document


def configure() -> None:
    """Settings are read for FACTCHECK_FNC1_DIR only; nothing touches a database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def article_length(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS


def fnc_pairs(directory: Path, count: int) -> list[Pair]:
    """Article-length bodies, each with its headlines in turn, one body after another, so
    that as many different bodies as possible are read."""
    from analysis.assessment.fnc import load_fnc

    headlines: dict[int, list[str]] = defaultdict(list)
    bodies: dict[int, str] = {}
    for pair in load_fnc(directory):
        if article_length(pair.body):
            headlines[pair.body_id].append(pair.headline)
            bodies[pair.body_id] = pair.body
    pairs: list[Pair] = []
    for turn in range(max(map(len, headlines.values()), default=0)):
        for body_id in sorted(headlines):
            if turn < len(headlines[body_id]) and len(pairs) < count:
                pairs.append((headlines[body_id][turn], bodies[body_id]))
    return pairs


def own_set_pairs(count: int) -> list[Pair]:
    """Each labelled claim against its own text followed by the texts after it, up to
    article length: the passage that matters is somewhere in a long document."""
    from analysis.assessment.evaluation import load_own_set

    labelled = load_own_set()
    pairs: list[Pair] = []
    for index, pair in enumerate(labelled[:count]):
        parts, words = [pair.text], len(pair.text.split())
        for other in labelled[index + 1 :] + labelled[:index]:
            if words >= MIN_WORDS or words + len(other.text.split()) > MAX_WORDS:
                break
            parts.append(other.text)
            words += len(other.text.split())
        pairs.append((pair.claim, "\n".join(parts)))
    return [pair for pair in pairs if article_length(pair[1])]


def split_and_tokenise(claim: str, document: str) -> Any:
    """The floor: sentences by punctuation, lower-cased words by a regular expression."""
    claim_words = WORD.findall(claim.lower())
    return claim_words, [WORD.findall(s.lower()) for s in SENTENCE_END.split(document)]


def text_layer(claim: str, document: str) -> Any:
    """The assessor's own first step: its sentence splitter and content stems."""
    from analysis.text import content_stems, split_sentences

    sentences = split_sentences(document)
    return content_stems(claim), [content_stems(s.text) for s in sentences]


def assessor(method: str) -> Callable[[str, str], Any]:
    from analysis.assessment.evaluation import METHODS

    return METHODS[method]()


def forget_everything() -> None:
    """Every cache the assessor keeps, emptied: each pair is timed as a text never read
    before, with words never stemmed before (the slowest case, and a server's usual one
    for a page it has just fetched)."""
    from analysis.assessment.rules import forget_read_texts
    from analysis.text import stem

    forget_read_texts()
    stem.cache_clear()


def timed(work: Callable[[str, str], Any], pairs: Sequence[Pair], rounds: int) -> dict[str, float]:
    """Every pair in every round, timed from cold caches; the figures are over all of those
    times (not each pair's fastest, which would hide what a shared machine really costs)."""
    for claim, document in pairs[:WARM_UP]:  # code paths warm, tables loaded
        work(claim, document)
    took = []
    for _ in range(rounds):
        for claim, document in pairs:
            forget_everything()
            start = time.perf_counter()
            work(claim, document)
            took.append(time.perf_counter() - start)
    mean = statistics.fmean(took)
    return {
        "timings": len(took),
        "mean_ms": round(mean * 1000, 3),
        "median_ms": round(statistics.median(took) * 1000, 3),
        "p95_ms": round(sorted(took)[max(int(len(took) * 0.95) - 1, 0)] * 1000, 3),
        "pairs_per_second": round(1 / mean, 1),
    }


def load_pairs(count: int) -> tuple[str, list[Pair]]:
    from django.conf import settings

    from analysis.assessment.fnc import FncDataMissing

    try:
        return "FNC-1 bodies", fnc_pairs(Path(settings.FACTCHECK_FNC1_DIR), count)
    except FncDataMissing as exc:
        print(f"{exc}; using the labelled set's texts instead")
    try:
        return "labelled set texts", own_set_pairs(count)
    except OSError as exc:
        raise SystemExit(f"No documents to measure: {exc}") from None


def run(count: int, methods: Sequence[str], rounds: int) -> dict[str, Any]:
    source, pairs = load_pairs(count)
    if not pairs:
        raise SystemExit("No article-length documents to measure.")
    words = [len(document.split()) for _, document in pairs]
    results: dict[str, Any] = {
        "split and tokenise": timed(split_and_tokenise, pairs, rounds),
        "text layer": timed(text_layer, pairs, rounds),
    }
    floor = results["split and tokenise"]["mean_ms"]
    for method in methods:
        results[method] = timed(assessor(method), pairs, rounds)
    for figures in results.values():
        figures["ratio"] = round(figures["mean_ms"] / floor, 2)
    documents = {"source": source, "pairs": len(pairs), "median_words": statistics.median(words)}
    return {"documents": documents, "rounds": rounds, "results": results}


def report(body: dict[str, Any]) -> None:
    documents = body["documents"]
    print(
        f"\nOne core; {documents['pairs']} claim–document pairs from {documents['source']} "
        f"({MIN_WORDS}–{MAX_WORDS} words, median {documents['median_words']:.0f}); "
        f"every pair timed from cold caches in each of {body['rounds']} rounds"
    )
    header = ("work", "mean ms", "median", "p95", "pairs/s", "× floor")
    print("{:<20}{:>9}{:>9}{:>9}{:>10}{:>9}".format(*header))
    for name, r in body["results"].items():
        print(
            f"{name:<20}{r['mean_ms']:>9.3f}{r['median_ms']:>9.3f}{r['p95_ms']:>9.3f}"
            f"{r['pairs_per_second']:>10.0f}{r['ratio']:>8.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--method", action="append", help="repeat to compare (default: rules)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})  # one core, as the target says: ms per pair on one core
    configure()
    body = run(args.pairs, args.method or ["rules"], max(args.rounds, 1))
    report(body)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "assess.json").write_text(json.dumps(body, indent=2) + "\n")
    print(f"\nwritten to {RESULTS / 'assess.json'}")


if __name__ == "__main__":
    main()
