"""Firmness against how real stories ended: cross-validation on a desk's archive.

Pure (no database): the archive is read from its JSON lines (the import's format), each
claim's truth taken from its verdict (confirmed → true, false or denied → false, anything
else → never settled), and the firmness level read as a prediction: confirmed or
corroborated → true, refuted → false, anything else → unknown. Claims are split into
folds; publishers' track records are learned on the other folds only, and each fold is
judged with them (docs/evaluation.md gives the figures; `make eval` reruns them).
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from analysis.assessment import Assessment, assess, metrics
from claims.firmness import DEFAULT_RULES, EvidenceInput, Rules, firmness_of
from claims.track_record import (
    TrackRecord,
    Word,
    latest_words,
    outcome_of,
    records_of,
    side_of_stance,
)

TRUTHS = ("true", "false", "unknown")
ANY_DAY = datetime.date(2000, 1, 1)  # the archive has no expected-by dates
TRUTH_OF_VERDICT = {"confirmed": "true", "false": "false", "denied": "false"}
TRUTH_OF_LEVEL = {"confirmed": "true", "corroborated": "true", "refuted": "false"}


@dataclass(frozen=True)
class Piece:
    publisher: str
    url: str
    text: str
    stance: str
    certainty: str
    kind: str = "secondary"
    automatic: bool = False  # its stance was read by the assessor, as nobody checked it


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    verdict: str
    journalists: tuple[Piece, ...]  # the archive's stances; certainty read from the text
    automatic: tuple[Piece, ...]  # every label read by the assessor

    @property
    def truth(self) -> str:
        return TRUTH_OF_VERDICT.get(self.verdict, "unknown")


Read = Callable[[str, str], Assessment]  # (claim, text) → what the assessor reads


def _pieces(
    claim: str, evidence: list[dict[str, str]], reader: Read
) -> tuple[tuple[Piece, ...], ...]:
    given, read = [], []
    for item in evidence:
        text = item.get("text") or item.get("title") or ""
        reading = reader(claim, text) if text else None
        stance = reading.stance if reading else "discusses"
        read_certainty = reading.certainty if reading else "unknown"
        piece = Piece(
            publisher=item.get("publisher") or item["url"],
            url=item["url"],
            text=text,
            stance=item.get("stance") or stance,
            certainty=item.get("certainty") or read_certainty,
            kind=item.get("kind") or "secondary",
        )
        given.append(piece)
        read.append(replace(piece, stance=stance, certainty=read_certainty, automatic=True))
    return tuple(given), tuple(read)


def load_cases(path: Path, reader: Read = assess) -> list[Case]:
    """The archive's claims, their evidence read by `reader` (the rules unless given)."""
    cases = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            item = json.loads(line)
            given, read = _pieces(item["text"], item.get("evidence") or [], reader)
            cases.append(
                Case(str(item.get("id")), item["text"], item.get("verdict") or "", given, read)
            )
    return cases


def folds_of(cases: Sequence[Case], k: int = 5, seed: int = 11) -> list[list[Case]]:
    """k folds by claim, the same for every run."""
    order = sorted(cases, key=lambda case: case.id)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


Labels = Callable[[Case], tuple[Piece, ...]]


def journalists(case: Case) -> tuple[Piece, ...]:
    return case.journalists


def automatic(case: Case) -> tuple[Piece, ...]:
    return case.automatic


def words_of(case: Case, labels: Labels) -> list[Word]:
    """The words a claim adds to its publishers' records: checked labels only (as
    claims.services.track_record counts: nobody checked what the assessor read)."""
    outcome = outcome_of(case.verdict, None, ANY_DAY)
    pieces = enumerate(labels(case))
    rows = [(p.publisher, case.id, p.stance, None, i) for i, p in pieces if not p.automatic]
    return [
        Word(publisher, claim, side_of_stance(stance) or "", outcome)
        for (publisher, claim), stance in latest_words(rows).items()
    ]


def records_from(cases: Iterable[Case], labels: Labels) -> dict[object, TrackRecord]:
    """Publishers' records from the claims given."""
    return records_of([word for case in cases for word in words_of(case, labels)])


def records_without(
    records: dict[object, TrackRecord], case: Case, labels: Labels
) -> dict[object, TrackRecord]:
    """`records` with the claim's own words taken out, as scoring takes them out in the
    service: what may judge a claim that the records were learned on."""
    kept = dict(records)
    for word in words_of(case, labels):
        kept[word.publisher] = kept.get(word.publisher, TrackRecord()).without(
            word.side, word.outcome
        )
    return kept


@dataclass(frozen=True)
class Setup:
    """What is measured: the firmness rules, and how reliabilities are learned."""

    name: str
    rules: Rules = DEFAULT_RULES
    prior: float = 0.6
    weight: float | None = 2.0  # None: no track record, every publisher at the prior
    unsettled: float = 1.5  # as the settings FACTCHECK_TRACK_RECORD_*_WEIGHT


def inputs_of(case: Case, labels: Labels, records: dict, setup: Setup) -> list[EvidenceInput]:
    items = []
    for i, piece in enumerate(labels(case), 1):
        record = records.get(piece.publisher, TrackRecord())
        reliability = (
            setup.prior
            if setup.weight is None
            else record.learned(setup.prior, setup.weight, setup.unsettled)
        )
        items.append(
            EvidenceInput(
                id=i,
                stance=piece.stance,
                certainty=piece.certainty,
                kind=piece.kind,
                reliability=reliability,
                group=piece.publisher,
                publisher=piece.publisher,
                source_url=piece.url,
                text=piece.text,
                speaker=piece.publisher,
                automatic=piece.automatic,
            )
        )
    return items


@dataclass
class Scores:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (truth, predicted)

    def scored(self) -> metrics.Scores:
        return metrics.score_labels(
            [truth for truth, _ in self.pairs], [said for _, said in self.pairs], TRUTHS
        )

    @property
    def accuracy(self) -> float:
        return self.scored().accuracy

    @property
    def macro_f1(self) -> float:
        return self.scored().macro_f1

    def said(self, label: str) -> tuple[float, int]:
        """(precision, count) of the claims predicted `label`."""
        given = self.scored().classes[label]
        return given.precision, given.predicted

    def as_dict(self) -> dict[str, float | int]:
        (tp, tn), (fp, fn) = self.said("true"), self.said("false")
        return {
            "claims": len(self.pairs),
            "accuracy": round(self.accuracy, 3),
            "macro_f1": round(self.macro_f1, 3),
            "true_precision": round(tp, 3),
            "true_count": tn,
            "true_share": round(tn / len(self.pairs), 3) if self.pairs else 0.0,
            "refuted_precision": round(fp, 3),
            "refuted_count": fn,
        }


def cross_validate(cases: Sequence[Case], setup: Setup, labels: Labels, k: int = 5) -> Scores:
    scores = Scores()
    folds = folds_of(cases, k)
    for i, judged in enumerate(folds):
        learned_on = [case for j, fold in enumerate(folds) if j != i for case in fold]
        records = records_from(learned_on, labels)
        for case in judged:
            level = firmness_of(inputs_of(case, labels, records, setup), setup.rules).level
            scores.pairs.append((case.truth, TRUTH_OF_LEVEL.get(level, "unknown")))
    return scores


def always_unknown(cases: Sequence[Case]) -> Scores:
    return Scores([(case.truth, "unknown") for case in cases])


# The bar for "corroborated" (and "confirmed") that the trade-off is read along: firm
# reports from how many publishers, of at least what learned reliability. The chosen
# model is (4, 0.6).
BARS = tuple((groups, trust) for groups in (1, 2, 3, 4, 5) for trust in (0.5, 0.55, 0.6, 0.65))


@dataclass(frozen=True)
class Point:
    """One bar: the share of claims it calls true, and how many of them were."""

    groups: int
    trust: float
    count: int
    share: float
    precision: float


def tradeoff(cases: Sequence[Case], setup: Setup, labels: Labels, k: int = 5) -> list[Point]:
    """Precision of confirmed+corroborated against the share of claims called true as the
    bar moves, cross-validated like the figures; the settings no bar calling more claims
    true beats, by share."""
    points = []
    for groups, trust in BARS:
        rules = replace(setup.rules, corroborating_groups=groups, confirming_reliability=trust)
        scores = cross_validate(cases, replace(setup, rules=rules), labels, k)
        precision, count = scores.said("true")
        points.append(Point(groups, trust, count, round(count / len(cases), 3), precision))
    return front(points)


def front(points: Iterable[Point]) -> list[Point]:
    kept: list[Point] = []
    for point in sorted(points, key=lambda p: (-p.share, -p.precision)):
        if not kept or point.precision > kept[-1].precision:
            kept.append(point)
    return kept[::-1]
