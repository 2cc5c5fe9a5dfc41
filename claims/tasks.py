"""Celery tasks for claims: thin wrappers over services."""

from __future__ import annotations

import logging

from celery import shared_task

from claims.services.claims import claims_flag_overdue
from claims.services.track_record import (
    track_records_recompute_all,
    track_records_recompute_for_claim,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def flag_overdue_expectations() -> int:
    """Daily: flag forward-looking claims whose date passed. Flagging twice is a no-op."""
    flagged = claims_flag_overdue()
    logger.info("flagged %d overdue claims for review", flagged)
    return flagged


@shared_task(acks_late=True, ignore_result=True)
def recompute_track_records(claim_id: int) -> int:
    """After a verdict change: the claim's publishers' records. Running twice is harmless."""
    return track_records_recompute_for_claim(claim_id=claim_id)


@shared_task(acks_late=True, ignore_result=True)
def recompute_all_track_records() -> int:
    """Nightly: every publisher's record from the verdicts as they stand."""
    recomputed = track_records_recompute_all()
    logger.info("track records recomputed; %d claims rescored", recomputed)
    return recomputed
