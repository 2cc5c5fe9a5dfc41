"""Emergent (Ferreira & Vlachos, 2016): real news headlines read against the claim they
report on, labelled supports, refutes or discusses (`observing`), and its split by claim.

Read from `train.jsonl` beside the FNC-1 folder (`../shared/emergent/`), never copied into
the repository. Each line is one claim with its `evidence`: headlines (`title`) and stance.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.assessment.fnc import is_held_out, text_key

EMERGENT_STANCES = ("supports", "refutes", "discusses")


@dataclass(frozen=True)
class EmergentPair:
    claim_id: str
    claim: str
    headline: str
    stance: str


@dataclass
class EmergentSplit:
    train: list[EmergentPair] = field(default_factory=list)
    holdout: list[EmergentPair] = field(default_factory=list)
    dropped: list[EmergentPair] = field(
        default_factory=list
    )  # held-out copies of training headlines

    def headlines(self, part: str) -> set[str]:
        return {text_key(pair.headline) for pair in getattr(self, part)}


def emergent_file(fnc_directory: Path) -> Path:
    """Where Emergent's training file stands: beside the FNC-1 folder."""
    return fnc_directory.parent / "emergent" / "train.jsonl"


def load_emergent(path: Path) -> list[EmergentPair]:
    """Every headline with its claim; ValueError naming the line when one is malformed."""
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                pairs.extend(_claim_pairs(raw, f"{path.name} line {number}"))
    return pairs


def _claim_pairs(raw: str, where: str) -> list[EmergentPair]:
    try:
        row = json.loads(raw)
        pairs = [
            EmergentPair(str(row["id"]), row["text"], item["title"], item["stance"])
            for item in row["evidence"]
        ]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{where}: not a claim with evidence ({exc}).") from None
    unknown = {pair.stance for pair in pairs} - set(EMERGENT_STANCES)
    if unknown:
        raise ValueError(f"{where}: unknown stance {sorted(unknown)[0]!r}.")
    return pairs


def split_emergent(pairs: Iterable[EmergentPair]) -> EmergentSplit:
    """By claim, with the same stable hash as FNC-1's stories: all of a claim's headlines
    are held out, or none; and no headline's text is on both sides."""
    split = EmergentSplit()
    for pair in pairs:
        (split.holdout if is_held_out(f"emergent:{pair.claim_id}") else split.train).append(pair)
    # One headline can be filed under two rumours. Leaving the held-out copy out (not the
    # training one) keeps the hold-out unseen by a model already trained on this split.
    trained = {text_key(pair.headline) for pair in split.train}
    split.dropped = [pair for pair in split.holdout if text_key(pair.headline) in trained]
    split.holdout = [pair for pair in split.holdout if text_key(pair.headline) not in trained]
    return split


def without_headlines(pairs: Sequence[EmergentPair], headlines: set[str]) -> list[EmergentPair]:
    """The pairs whose headline is not among `headlines` (the other data set's hold-out)."""
    return [pair for pair in pairs if text_key(pair.headline) not in headlines]
