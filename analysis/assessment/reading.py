"""What the assessor returns: a reading of a text against a claim, and the cues behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STANCES = ("supports", "refutes", "discusses", "unrelated")
CERTAINTIES = ("certain", "probable", "possible", "unknown")


@dataclass(frozen=True)
class Cue:
    """Words in the passage that drove the judgement."""

    kind: str  # hedge | attribution | confirmation | denial | negation | modality | uncertainty
    text: str  # the words as they stand in the passage
    effect: str = ""  # what the cue did, in plain words

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "effect": self.effect}


@dataclass(frozen=True)
class Assessment:
    stance: str
    certainty: str
    confidence: float  # 0..1: how sure the assessor is of the stance
    passage: str  # the sentence(s) that speak to the claim, as they stand in the text
    cues: tuple[Cue, ...] = field(default_factory=tuple)
    relevance: float = 0.0  # 0..1: share of the claim's informative words the passage covers
    method: str = "rules"

    def as_dict(self) -> dict[str, Any]:
        return {
            "stance": self.stance,
            "certainty": self.certainty,
            "confidence": round(self.confidence, 3),
            "passage": self.passage,
            "cues": [cue.as_dict() for cue in self.cues],
            "relevance": round(self.relevance, 3),
            "method": self.method,
        }
