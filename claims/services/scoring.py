"""Firmness in the service: read a claim's evidence, assess it, store the result."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims.firmness import EvidenceInput, Firmness, firmness_of
from claims.models import Claim, EventKind, Evidence, FirmnessPoint, LabelledBy, Level
from claims.services.timeline import (
    claim_event_add,
    claim_flag_for_review,
    claim_withdraw_review_reason,
)

VERDICT_MISMATCH = "verdict_mismatch"


def evidence_inputs(claim: Claim) -> list[EvidenceInput]:
    rows = (
        Evidence.objects.filter(claim=claim)
        .select_related("source__publisher", "derived_from__publisher")
        .order_by("id")
    )
    return [evidence_input(row) for row in rows]


def evidence_input(row: Evidence) -> EvidenceInput:
    origin = row.derived_from or row.source
    return EvidenceInput(
        id=row.pk,
        stance=row.stance,
        certainty=row.certainty,
        kind=row.kind,
        reliability=row.source.publisher.reliability,
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
