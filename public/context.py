"""What the claim page shows, worked out in Python so that the templates only lay it out:
evidence in groups, the history, the verdict's latest note, the forward-looking date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.db.models.query import prefetch_related_objects
from django.utils import timezone

from claims.claimreview import claim_review
from claims.marks import REVIEW_KINDS, ClaimMarks
from claims.models import Claim, ClaimEvent, EventKind, Evidence, Stance, Verdict
from public.caching import Stamp, latest
from public.charts import firmness_chart

SOURCE_KINDS = (
    EventKind.SOURCE_CHANGED,
    EventKind.SOURCE_MOVED,
    EventKind.SOURCE_DEAD,
    EventKind.SOURCE_ALIVE,
    EventKind.SOURCE_FAILING,
)
GROUPS = (
    (Stance.SUPPORTS, "Supporting", "Sources that back the claim."),
    (Stance.REFUTES, "Refuting", "Sources that contradict it."),
    (
        Stance.DISCUSSES,
        "Reporting, not settling",
        "Sources that report the claim without settling it.",
    ),
)


def claim_stamp(marks: ClaimMarks, editor: bool) -> Stamp:
    """The ETag moves with every edit, piece of evidence and firmness recomputation; the
    last event catches anything else readers see in the history."""
    parts = (marks.etag, marks.last_event_id, marks.published, editor)
    modified = latest(marks.updated, marks.computed, marks.last_event_at)
    return Stamp(parts=parts, modified=modified)


def prefetch_page(claim: Claim) -> None:
    """Everything the page shows in four queries, however much evidence there is."""
    evidence = Evidence.objects.select_related(
        "source__publisher", "derived_from__publisher"
    ).order_by("created_at", "id")
    events = ClaimEvent.objects.exclude(kind__in=REVIEW_KINDS).order_by("-at", "-id")
    prefetch_related_objects(
        [claim],
        "tags",
        Prefetch("evidence", queryset=evidence),
        "firmness_history",
        Prefetch("events", queryset=events, to_attr="page_events"),
    )


@dataclass(frozen=True)
class Entry:
    """One piece of evidence and what it does to the score."""

    evidence: Evidence
    counted: bool
    points: float
    effect: str


@dataclass
class Group:
    stance: str
    title: str
    blurb: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def read_automatically(self) -> int:
        """How many of its pieces carry labels read by the service, not by an editor: the
        section says what that means once, not on every line."""
        return sum(1 for entry in self.entries if entry.evidence.labelled_by == "automatic")


def entry_for(item: Evidence, line: dict[str, Any] | None) -> Entry:
    """The piece with its effect on the score, from its line of the stored explanation."""
    if not line or not line.get("counted"):
        unread = str((line or {}).get("note", "")).startswith("Not read yet")
        effect = "Not counted: the source has not been read yet" if unread else "Not counted"
        return Entry(item, counted=False, points=0.0, effect=effect)
    points = float(line.get("contribution", 0.0))
    direction = "Adds" if points >= 0 else "Takes away"
    return Entry(item, counted=True, points=points, effect=f"{direction} {abs(points):g} points")


def _sort_key(entry: Entry) -> tuple[bool, bool, float, float]:
    """What moves the score most first, then the newest; withdrawn pieces at the end."""
    item = entry.evidence
    when = item.source.published_at or item.created_at
    return (item.deprecated, not entry.counted, -abs(entry.points), -when.timestamp())


def evidence_groups(claim: Claim) -> tuple[list[Group], list[Entry]]:
    """Supporting, refuting and discussing groups, and the unrelated pieces apart."""
    lines = {line.get("evidence_id"): line for line in claim.firmness_explanation or []}
    groups: dict[str, Group] = {s: Group(s, title, blurb) for s, title, blurb in GROUPS}
    unrelated = []
    for item in claim.evidence.all():
        entry = entry_for(item, lines.get(item.pk))
        if item.stance in groups:
            groups[item.stance].entries.append(entry)
        else:
            unrelated.append(entry)
    for group in groups.values():
        group.entries.sort(key=_sort_key)
    return list(groups.values()), unrelated


@dataclass(frozen=True)
class HistoryItem:
    event: ClaimEvent
    verdict_from: str = ""
    verdict_to: str = ""
    note: str = ""
    # The codes, only when they are known verdicts: they become CSS classes.
    from_code: str = ""
    to_code: str = ""


def history_item(event: ClaimEvent) -> HistoryItem:
    if event.kind != EventKind.VERDICT_CHANGED:
        return HistoryItem(event)
    data = event.data or {}
    return HistoryItem(
        event,
        verdict_from=verdict_label(data.get("previous")),
        verdict_to=verdict_label(data.get("verdict")),
        note=str(data.get("note") or ""),
        from_code=known_verdict(data.get("previous")),
        to_code=known_verdict(data.get("verdict")),
    )


def known_verdict(value: Any) -> str:
    return value if value in Verdict.values else ""


def verdict_label(value: Any) -> str:
    return Verdict(value).label if value in Verdict.values else str(value or "")


def history(events: list[ClaimEvent]) -> tuple[list[HistoryItem], list[HistoryItem]]:
    """Verdict and source changes (the story), then every other update."""
    story = (EventKind.VERDICT_CHANGED, *SOURCE_KINDS)
    main = [history_item(e) for e in events if e.kind in story]
    other = [history_item(e) for e in events if e.kind not in story]
    return main, other


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    passed: bool
    overdue: bool
    days: int


def deadline(claim: Claim) -> Deadline | None:
    if claim.expected_by is None:
        return None
    days = (claim.expected_by - timezone.localdate()).days
    return Deadline(claim.expected_by, days < 0, claim.is_overdue, abs(days))


def claim_page_context(claim: Any, editor: bool) -> dict[str, Any]:
    events: list[ClaimEvent] = claim.page_events
    verdicts = [e for e in events if e.kind == EventKind.VERDICT_CHANGED]
    groups, unrelated = evidence_groups(claim)
    main, other = history(events)
    return {
        "claim": claim,
        "editor": editor,
        "canonical": claim.get_public_url(),
        "claim_review": claim_review(claim),
        "latest_verdict": history_item(verdicts[0]) if verdicts else None,
        "groups": groups,
        "unrelated": unrelated,
        "evidence_count": sum(len(g.entries) for g in groups) + len(unrelated),
        "history": main,
        "other_updates": other,
        "chart": firmness_chart(list(claim.firmness_history.all())),
        "deadline": deadline(claim),
        "explanation": claim.firmness_explanation or [],
    }
