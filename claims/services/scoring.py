"""Firmness in the service: read a claim's evidence, assess it, store the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.firmness import EvidenceInput, Firmness, firmness_of
from claims.models import Claim, EventKind, Evidence, FirmnessPoint, LabelledBy, Level
from claims.services.timeline import (
    claim_event_add,
    claim_flag_for_review,
    claim_withdraw_review_reason,
)
from claims.track_record import (
    TrackRecord,
    in_plain_words,
    latest_words,
    outcome_of,
    side_of_stance,
)
from sources.models import Publisher

VERDICT_MISMATCH = "verdict_mismatch"


def evidence_inputs(claim: Claim) -> list[EvidenceInput]:
    rows = list(
        Evidence.objects.filter(claim=claim)
        .select_related("source__publisher", "derived_from__publisher")
        .order_by("id")
    )
    own = _own_words(claim, rows)
    return [evidence_input(row, reliability_of(row.source.publisher, own)) for row in rows]


@dataclass(frozen=True)
class Reliability:
    value: float
    track: str = ""  # the track record in plain words, when there is one


@dataclass(frozen=True)
class OwnWords:
    """The claim's own words and how it ended: taken out of each record that scores it."""

    outcome: str
    sides: dict[int, str]


def _own_words(claim: Claim, rows: list[Evidence]) -> OwnWords:
    # The words its publishers' records count: live, and not read by the assessor unchecked.
    live = [r for r in rows if not r.deprecated and r.labelled_by != LabelledBy.AUTOMATIC]
    words = latest_words(
        (r.source.publisher_id, claim.pk, r.stance, r.source.published_at, r.pk) for r in live
    )
    outcome = outcome_of(claim.verdict, claim.expected_by, timezone.localdate())
    sides = {pub: side_of_stance(stance) or "" for (pub, _), stance in words.items()}
    return OwnWords(outcome=outcome, sides=sides)


def reliability_of(publisher: Publisher, own: OwnWords | None = None) -> Reliability:
    """The publisher's reliability for scoring a claim: its prior and its record, without
    the claim's own word (no claim is judged by its own verdict)."""
    record = TrackRecord.from_dict(publisher.track_record)
    if own is not None and publisher.pk in own.sides:
        record = record.without(own.sides[publisher.pk], own.outcome)
    unsettled = settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT
    if not record.settled and not (unsettled and record.supported_unsettled):
        return Reliability(publisher.reliability)
    weight = settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT
    value = record.learned(publisher.reliability, weight, unsettled)
    words = in_plain_words(publisher.name, record, publisher.reliability, value, bool(unsettled))
    return Reliability(value, words)


def evidence_input(row: Evidence, reliability: Reliability | None = None) -> EvidenceInput:
    origin = row.derived_from or row.source
    reliability = reliability or Reliability(row.source.publisher.reliability)
    return EvidenceInput(
        id=row.pk,
        stance=row.stance,
        certainty=row.certainty,
        kind=row.kind,
        reliability=reliability.value,
        track=reliability.track,
        group=f"publisher:{origin.publisher_id}",
        group_label=origin.publisher.name,
        publisher=row.source.publisher.name,
        source_url=row.source.url,
        health=row.source.health,
        has_archive=bool(row.source.archive_url),
        automatic=row.labelled_by == LabelledBy.AUTOMATIC,
        deprecated=row.deprecated,
        derived=row.derived_from_id is not None,
        read=bool(row.source.content_hash),  # set with the first version, fetched or typed
        text=row.quote or row.suggested_passage or row.source.title,
        speaker=f"publisher:{row.source.publisher_id}",
        published_at=row.source.published_at.timestamp() if row.source.published_at else None,
    )


@transaction.atomic
def claim_recompute_firmness(*, claim: Claim) -> Firmness:
    """Recompute and store the claim's firmness; note a change on its timeline and history."""
    result = firmness_of(evidence_inputs(claim))
    previous_score, previous_level = claim.firmness_score, claim.firmness_level
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(
        firmness_score=result.score,
        firmness_level=result.level,
        firmness_explanation=result.explanation(),
        firmness_computed_at=now,
    )
    claim.firmness_score, claim.firmness_level = result.score, result.level
    claim.firmness_explanation, claim.firmness_computed_at = result.explanation(), now
    first = not claim.firmness_history.exists()
    if first or (result.score, result.level) != (previous_score, previous_level):
        FirmnessPoint.objects.create(claim=claim, at=now, score=result.score, level=result.level)
    if not first and (result.score, result.level) != (previous_score, previous_level):
        claim_event_add(
            claim=claim,
            kind=EventKind.FIRMNESS_CHANGED,
            summary=(
                f"Firmness {previous_score} ({Level(previous_level).label.lower()}) → "
                f"{result.score} ({Level(result.level).label.lower()})"
            ),
            previous_score=previous_score,
            previous_level=previous_level,
            score=result.score,
            level=result.level,
        )
    claim_check_verdict_agreement(claim=claim)
    return result


def claim_check_verdict_agreement(*, claim: Claim) -> None:
    problem = claim.disagreement_with_evidence()
    if problem is None:
        claim_withdraw_review_reason(claim=claim, code=VERDICT_MISMATCH)
    else:
        claim_flag_for_review(claim=claim, code=VERDICT_MISMATCH, message=problem)
