"""Corroboration is not repetition: what evidence really says before it is weighed.

Pure, and run by `claims.firmness.firmness_of` before the weights (docs/firmness.md, §2):

* **Attribution.** A report whose words say it relies on another ("according to the Daily
  Mail", "citing", "reports say", "reportedly") is grouped with what it relies on: the
  named origin, or, when none is named, the other unnamed hearsay on the claim.
* **Same wording.** Pieces whose words match an earlier piece's almost word for word are
  one origin copied, and count in its group.
* **Latest word.** A publisher's latest report taking a side replaces its earlier ones.
* **Reported denials.** A secondary report that the party concerned denied the claim
  weighs as that denial (a primary refutation), not as one more hedged report.
* **Hedged unchecked support.** A "supports" the assessor read from hedged words, and no
  editor checked, weighs as a report that discusses the claim.

Each rule can be turned off in `Rules` so that its effect can be measured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from analysis.text import words
from claims.firmness_input import EvidenceInput, Rules

ATTRIBUTION = re.compile(
    r"\baccording to (?P<origin>(?:the )?[\w.'’&-]+(?: [A-Z][\w.'’&-]*){0,3})"
    r"|\bcit(?:ing|es) (?P<cited>(?:the )?[\w.'’&-]+(?: [A-Z][\w.'’&-]*){0,3})"
    r"|\b(?:reports? (?:say|says|suggest|claim)s?|reportedly|it is reported|is said to"
    r"|sources say|rumou?rs? (?:say|suggest)s?|(?:^|[:\-–—] ?)reports?$|: reports?\b)",
    re.IGNORECASE,
)
# A denial by those concerned, as a report tells it; not a reporter's own "fake" or "hoax",
# which is one more secondary refutation.
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|denying|dismiss(?:es|ed)|reject(?:s|ed)"
    r"|no (?:agreement|deal|decision|plans?) (?:has|have|had) been|not true,? (?:says?|said))\b",
    re.IGNORECASE,
)
NO_ORIGIN = "hearsay"
FIRM_WORDS = frozenset({"certain", "probable"})


@dataclass(frozen=True)
class Reading:
    """What the rules made of one piece: its input as weighed, and why, in words."""

    item: EvidenceInput
    notes: tuple[str, ...] = ()
    replaced_by: int | None = None


def attribution(text: str) -> str | None:
    """Whom the words say the report relies on: a name, NO_ORIGIN when they name nobody,
    None when they do not say they rely on anyone."""
    found = ATTRIBUTION.search(text)
    if found is None:
        return None
    origin = found.group("origin") or found.group("cited")
    if not origin:
        return NO_ORIGIN
    return " ".join(origin.lower().removeprefix("the ").split())


def _wording(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text.lower()) if len(w) > 2)


def _same_wording(a: frozenset[str], b: frozenset[str], at: float) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= at


def _attributed(item: EvidenceInput) -> Reading:
    origin = attribution(item.text)
    if origin is None:
        return Reading(item)
    label = item.group_label if origin == NO_ORIGIN else origin
    note = (
        f"Says it relies on {origin}: counted with it."
        if origin != NO_ORIGIN
        else "Says it relies on reports it does not name: counted with the other hearsay."
    )
    moved = replace(item, group=f"origin:{origin}", group_label=label, derived=True)
    return Reading(moved, (note,))


def _copied(readings: list[Reading], at: float) -> list[Reading]:
    """A piece worded like an earlier one joins the earlier one's group (never the other
    way round, so adding a piece never merges two groups)."""
    seen: list[tuple[frozenset[str], EvidenceInput]] = []
    out = []
    for reading in readings:
        item, wording = reading.item, _wording(reading.item.text)
        first = next((f for w, f in seen if _same_wording(w, wording, at)), None)
        seen.append((wording, item))
        if first is None or first.group == item.group:
            out.append(reading)
            continue
        note = f"Worded like evidence #{first.id}: one origin copied, counted with it."
        moved = replace(item, group=first.group, group_label=first.group_label, derived=True)
        out.append(Reading(moved, (*reading.notes, note)))
    return out


def _order(item: EvidenceInput) -> tuple[float, int]:
    return (item.published_at if item.published_at is not None else float("-inf"), item.id)


def _latest(readings: list[Reading]) -> list[Reading]:
    taking_side = [r.item for r in readings if r.item.speaker and _takes_side(r.item)]
    latest: dict[str, EvidenceInput] = {}
    for item in taking_side:
        if item.speaker not in latest or _order(item) > _order(latest[item.speaker]):
            latest[item.speaker] = item
    out = []
    for reading in readings:
        item = reading.item
        last = latest.get(item.speaker) if item.speaker and _takes_side(item) else None
        out.append(replace(reading, replaced_by=None if last in (None, item) else last.id))
    return out


def _takes_side(item: EvidenceInput) -> bool:
    return item.stance in {"supports", "refutes"} and not item.deprecated


def _denial(reading: Reading) -> Reading:
    item = reading.item
    if item.stance != "refutes" or item.kind == "primary" or not DENIAL.search(item.text):
        return reading
    note = "Reports a denial by those concerned: weighs as that denial."
    certainty = "certain" if item.certainty in {"certain", "probable"} else "probable"
    return Reading(replace(item, kind="primary", certainty=certainty), (*reading.notes, note))


def _unchecked(item: EvidenceInput, factor: float) -> EvidenceInput:
    if not item.automatic or factor >= 1.0:
        return item
    return replace(item, reliability=item.reliability * factor)


def _hedged_unchecked(reading: Reading) -> Reading:
    item = reading.item
    if not item.automatic or item.stance != "supports" or item.certainty in FIRM_WORDS:
        return reading
    note = "Read automatically as support in hedged words: weighs as reporting the claim."
    return Reading(replace(item, stance="discusses"), (*reading.notes, note))


def read_evidence(evidence: Sequence[EvidenceInput], rules: Rules) -> list[Reading]:
    """Each piece as the rules read it, in the order given."""
    evidence = [_unchecked(item, rules.automatic_factor) for item in evidence]
    readings = [
        _attributed(item) if rules.infer_attribution else Reading(item) for item in evidence
    ]
    if rules.same_wording <= 1.0:
        readings = _copied(readings, rules.same_wording)
    if rules.reported_denials:
        readings = [_denial(r) for r in readings]
    if rules.hedged_unchecked_discusses:
        readings = [_hedged_unchecked(r) for r in readings]
    return _latest(readings) if rules.latest_word else readings
