"""How firm a claim is, from its evidence, explained line by line.

The model (docs/firmness.md tells it at length):

* Each piece of evidence gets a weight in [0, 1]: the certainty of the
  source's own wording × primary or secondary × the publisher's reliability
  × the source's health (a dead page counts less, less still without an
  archive copy). A report that only discusses the claim counts toward it at
  a fraction of its weight.
* Independence: evidence is grouped by the publisher of its origin (its own
  publisher, or that of the source it says it relies on). In each group only
  the strongest piece per side counts; the others are collapsed into it.
* The sides combine like independent witnesses (a noisy OR): support
  S = 1 − Π(1 − wᵢ) over groups, refutation R likewise, and the score is
  100 × S × (1 − R). Support can only raise the score, refutation only
  lower it.
* The level reads the two sides and who stands behind them.

Everything here is pure: no database, so properties can be tested directly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

CERTAINTY_FACTOR = {"certain": 1.0, "probable": 0.75, "possible": 0.45, "unknown": 0.3}
KIND_FACTOR = {"primary": 1.0, "secondary": 0.6}
DISCUSSES_FACTOR = 0.3
DEAD_FACTOR = 0.4
DEAD_ARCHIVED_FACTOR = 0.75
FIRM_CERTAINTIES = frozenset({"certain", "probable"})

# Level thresholds on the combined sides.
CONTESTED_AT = 0.4
REFUTED_AT = 0.4
CONFIRMED_AT = 0.7
CONFIRMING_GROUPS = 3
REPORTED_AT = 0.15

SUPPORT = "support"
REFUTE = "refute"


@dataclass(frozen=True)
class EvidenceInput:
    id: int
    stance: str
    certainty: str
    kind: str
    reliability: float
    group: str
    group_label: str = ""
    publisher: str = ""
    source_url: str = ""
    health: str = "ok"
    has_archive: bool = False
    automatic: bool = False
    deprecated: bool = False
    derived: bool = False
    # The source has been read at least once, or its text was given by hand: until then
    # nobody knows what it says (a typo'd URL, a 404), and it counts for nothing.
    read: bool = True
    # The publisher's track record in plain words, when settled claims have taught us anything.
    track: str = ""
    # The words that speak to the claim (a headline, a quote, the assessor's passage) and
    # when they were published (a POSIX time; None when unknown, then the id orders them).
    text: str = ""
    published_at: float | None = None


@dataclass(frozen=True)
class Line:
    evidence_id: int
    source_url: str
    publisher: str
    stance: str
    certainty: str
    kind: str
    weight: float
    contribution: float
    counted: bool
    automatic: bool
    note: str
    text: str


@dataclass(frozen=True)
class Firmness:
    score: int
    level: str
    support: float
    refutation: float
    lines: tuple[Line, ...] = field(default_factory=tuple)

    def explanation(self) -> list[dict[str, object]]:
        return [asdict(line) for line in self.lines]


def side_of(item: EvidenceInput) -> str | None:
    if item.deprecated or item.stance == "unrelated" or not item.read:
        return None
    return REFUTE if item.stance == "refutes" else SUPPORT


def health_factor(item: EvidenceInput) -> float:
    if item.health != "dead":
        return 1.0
    return DEAD_ARCHIVED_FACTOR if item.has_archive else DEAD_FACTOR


def weight_of(item: EvidenceInput) -> float:
    if side_of(item) is None:
        return 0.0
    reliability = min(max(item.reliability, 0.0), 1.0)
    weight = (
        CERTAINTY_FACTOR.get(item.certainty, CERTAINTY_FACTOR["unknown"])
        * KIND_FACTOR.get(item.kind, KIND_FACTOR["secondary"])
        * reliability
        * health_factor(item)
    )
    if item.stance == "discusses":
        weight *= DISCUSSES_FACTOR
    return weight


def _strongest(items: Iterable[EvidenceInput]) -> dict[tuple[str, str], EvidenceInput]:
    """The piece that speaks for each (group, side): highest weight, then lowest id."""
    best: dict[tuple[str, str], EvidenceInput] = {}
    for item in items:
        side = side_of(item)
        if side is None:
            continue
        key = (item.group, side)
        current = best.get(key)
        if current is None or (weight_of(item), -item.id) > (weight_of(current), -current.id):
            best[key] = item
    return best


def _noisy_or(weights: Iterable[float]) -> float:
    return 1.0 - math.prod(1.0 - w for w in sorted(weights))


def _sides(representatives: Iterable[EvidenceInput]) -> tuple[float, float]:
    """(support, refutation) from one representative per (group, side)."""
    reps = list(representatives)
    support = _noisy_or(weight_of(r) for r in reps if side_of(r) == SUPPORT)
    refutation = _noisy_or(weight_of(r) for r in reps if side_of(r) == REFUTE)
    return support, refutation


@dataclass(frozen=True)
class _Backing:
    """What the level reads: outright support only, whatever else a publisher also said, so
    that a hedged or merely discussing piece never hides a firm one from the same group."""

    firm: float
    firm_groups: frozenset[str]
    primary: bool


def _backing(evidence: Sequence[EvidenceInput]) -> _Backing:
    supports = [i for i in evidence if i.stance == "supports" and side_of(i) is not None]
    strongest: dict[str, float] = {}
    for item in supports:
        strongest[item.group] = max(strongest.get(item.group, 0.0), weight_of(item))
    firm_reports = [i for i in supports if i.certainty in FIRM_CERTAINTIES]
    return _Backing(
        firm=_noisy_or(strongest.values()),
        firm_groups=frozenset(i.group for i in firm_reports),
        primary=any(i.kind == "primary" for i in firm_reports),
    )


def _raw_score(support: float, refutation: float) -> float:
    return 100.0 * support * (1.0 - refutation)


def _level(counted: bool, backing: _Backing, refutation: float) -> str:
    firm, groups = backing.firm, len(backing.firm_groups)
    if not counted:
        return "no_evidence"
    if firm >= CONTESTED_AT and refutation >= CONTESTED_AT:
        return "contested"
    if refutation >= REFUTED_AT:
        return "refuted"
    if firm >= CONFIRMED_AT and (backing.primary or groups >= CONFIRMING_GROUPS):
        return "confirmed"
    if groups >= 2 and firm >= REPORTED_AT:
        return "corroborated"
    if firm >= REPORTED_AT:
        return "reported"
    return "rumoured"


def firmness_of(items: Iterable[EvidenceInput]) -> Firmness:
    evidence = sorted(items, key=lambda item: item.id)
    best = _strongest(evidence)
    reps = sorted(best.values(), key=lambda item: item.id)
    support, refutation = _sides(reps)
    raw = _raw_score(support, refutation)
    lines = tuple(_line(item, best, reps, raw) for item in evidence)
    return Firmness(
        score=max(0, min(100, round(raw))),
        level=_level(bool(reps), _backing(evidence), refutation),
        support=round(support, 4),
        refutation=round(refutation, 4),
        lines=lines,
    )


def _contribution(item: EvidenceInput, reps: Sequence[EvidenceInput], raw: float) -> float:
    support, refutation = _sides(r for r in reps if r is not item)
    return round(raw - _raw_score(support, refutation), 1)


def _line(
    item: EvidenceInput,
    best: dict[tuple[str, str], EvidenceInput],
    reps: Sequence[EvidenceInput],
    raw: float,
) -> Line:
    side = side_of(item)
    representative = best.get((item.group, side)) if side else None
    counted = representative is item
    note = _note(item, representative)
    weight = round(weight_of(item), 3) if side else 0.0
    contribution = _contribution(item, reps, raw) if counted else 0.0
    return Line(
        evidence_id=item.id,
        source_url=item.source_url,
        publisher=item.publisher or item.group_label,
        stance=item.stance,
        certainty=item.certainty,
        kind=item.kind,
        weight=weight,
        contribution=contribution,
        counted=counted,
        automatic=item.automatic,
        note=note,
        text=_plain_words(item, weight, contribution, counted, note),
    )


def _note(item: EvidenceInput, representative: EvidenceInput | None) -> str:
    if item.deprecated:
        return "Deprecated: not counted."
    if item.stance == "unrelated":
        return "Unrelated to the claim: not counted."
    if not item.read:
        return "Not read yet: the source has not been fetched, nor its text given by hand."
    notes = []
    if representative is not None and representative is not item:
        notes.append(
            f"Collapsed into evidence #{representative.id}: same original publisher "
            f"({item.group_label or item.group}), counted once."
        )
    if item.derived:
        notes.append(f"Relies on an earlier report by {item.group_label or 'another source'}.")
    if item.health == "dead":
        factor = DEAD_ARCHIVED_FACTOR if item.has_archive else DEAD_FACTOR
        copy = "an archived copy is kept" if item.has_archive else "no archived copy"
        notes.append(f"The source is dead ({copy}): weight × {factor}.")
    if item.stance == "discusses":
        notes.append(f"Reports the claim without settling it: weight × {DISCUSSES_FACTOR}.")
    if item.automatic:
        notes.append("Read automatically from its text.")
    if item.track:
        notes.append(f"{item.track}.")
    return " ".join(notes)


STANCE_WORDS = {
    "supports": "supports the claim",
    "refutes": "refutes the claim",
    "discusses": "reports the claim without settling it",
    "unrelated": "does not speak to the claim",
}


def _plain_words(
    item: EvidenceInput, weight: float, contribution: float, counted: bool, note: str
) -> str:
    who = item.publisher or item.group_label or item.source_url or f"Evidence #{item.id}"
    said = STANCE_WORDS.get(item.stance, item.stance)
    wording = f"{item.kind} source, {item.certainty} wording"
    if not counted:
        return f"{who} {said} ({wording}); not counted. {note}".strip()
    direction = "adds" if contribution >= 0 else "takes away"
    points = abs(contribution)
    summary = f"{who} {said} ({wording}): weight {weight:.2f}, {direction} {points:g} points."
    return f"{summary} {note}".strip()
