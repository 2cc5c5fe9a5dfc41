"""How claims react to what happens to sources and publishers.

`sources` never imports `claims`: it sends `sources.signals.source_changed` and
`publisher_changed`, and ClaimsConfig.ready() connects the receivers here, the only ones.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q

from claims.models import Claim, EventKind, Evidence
from claims.services.reading import source_version_read_or_queue
from claims.services.scoring import claim_recompute_firmness
from claims.services.timeline import claim_event_add, claim_flag_for_review
from claims.services.track_record import publishers_recompute_track_record
from sources.models import Publisher, Source, SourceSnapshot
from sources.services import SourceChange

logger = logging.getLogger(__name__)

EVENT_FOR_CHANGE = {
    SourceChange.SNAPSHOT: EventKind.SOURCE_CHANGED,
    SourceChange.MOVED: EventKind.SOURCE_MOVED,
    SourceChange.DEAD: EventKind.SOURCE_DEAD,
    SourceChange.ALIVE: EventKind.SOURCE_ALIVE,
    SourceChange.FAILING: EventKind.SOURCE_FAILING,
    SourceChange.FIRST_READ_FAILED: EventKind.SOURCE_FAILING,
}
# Changes that an editor should look at; a source coming back only needs noting.
NEEDS_REVIEW = {
    SourceChange.SNAPSHOT,
    SourceChange.MOVED,
    SourceChange.DEAD,
    SourceChange.FAILING,
    SourceChange.FIRST_READ_FAILED,
}


def describe_change(
    source: Source, change: str, snapshot: SourceSnapshot | None, detail: str
) -> str:
    name = f"{source.publisher.name}: {source.title or source.url}"
    if change == SourceChange.SNAPSHOT and snapshot is not None:
        text = f"{name} has a new version (#{snapshot.number})."
    elif change == SourceChange.MOVED:
        text = f"{name} moved to {source.moved_to}."
    elif change == SourceChange.DEAD:
        archive = (
            f" Archived copy: {source.archive_url}" if source.archive_url else " No archived copy."
        )
        text = f"{name} is dead.{archive}"
    elif change == SourceChange.ALIVE:
        text = f"{name} answers again."
    elif change == SourceChange.FIRST_READ_FAILED:
        text = f"{name} could not be read, and has never been: it does not count until it is."
    else:
        text = f"{name} could not be read {source.consecutive_errors} times in a row."
    return f"{text} {detail}".strip()


def on_source_changed(
    sender: Any,
    *,
    source: Source,
    change: str,
    snapshot: SourceSnapshot | None = None,
    detail: str = "",
    **kwargs: Any,
) -> list[str]:
    """Tell each claim citing the source; what was done, in words, for the check's report."""
    new_text = snapshot if change == SourceChange.SNAPSHOT else None
    first_version = new_text is not None and new_text.number == 1
    links = Evidence.objects.live().filter(source=source).select_related("claim")
    told = []
    for claim in Claim.objects.filter(pk__in=links.values("claim")).order_by("pk"):
        if not first_version and _tell_claim(claim, source, change, snapshot, detail, links):
            told.append(f"claim {claim.pk} flagged for review")
        elif not first_version:
            told.append(f"claim {claim.pk} told")
        if new_text is None:
            claim_recompute_firmness(claim=claim)
    if new_text is not None:
        # Every version, the first included, is read for what it says of each claim (which
        # recomputes their firmness) and offered to others: a fetched one by a task of its
        # own, so that the fetch worker never waits for the reading.
        told += source_version_read_or_queue(source=source, snapshot=new_text)
    return told


def _tell_claim(
    claim: Claim,
    source: Source,
    change: str,
    snapshot: SourceSnapshot | None,
    detail: str,
    links: Any,
) -> bool:
    """Note the change on the claim's timeline; True when it goes to the review queue."""
    message = describe_change(source, change, snapshot, detail)
    lost = []
    if snapshot is not None:
        lost = [
            link.quote
            for link in links
            if link.claim_id == claim.pk and link.quote and not link.quote_stands_in(snapshot.text)
        ]
    if lost:
        message += " The quoted words are no longer in its text: " + " / ".join(
            f"“{q}”" for q in lost
        )
    claim_event_add(
        claim=claim,
        kind=EVENT_FOR_CHANGE[change],
        summary=message,
        source=source.pk,
        snapshot=snapshot.number if snapshot else None,
        quotes_lost=lost,
    )
    if change not in NEEDS_REVIEW:
        return False
    claim_flag_for_review(
        claim=claim, code=f"source:{source.pk}", message=message, source=source.pk
    )
    return True


def on_publisher_changed(
    sender: Any, *, publisher: Publisher, fields: list[str], **kwargs: Any
) -> None:
    if "reliability" in fields:  # the prior moved: so does what its record teaches
        publishers_recompute_track_record(publisher_ids=[publisher.pk])
    touching = Evidence.objects.live().filter(
        Q(source__publisher=publisher) | Q(derived_from__publisher=publisher)
    )
    for claim in Claim.objects.filter(pk__in=touching.values("claim")).order_by("pk"):
        claim_recompute_firmness(claim=claim)
