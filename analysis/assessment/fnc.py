"""The Fake News Challenge (FNC-1) training data as claim–text pairs, its by-claim hold-out, and
the word-overlap rule that its weighted score flatters.

The data is read from a folder holding `train_stances.csv` (Headline, Body ID, Stance) and
`train_bodies.csv` (Body ID, articleBody); it is never copied into the repository.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STANCES_FILE = "train_stances.csv"
BODIES_FILE = "train_bodies.csv"
FNC_TO_STANCE = {
    "agree": "supports",
    "disagree": "refutes",
    "discuss": "discusses",
    "unrelated": "unrelated",
}
HOLDOUT_PERCENT = 20
# Part of the hashed key, so that changing it is the one way to draw a different split.
HOLDOUT_SALT = "factcheck-fnc1-holdout"

# Words too common to say whether a headline and a body are about the same thing.
_COMMON = """the and for that with this from have has had was were are been being not but its
    his her their they them she him you your our who whom which what when where why how
    will would could should can may might must shall about after before into over under
    than then there these those also just more most some such only very said says say
    one two new all any out off via per who's it's"""
COMMON_WORDS = frozenset(_COMMON.split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class FncDataMissing(FileNotFoundError):
    """The FNC-1 folder or one of its two files is not there."""


@dataclass(frozen=True)
class FncPair:
    headline: str
    body_id: int
    body: str
    stance: str  # FNC's label mapped to ours: supports | refutes | discusses | unrelated


@dataclass
class FncSplit:
    train: list[FncPair]
    holdout: list[FncPair]
    dropped: int = 0  # unrelated pairs of a training headline with a held-out body

    def describe(self) -> dict[str, Any]:
        return {
            "holdout_percent_of_stories": HOLDOUT_PERCENT,
            "train": describe_pairs(self.train),
            "holdout": describe_pairs(self.holdout),
            "dropped_unrelated_pairs": self.dropped,
        }


def describe_pairs(pairs: Sequence[FncPair]) -> dict[str, Any]:
    return {
        "pairs": len(pairs),
        "bodies": len({text_key(pair.body) for pair in pairs}),
        "headlines": len({text_key(pair.headline) for pair in pairs}),
        "stances": dict(sorted(Counter(pair.stance for pair in pairs).items())),
    }


def fnc_files(directory: Path) -> tuple[Path, Path]:
    stances, bodies = directory / STANCES_FILE, directory / BODIES_FILE
    missing = [path.name for path in (stances, bodies) if not path.is_file()]
    if missing:
        raise FncDataMissing(f"FNC-1 data not found: no {' or '.join(missing)} in {directory}")
    return stances, bodies


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    # Bodies hold newlines and quotes: the csv module, not line splitting, reads them.
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        absent = set(columns) - set(reader.fieldnames or ())
        if absent:
            raise ValueError(f"{path.name} has no column {', '.join(sorted(absent))}.")
        for row in reader:
            yield reader.line_num, row


def _body_id(raw: str, path: Path, line: int) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{path.name} line {line}: Body ID {raw!r} is not a number.") from None


def load_bodies(path: Path) -> dict[int, str]:
    return {
        _body_id(row["Body ID"], path, line): row["articleBody"]
        for line, row in _rows(path, ("Body ID", "articleBody"))
    }


def load_fnc(directory: Path) -> list[FncPair]:
    """Every headline joined to its body, with FNC's label mapped to our stance."""
    stances_path, bodies_path = fnc_files(directory)
    bodies = load_bodies(bodies_path)
    pairs = []
    for line, row in _rows(stances_path, ("Headline", "Body ID", "Stance")):
        body_id = _body_id(row["Body ID"], stances_path, line)
        stance = FNC_TO_STANCE.get(row["Stance"].strip().lower())
        if stance is None:
            raise ValueError(f"{STANCES_FILE} line {line}: unknown stance {row['Stance']!r}.")
        if body_id not in bodies:
            raise ValueError(f"{STANCES_FILE} line {line}: no body with id {body_id}.")
        pairs.append(FncPair(row["Headline"], body_id, bodies[body_id], stance))
    return pairs


def text_key(text: str) -> str:
    """A headline or body as compared for duplicates: case and spacing do not count."""
    return " ".join(text.lower().split())


def is_held_out(key: str) -> bool:
    """A stable hash (CRC-32, not `hash()`, which changes with PYTHONHASHSEED), so every
    run, process and machine holds out the same stories."""
    return zlib.crc32(f"{HOLDOUT_SALT}:{key}".encode()) % 100 < HOLDOUT_PERCENT


class _Stories:
    """Headlines and bodies joined by every related pair: one story (one claim) each.
    A body's text (not its id) is the node, so a body filed twice is one body."""

    def __init__(self, pairs: Sequence[FncPair]) -> None:
        self.parent: dict[str, str] = {}
        for pair in pairs:
            headline, body = self.find("h:" + text_key(pair.headline)), self.body(pair)
            if pair.stance != "unrelated" and headline != body:
                self.parent[max(headline, body)] = min(headline, body)

    def body(self, pair: FncPair) -> str:
        return self.find("b:" + text_key(pair.body))

    def find(self, node: str) -> str:
        root = self.parent.setdefault(node, node)
        while root != self.parent[root]:
            root = self.parent[root]
        while node != root:
            node, self.parent[node] = self.parent[node], root
        return root


def story_keys(pairs: Sequence[FncPair]) -> list[str]:
    """Each pair's story, named by its body's: what validation holds out whole."""
    stories = _Stories(pairs)
    return [stories.body(pair) for pair in pairs]


def split_fnc(pairs: Iterable[FncPair]) -> FncSplit:
    """Split by claim: a headline, the bodies it is related to, their other headlines and so
    on form one story, held out whole or not at all, so no headline and no body text is in
    both parts.

    An unrelated pair joins two stories, which the split may part. A held-out headline's
    unrelated pair is then rebuilt as FNC-1 built it, with a held-out body from another
    story (chosen by a stable hash), so the hold-out keeps FNC-1's share of unrelated
    pairs; a training headline's is left out (counted as `dropped`)."""
    pairs = list(pairs)
    stories = _Stories(pairs)
    split = FncSplit(train=[], holdout=[])
    held_bodies: dict[str, FncPair] = {}
    crossing: list[FncPair] = []
    for pair in pairs:
        headline_out = is_held_out(stories.find("h:" + text_key(pair.headline)))
        body_out = is_held_out(stories.body(pair))
        if body_out:
            held_bodies.setdefault(text_key(pair.body), pair)
        if headline_out != body_out:
            if headline_out:
                crossing.append(pair)
            else:
                split.dropped += 1
        else:
            (split.holdout if body_out else split.train).append(pair)
    split.holdout += _unrelated_again(crossing, sorted(held_bodies.items()), stories)
    return split


def _unrelated_again(
    crossing: Sequence[FncPair], bodies: Sequence[tuple[str, FncPair]], stories: _Stories
) -> list[FncPair]:
    """Each pair's headline with the held-out body a stable hash points at, or the next one
    along that belongs to another story."""
    held = [(stories.body(body), body) for _, body in bodies]
    rebuilt = []
    for pair in crossing:
        story = stories.find("h:" + text_key(pair.headline))
        start = zlib.crc32(f"{pair.headline}:{pair.body_id}".encode())
        for step in range(len(held)):
            body_story, body = held[(start + step) % len(held)]
            if body_story != story:
                rebuilt.append(FncPair(pair.headline, body.body_id, body.body, "unrelated"))
                break
    return rebuilt


def content_words(text: str) -> frozenset[str]:
    return frozenset(
        word for word in _WORD.findall(text.lower()) if len(word) > 2 and word not in COMMON_WORDS
    )


def word_overlap(headline: str, body_words: frozenset[str]) -> float:
    """The share of the headline's content words that the body also uses."""
    words = content_words(headline)
    return len(words & body_words) / len(words) if words else 0.0


def _overlaps(pairs: Sequence[FncPair]) -> list[float]:
    body_words: dict[int, frozenset[str]] = {}
    for pair in pairs:
        if pair.body_id not in body_words:
            body_words[pair.body_id] = content_words(pair.body)
    return [word_overlap(pair.headline, body_words[pair.body_id]) for pair in pairs]


def fit_overlap_threshold(pairs: Sequence[FncPair]) -> float:
    """The overlap from which a pair is called related, chosen for accuracy on `pairs`."""
    scored = sorted(zip(_overlaps(pairs), (p.stance != "unrelated" for p in pairs), strict=True))
    related_total = sum(related for _, related in scored)
    best_threshold, best_correct = 0.0, related_total  # everything related
    unrelated_below = related_below = 0
    for index, (overlap, related) in enumerate(scored):
        # A threshold just above this overlap calls everything up to here unrelated.
        unrelated_below += not related
        related_below += related
        if index + 1 < len(scored) and scored[index + 1][0] == overlap:
            continue
        correct = unrelated_below + related_total - related_below
        if correct > best_correct:
            following = scored[index + 1][0] if index + 1 < len(scored) else overlap + 1e-9
            best_threshold, best_correct = (overlap + following) / 2, correct
    return best_threshold


def overlap_stances(pairs: Sequence[FncPair], threshold: float) -> list[str]:
    """`discusses` for every pair with enough word overlap, `unrelated` for the rest."""
    return ["discusses" if o >= threshold else "unrelated" for o in _overlaps(pairs)]
