"""bench/assess_bench.py times what a server pays: cold caches, every round counted."""

from __future__ import annotations

import time

from analysis.assessment.rules import read
from analysis.text import stem
from bench.assess_bench import timed

PAIRS = [("Chery will build cars", f"Document {n} about Chery and its cars.") for n in range(4)]


def test_every_pair_is_timed_with_the_stem_and_text_caches_empty() -> None:
    seen: list[tuple[int, int]] = []

    def work(claim: str, document: str) -> None:
        seen.append((stem.cache_info().currsize, read.cache_info().currsize))
        stem("warming")
        read(document)

    timed(work, PAIRS, rounds=2)
    timed_calls = seen[len(PAIRS) :]  # after the warm-up, which fills them on purpose
    assert len(timed_calls) == 2 * len(PAIRS)
    assert set(timed_calls) == {(0, 0)}


def test_every_round_counts_not_only_each_pairs_fastest() -> None:
    calls = {"n": 0}

    def slower_in_the_second_round(claim: str, document: str) -> None:
        calls["n"] += 1
        if calls["n"] > 2 * len(PAIRS):  # warm-up and first round are instant
            time.sleep(0.01)

    figures = timed(slower_in_the_second_round, PAIRS, rounds=2)
    assert figures["timings"] == 2 * len(PAIRS)
    assert figures["mean_ms"] >= 4.0
