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
from dataclasses import asdict, dataclass, field, replace

from claims.corroboration import read_evidence
from claims.firmness_input import (
    CONFIRMED_AT,
    CONFIRMING_GROUPS,
    CONTESTED_AT,
    DEFAULT_RULES,
    LEGACY_RULES,
    REFUTED_AT,
    REPORTED_AT,
    EvidenceInput,
    Rules,
)

__all__ = [
    "CONFIRMED_AT",
    "CONFIRMING_GROUPS",
    "CONTESTED_AT",
    "DEFAULT_RULES",
    "LEGACY_RULES",
    "REFUTED_AT",
    "REPORTED_AT",
    "EvidenceInput",
    "Firmness",
    "Line",
    "Rules",
    "firmness_of",
]

CERTAINTY_FACTOR = {"certain": 1.0, "probable": 0.75, "possible": 0.45, "unknown": 0.3}
KIND_FACTOR = {"primary": 1.0, "secondary": 0.6}
DISCUSSES_FACTOR = 0.3
DEAD_FACTOR = 0.4
DEAD_ARCHIVED_FACTOR = 0.75
FIRM_CERTAINTIES = frozenset({"certain", "probable"})


SUPPORT = "support"
REFUTE = "refute"


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
    if item.deprecated or item.stance == "unrelated" or not item.read or item.replaced_by:
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
    firm_refutation: bool = False


def _confirms(item: EvidenceInput, rules: Rules) -> bool:
    if item.certainty not in FIRM_CERTAINTIES:
        return False
    if item.kind == "primary":
        return True
    earned = item.reliability >= rules.confirming_reliability
    return earned and (rules.hearsay_confirms or not item.derived)


def _backing(evidence: Sequence[EvidenceInput], rules: Rules) -> _Backing:
    counted = [i for i in evidence if side_of(i) is not None]
    supports = [i for i in counted if i.stance == "supports"]
    strongest: dict[str, float] = {}
    for item in supports:
        strongest[item.group] = max(strongest.get(item.group, 0.0), weight_of(item))
    firm_reports = [i for i in supports if _confirms(i, rules)]
    refuting = [i for i in counted if i.stance == "refutes"]
    return _Backing(
        firm=_noisy_or(strongest.values()),
        firm_groups=frozenset(i.group for i in firm_reports),
        primary=any(i.kind == "primary" for i in firm_reports),
        firm_refutation=any(
            i.kind == "primary" or i.certainty in FIRM_CERTAINTIES for i in refuting
        ),
    )


def _refuted(backing: _Backing, refutation: float, rules: Rules) -> bool:
    if refutation < rules.refuted_at or refutation - backing.firm < rules.refuted_margin:
        return False
    return backing.firm_refutation or not rules.refuted_needs_firm


def _raw_score(support: float, refutation: float) -> float:
    return 100.0 * support * (1.0 - refutation)


def _level(counted: bool, backing: _Backing, refutation: float, rules: Rules) -> str:
    firm, groups = backing.firm, len(backing.firm_groups)
    if not counted:
        return "no_evidence"
    if rules.net_refutation and _refuted(backing, refutation, rules):
        return "refuted"
    if firm >= rules.contested_at and refutation >= rules.contested_at:
        return "contested"
    if _refuted(backing, refutation, rules):
        return "refuted"
    if backing.primary and firm >= rules.primary_confirmed_at:
        return "confirmed"
    if firm >= rules.confirmed_at and groups >= rules.confirming_groups:
        return "confirmed"
    if groups >= rules.corroborating_groups and firm >= rules.corroborated_at:
        return "corroborated"
    if firm >= rules.reported_at:
        return "reported"
    return "rumoured"


def firmness_of(items: Iterable[EvidenceInput], rules: Rules = DEFAULT_RULES) -> Firmness:
    given = sorted(items, key=lambda item: item.id)
    evidence = [
        replace(r.item, notes=r.notes, replaced_by=r.replaced_by)
        for r in read_evidence(given, rules)
    ]
    best = _strongest(evidence)
    reps = sorted(best.values(), key=lambda item: item.id)
    support, refutation = _sides(reps)
    raw = _raw_score(support, refutation)
    lines = tuple(_line(item, best, reps, raw) for item in evidence)
    return Firmness(
        score=max(0, min(100, round(raw))),
        level=_level(bool(reps), _backing(evidence, rules), refutation, rules),
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
    if item.replaced_by:
        return f"Replaced by its publisher's later word, evidence #{item.replaced_by}: not counted."
    notes = list(item.notes)
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
