"""The matching interface every method implements: claims in, matches out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ClaimText:
    id: int
    text: str


@dataclass(frozen=True)
class Match:
    claim_id: int
    score: float  # 0..1
    passage: str  # the document's sentence(s) that matched


class ClaimIndex(Protocol):
    method: str
    suggest_at: float
    strong_at: float

    def search(self, text: str, *, limit: int = 10, min_score: float = 0.0) -> list[Match]:
        """Claims the text speaks to, best first, with scores of at least `min_score`."""
        ...
