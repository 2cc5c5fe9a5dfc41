"""Publishers' track records, from the claims the desk has settled (claims/track_record.py).

The record is stored on the publisher (`sources` keeps the numbers; only `claims` knows
what a verdict means, so the computing lives here). A verdict change queues
`claims.tasks.recompute_track_records` for its claim through the outbox; the beat
recomputes every record nightly; `manage.py publisher_track_record` does it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim, Evidence, LabelledBy, Stance
from claims.services.scoring import claim_recompute_firmness
from claims.track_record import (
    TrackRecord,
    Word,
    latest_words,
    outcome_of,
    records_of,
    side_of_stance,
)
from outbox.services import outbox_add
from sources.models import Publisher

RECOMPUTE_TASK = "claims.tasks.recompute_track_records"


def _words(publisher_ids: set[int] | None) -> list[Word]:
    # Only labels someone gave or checked: the assessor often reads a report of a rumour
    # as support, and a record built on that blames reporters for repeating (docs/evaluation.md).
    rows = Evidence.objects.live().filter(stance__in=[Stance.SUPPORTS, Stance.REFUTES])
    rows = rows.exclude(labelled_by=LabelledBy.AUTOMATIC)
    if publisher_ids is not None:
        rows = rows.filter(source__publisher_id__in=publisher_ids)
    stances = latest_words(
        rows.values_list("source__publisher_id", "claim_id", "stance", "source__published_at", "id")
    )
    today = timezone.localdate()
    claims = Claim.objects.filter(pk__in={claim for _, claim in stances})
    outcomes = {c.pk: outcome_of(c.verdict, c.expected_by, today) for c in claims}
    return [
        Word(publisher, claim, side_of_stance(stance) or "", outcomes[claim])
        for (publisher, claim), stance in stances.items()
    ]


@transaction.atomic
def publishers_recompute_track_record(*, publisher_ids: Iterable[int] | None = None) -> list[int]:
    """Count every (or each given) publisher's words on settled claims and store its record
    and learned reliability; the ids of the publishers whose learned reliability moved."""
    ids = set(publisher_ids) if publisher_ids is not None else None
    records = records_of(_words(ids))
    weight = settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT
    unsettled = settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT
    publishers = Publisher.objects.select_for_update().order_by("pk")
    if ids is not None:
        publishers = publishers.filter(pk__in=ids)
    now, moved = timezone.now(), []
    for publisher in publishers:
        record = records.get(publisher.pk, TrackRecord())
        learned = round(record.learned(publisher.reliability, weight, unsettled), 4)
        if learned != publisher.learned_reliability:
            moved.append(publisher.pk)
        Publisher.objects.filter(pk=publisher.pk).update(
            track_record=record.as_dict(), learned_reliability=learned, track_record_computed_at=now
        )
    return moved


def claims_recompute_firmness_citing(*, publisher_ids: Iterable[int]) -> int:
    """Recompute the firmness of every claim whose live evidence comes from, or relies on,
    one of the publishers; each claim in its own transaction. How many there were."""
    ids = list(publisher_ids)
    touching = Evidence.objects.live().filter(
        Q(source__publisher_id__in=ids) | Q(derived_from__publisher_id__in=ids)
    )
    claims = Claim.objects.filter(pk__in=touching.values("claim")).order_by("pk")
    for claim in claims:
        claim_recompute_firmness(claim=claim)
    return len(claims)


def track_records_recompute_for_claim(*, claim_id: int) -> int:
    """After a verdict change: the records of the claim's publishers, then the firmness of the
    claims they speak to (the claim itself included); how many claims were recomputed."""
    publishers = set(
        Evidence.objects.filter(claim_id=claim_id).values_list("source__publisher_id", flat=True)
    )
    moved = publishers_recompute_track_record(publisher_ids=publishers)
    recomputed = claims_recompute_firmness_citing(publisher_ids=moved)
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is not None and not moved:
        claim_recompute_firmness(claim=claim)
        recomputed += 1
    return recomputed


def track_records_recompute_all() -> int:
    moved = publishers_recompute_track_record()
    return claims_recompute_firmness_citing(publisher_ids=moved)


def track_records_queue_recompute(*, claim: Claim) -> None:
    """Promise the recomputation in the caller's transaction (the outbox publishes it)."""
    outbox_add(task=RECOMPUTE_TASK, kwargs={"claim_id": claim.pk})
