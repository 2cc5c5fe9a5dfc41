"""Which sentences of a document speak to a claim: BM25 to rank, weighted coverage to judge.

BM25 ranks the document's sentences with the claim as the query. The IDF comes
from a table of word frequencies over news bodies (data/idf.json.gz, built by
scripts/train_stance.py), not from the document's own few dozen sentences, where a
claim's key word that appears everywhere would count for nothing.

Relevance is the share of the claim's informative words, weighted by IDF, that the
passage contains: 1.0 when every word is there, whatever the passage's length.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.text import Sentence, claim_terms, content_stems, covered_terms

IDF_TABLE = Path(__file__).parent / "data" / "idf.json.gz"
K1 = 1.2
B = 0.75
# A neighbouring sentence joins the passage when it adds this much coverage.
WIDEN_GAIN = 0.15


@dataclass(frozen=True)
class Idf:
    documents: int
    frequencies: dict[str, int]

    def __call__(self, stem: str) -> float:
        df = self.frequencies.get(stem, 0)
        return math.log((self.documents + 1) / (df + 0.5))


@lru_cache(maxsize=1)
def idf_table() -> Idf:
    if not IDF_TABLE.exists():
        return Idf(documents=1, frequencies={})
    with gzip.open(IDF_TABLE, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    return Idf(documents=int(raw["documents"]), frequencies=raw["frequencies"])


@dataclass(frozen=True)
class Query:
    """A claim as the passage finder sees it: its informative stems and their weights."""

    weights: dict[str, float]
    # Initials that stand for some of the claim's words: a text that says "JLR" covers
    # "Jaguar Land Rover".
    aliases: dict[str, tuple[str, ...]]

    @classmethod
    def from_text(cls, claim: str) -> Query:
        idf = idf_table()
        stems, names = claim_terms(claim)
        return cls({s: max(idf(s), 0.1) for s in dict.fromkeys(stems)}, names)

    @property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0

    def coverage(self, stems: set[str]) -> float:
        covered = covered_terms(self.weights.keys(), self.aliases.items(), stems)
        return min(1.0, sum(self.weights[s] for s in covered) / self.total)


@dataclass(frozen=True)
class Passage:
    sentences: tuple[Sentence, ...]
    bm25: float
    coverage: float

    def text(self, document: str) -> str:
        return document[self.sentences[0].start : self.sentences[-1].end]


@dataclass(frozen=True)
class Reading:
    """A document split and stemmed once, for every claim asked of it."""

    text: str
    sentences: tuple[Sentence, ...]
    stems: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, text: str, sentences: Sequence[Sentence]) -> Reading:
        return cls(text, tuple(sentences), tuple(tuple(content_stems(s.text)) for s in sentences))

    def coverage(self, query: Query) -> float:
        return query.coverage({s for stems in self.stems for s in stems})


def bm25_scores(query: Query, reading: Reading) -> list[float]:
    if not reading.stems:
        return []
    average = sum(len(s) for s in reading.stems) / len(reading.stems) or 1.0
    scores = []
    for stems in reading.stems:
        counts = Counter(stems)
        norm = K1 * (1 - B + B * len(stems) / average)
        scores.append(
            sum(
                weight * counts[s] * (K1 + 1) / (counts[s] + norm)
                for s, weight in query.weights.items()
                if s in counts
            )
        )
    return scores


def best_passage(query: Query, reading: Reading, scores: Sequence[float]) -> Passage | None:
    """The best sentence by its BM25 score, widened to a neighbour when that covers more of
    the claim."""
    if not scores or max(scores) <= 0:
        return None
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    chosen = [best]
    covered = query.coverage(set(reading.stems[best]))
    for neighbour in (best - 1, best + 1):
        if 0 <= neighbour < len(scores) and len(chosen) == 1:
            joined = query.coverage(set(reading.stems[best]) | set(reading.stems[neighbour]))
            if joined - covered >= WIDEN_GAIN:
                chosen, covered = sorted([best, neighbour]), joined
    return Passage(
        sentences=tuple(reading.sentences[i] for i in chosen),
        bm25=scores[best],
        coverage=covered,
    )


def ranked_sentences(scores: Sequence[float]) -> list[int]:
    """Indexes of the sentences with a positive BM25 score, best first."""
    return sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: (-scores[i], i))
