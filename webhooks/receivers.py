"""What makes a webhook event: claims' timeline (`claims.signals.claim_event_recorded`) and
sources' changes (`sources.signals.source_changed`, once per source, not once per claim).

Each receiver runs in the sender's transaction: it finds the subscriptions that want the
event, renders its data once, and writes the event and one delivery per subscription (the
outbox). Nothing is sent here; a worker sends once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from claims.models import ClaimEvent, EventKind
from sources.models import Source
from webhooks import payloads
from webhooks.models import EventType
from webhooks.selectors import (
    subscriptions_for_claim,
    subscriptions_for_source,
)
from webhooks.services import webhook_event_record

CLAIM_EVENTS = {
    EventKind.CREATED: EventType.CLAIM_CREATED,
    EventKind.PUBLISHED: EventType.CLAIM_PUBLISHED,
    EventKind.VERDICT_CHANGED: EventType.CLAIM_VERDICT_CHANGED,
    EventKind.REVIEW_FLAGGED: EventType.CLAIM_NEEDS_REVIEW,
    EventKind.EVIDENCE_ADDED: EventType.EVIDENCE_ADDED,
    EventKind.EVIDENCE_RELABELLED: EventType.EVIDENCE_RELABELLED,
}
# sources.services.SourceChange values; failing sources are the desk's review queue's news.
SOURCE_EVENTS = {
    "snapshot": EventType.SOURCE_CHANGED,
    "moved": EventType.SOURCE_CHANGED,
    "dead": EventType.SOURCE_DEAD,
    "alive": EventType.SOURCE_BACK,
}


def event_type_of(event: ClaimEvent) -> str | None:
    """The webhook event a timeline event is, if any."""
    data = event.data or {}
    if event.kind == EventKind.FIRMNESS_CHANGED:
        # A firmness level, not every move of the score (ClaimEventQuerySet.newsworthy).
        moved = data.get("previous_level") != data.get("level")
        return EventType.CLAIM_LEVEL_CHANGED if moved else None
    if event.kind == EventKind.EVIDENCE_ASSESSED:
        # Automatic labels follow a new reading of the source: that relabels the evidence.
        return EventType.EVIDENCE_RELABELLED if _automatic_labels_moved(data) else None
    return CLAIM_EVENTS.get(EventKind(event.kind))


def _automatic_labels_moved(data: dict[str, Any]) -> bool:
    previous, now = data.get("previous"), data.get("suggestion") or {}
    if data.get("label") is not None or not isinstance(previous, dict):
        return False  # an editor's labels never follow a reading
    return any(previous.get(name) != now.get(name) for name in ("stance", "certainty"))


def on_claim_event(sender: Any, *, event: ClaimEvent, **kwargs: Any) -> None:
    event_type = event_type_of(event)
    if event_type is None:
        return
    subscriptions = subscriptions_for_claim(event_type, claim_id=event.claim_id)
    if not subscriptions:
        return
    evidence_id = (event.data or {}).get("evidence")
    if event_type.startswith("evidence.") and isinstance(evidence_id, int):
        data = payloads.evidence_data(evidence_id)
    else:
        data = payloads.claim_data(event.claim_id)
    webhook_event_record(event_type=event_type, data=data, subscriptions=subscriptions)


def on_source_changed(
    sender: Any, *, source: Source, change: str, snapshot: Any = None, **kwargs: Any
) -> list[str]:
    event_type = SOURCE_EVENTS.get(change)
    if event_type is None or (snapshot is not None and snapshot.number == 1):
        return []  # a first version is the source read at last, not a change
    subscriptions = subscriptions_for_source(event_type, source_id=source.pk)
    if not subscriptions:
        return []
    data = payloads.source_data(source.pk)
    webhook_event_record(event_type=event_type, data=data, subscriptions=subscriptions)
    return [f"{event_type} queued for {len(subscriptions)} webhook subscriptions"]
