"""Contradiction without denial words: a sentence about the claim that rules out the
claim's figure ("£12.60 rather than £13") or says the thing went elsewhere ("the prize went
to another book"). What refutes is the other figure or the replacement itself, quoted as it
stands in the sentence.

Figures are compared only with figures of the same kind: the same currency, per cent, or
the same word after the number ("12 people", "15 people"), so that a date or a count of
something else never contradicts a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.assessment.cues import Found, comparable

MISMATCH = "mismatch"

SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "bn": 1e9,
    "billion": 1e9,
    "trillion": 1e12,
}
SCALE = rf"(?:{'|'.join(SCALES)})\b"
FIGURE = re.compile(
    r"(?:(?P<currency>[£$€¥])\s?)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"\s?(?P<scale>{SCALE})?\s?(?P<unit>%|per ?cent\b|[a-z]{{3,}})?"
)
YEAR = re.compile(r"(?:19|20)\d\d")  # "in 2014 the" gives no figure of kind "the"
RANGE = re.compile(r"\s*(?:to|-|–|and|or)\s*")
# What the figure after these words is not: "£12.60 rather than £13".
NOT_THIS = re.compile(r"(?:rather than|instead of|\bnot)\s+$")
# The claim's thing given to someone or something else.
ELSEWHERE = re.compile(
    r"\b(?:went|goes|gone|go|given|awarded|handed|sold|moved|transferred) to "
    r"(?:another|a different|someone else|a rival)\b"
)
WORD_UNITS_IGNORED = frozenset(
    "and or the a an to of in on at by for from with per is was are were has have had".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Figure:
    kind: str
    value: float
    start: int
    end: int
    excluded: bool  # stands after "rather than", "instead of", "not"


def figures(text: str) -> list[Figure]:
    """Figures with a kind (currency, per cent or the word after them); bare numbers and
    years have none and are left out."""
    lowered = comparable(text)
    found = []
    matches = list(FIGURE.finditer(lowered))
    for n, match in enumerate(matches):
        kind = _kind(match)
        after = matches[n + 1] if n + 1 < len(matches) else None
        if not kind and after and RANGE.fullmatch(lowered[match.end("number") : after.start()]):
            kind = _kind(after)  # "2.5 to 4 hours": both are hours
        if not kind:
            continue
        value = float(match["number"].replace(",", "")) * SCALES.get(match["scale"] or "", 1)
        excluded = bool(NOT_THIS.search(lowered[max(0, match.start() - 14) : match.start()]))
        end = match.end("unit") if match["unit"] and not match["currency"] else 0
        end = end or (match.end("scale") if match["scale"] else match.end("number"))
        found.append(Figure(kind, value, match.start(), end, excluded))
    return found


def _kind(match: re.Match[str]) -> str:
    if match["currency"]:
        return match["currency"]
    unit = (match["unit"] or "").replace(" ", "")
    if unit in {"%", "percent"}:
        return "%"
    if unit and unit not in WORD_UNITS_IGNORED and not YEAR.fullmatch(match["number"]):
        return unit.rstrip("s")
    return ""


def contradictions(claim: str, sentence: str, index: int) -> list[Found]:
    """The figures and replacements in `sentence` that contradict `claim`, each quoted."""
    found = [*_other_figures(claim, sentence, index)]
    replaced = ELSEWHERE.search(comparable(sentence))
    if replaced:
        found.append(_found(sentence, index, replaced.start(), replaced.end()))
    return found


def _other_figures(claim: str, sentence: str, index: int) -> list[Found]:
    """The claim's figure ruled out ("£12.60 rather than £13", "not £13"). A figure that
    merely differs is not enough: on the training sides of FNC-1 and Emergent it read
    updated or misreported figures as refutations (docs/assessment.md)."""
    stated = figures(sentence)
    claimed = figures(claim)
    out = []
    for kind in {f.kind for f in claimed}:
        values = [f.value for f in claimed if f.kind == kind]
        low, high = min(values), max(values)  # "2.5 to 4 hours" claims the range
        same_kind = [f for f in stated if f.kind == kind]
        ruled_out = [f for f in same_kind if f.excluded and low <= f.value <= high]
        if ruled_out:
            others = [f for f in same_kind if not f.excluded]
            shown = others[0] if others else ruled_out[0]
            out.append(_found(sentence, index, shown.start, shown.end))
    return out


def _found(sentence: str, index: int, start: int, end: int) -> Found:
    return Found(MISMATCH, sentence[start:end].strip(), "", index, span=(start, end))
