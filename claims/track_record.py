"""A publisher's track record: how its word on settled claims turned out.

Pure: no database. A publisher's *word* on a claim is its latest report that supports or
refutes it (one a claim, however many articles it ran). A claim is *settled* when the desk
has called it: confirmed (it held), false or denied (it fell), or still unconfirmed after
the date it was expected by (it fell). A word was *right* when it supported a claim that
held or refuted one that fell, *wrong* the other way round; words on unsettled claims are
counted and shown, but say nothing of the publisher yet.

The learned reliability is the mean of a Beta distribution: the editors' prior reliability
counts as `weight` reports, and the settled words are added to it:

    learned = (prior × weight + right) / (weight + right + wrong)

No claim is judged by its own verdict: when claim X is scored, X's own word is taken out
of each record first (`TrackRecord.without`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

HELD, FELL, UNSETTLED = "held", "fell", "unsettled"
SUPPORTED, REFUTED = "supported", "refuted"
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def outcome_of(verdict: str, expected_by: datetime.date | None, today: datetime.date) -> str:
    """How the claim ended, as far as the desk has called it."""
    if verdict == "confirmed":
        return HELD
    if verdict in {"false", "denied"}:
        return FELL
    if verdict == "unconfirmed" and expected_by is not None and expected_by < today:
        return FELL
    return UNSETTLED


def side_of_stance(stance: str) -> str | None:
    return {"supports": SUPPORTED, "refutes": REFUTED}.get(stance)


@dataclass(frozen=True)
class TrackRecord:
    supported_held: int = 0
    supported_fell: int = 0
    supported_unsettled: int = 0
    refuted_held: int = 0
    refuted_fell: int = 0
    refuted_unsettled: int = 0

    @classmethod
    def from_dict(cls, counts: dict[str, object] | None) -> TrackRecord:
        names = set(cls.__dataclass_fields__)
        values = {k: v for k, v in (counts or {}).items() if k in names and _count(v)}
        return cls(**values)  # type: ignore[arg-type]  # _count checked each is an int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def right(self) -> int:
        return self.supported_held + self.refuted_fell

    @property
    def wrong(self) -> int:
        return self.supported_fell + self.refuted_held

    @property
    def settled(self) -> int:
        return self.right + self.wrong

    def plus(self, side: str, outcome: str, n: int = 1) -> TrackRecord:
        name = f"{side}_{outcome}"
        return replace(self, **{name: max(0, getattr(self, name) + n)})

    def without(self, side: str | None, outcome: str) -> TrackRecord:
        """The record with one word taken out (the claim being scored)."""
        return self if side is None else self.plus(side, outcome, -1)

    def learned(self, prior: float, weight: float, unsettled: float = 0.0) -> float:
        """The Beta mean; `unsettled` counts each support of a claim never settled as that
        fraction of a wrong word (0: such words teach nothing)."""
        prior = min(max(prior, 0.0), 1.0)
        wrong = self.wrong + unsettled * self.supported_unsettled
        if weight + self.right + wrong <= 0:
            return prior
        return (prior * weight + self.right) / (weight + self.right + wrong)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def latest_words(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[int, int], str]:
    """(publisher, claim) → its latest stance that takes a side, from rows of
    (publisher, claim, stance, published_at, evidence id): a later article replaces an
    earlier one; articles without a date count in the order they were linked."""
    latest: dict[tuple[int, int], tuple[tuple[datetime.datetime, int], str]] = {}
    for publisher, claim, stance, published_at, pk in rows:
        if side_of_stance(stance) is None:
            continue
        when = (published_at or EARLIEST, pk)
        key = (publisher, claim)
        if key not in latest or when > latest[key][0]:
            latest[key] = (when, stance)
    return {key: stance for key, (_, stance) in latest.items()}


@dataclass(frozen=True)
class Word:
    """One publisher's word on one claim, with how the claim ended."""

    publisher: object
    claim: object
    side: str
    outcome: str


def records_of(words: list[Word]) -> dict[object, TrackRecord]:
    records: dict[object, TrackRecord] = {}
    for word in words:
        records[word.publisher] = records.get(word.publisher, TrackRecord()).plus(
            word.side, word.outcome
        )
    return records


def in_plain_words(
    name: str, record: TrackRecord, prior: float, reliability: float, unsettled: bool = False
) -> str:
    """e.g. "dailyexample.com: 3 of its 11 reports on settled claims held up; counted at
    reliability 0.31 (editors' prior 0.6)"."""
    reports = "report" if record.settled == 1 else "reports"
    said = f"{name}: {record.right} of its {record.settled} {reports} on settled claims held up"
    if unsettled and record.supported_unsettled:
        said += f", and {record.supported_unsettled} supported claims never settled"
    return f"{said}; counted at reliability {reliability:.2f} (editors' prior {prior:g})"
